package store

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// Timeline counts, for each period, the projects q.Filter selects by the status they
// were in at the period's end, from the status history — in one query: the periods
// built here travel as a VALUES table (not UNION ALL: SQLite allows at most 500
// compound terms), each history entry knows (by LEAD) when the next one took effect,
// and an entry counts for a period if it took effect before the period's end and the
// next one did not. Undated entries count as the earliest, as in as_of; a project
// without an entry by then is not counted. With q.Sums the same query sums the money
// of the projects counted (sumsSQL: exact, with how many have each amount). A zero
// q.From or q.To is the data's range (timelineRange).
func (s *StatsService) Timeline(ctx context.Context, q coop.TimelineQuery) (coop.Timeline, error) {
	return cached(ctx, s.base, s.stats.timelines, "timeline", q, func(ctx context.Context) (coop.Timeline, error) {
		return s.timeline(ctx, q)
	})
}

// timeline computes Timeline.
func (s *StatsService) timeline(ctx context.Context, q coop.TimelineQuery) (coop.Timeline, error) {
	set, err := s.projectSet(ctx, q.Filter, "pr.id")
	if err != nil {
		return coop.Timeline{}, err
	}
	if q.From.IsZero() || q.To.IsZero() {
		if q.From, q.To, err = s.timelineRange(ctx, set, q.From, q.To); err != nil {
			return coop.Timeline{}, err
		}
	}
	periods, err := coop.TimelinePeriods(q.From, q.To, q.Interval)
	if err != nil {
		return coop.Timeline{}, err
	}
	var b strings.Builder
	args := make([]any, 0, 2*len(periods)+1)
	for i, p := range periods {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(CAST(? AS INTEGER), CAST(? AS TEXT))")
		args = append(args, i, p.End.AddDate(0, 0, 1).Format("2006-01-02"))
	}
	args = append(args, set)
	money, join, sums := "", "", ""
	if q.Sums {
		// The set is live projects only; projects brings their amounts.
		money = ", p.budget_planned_cents, p.cost_actual_cents, p.savings_estimated_cents"
		join = " JOIN projects p ON p.id = sc.resource_id"
		sums = ", " + sumsSQL
	}
	sql := `WITH per(idx, pend) AS (VALUES ` + b.String() + `),
h AS (SELECT sc.to_status AS st, sc.effective_on_key AS k,
 LEAD(sc.effective_on_key) OVER (PARTITION BY sc.resource_id ORDER BY sc.effective_on_key, sc.id) AS nk` + money + `
 FROM status_changes sc` + join + ` WHERE sc.resource_type = 'project' AND sc.resource_id IN (?))
SELECT per.idx AS idx, f.st AS st, COUNT(*) AS n` + sums + `
 FROM per JOIN h f ON f.k < per.pend AND (f.nk IS NULL OR f.nk >= per.pend)
 GROUP BY per.idx, f.st`
	var rows []struct {
		Idx  int
		St   string
		N    int64
		Sums sumsRow `gorm:"embedded"`
	}
	if err := s.session(ctx, func(q *gorm.DB) error { return q.Raw(sql, args...).Scan(&rows).Error }); err != nil {
		return coop.Timeline{}, err
	}
	for i := range periods {
		periods[i].Counts = make(map[string]int64, len(coop.ProjectStatuses))
		for _, s := range coop.ProjectStatuses.Codes() {
			periods[i].Counts[s] = 0
		}
		if q.Sums {
			periods[i].Sums = make(map[string]coop.Sums, len(coop.ProjectStatuses))
			for _, s := range coop.ProjectStatuses.Codes() {
				periods[i].Sums[s] = coop.Sums{}
			}
		}
	}
	for _, r := range rows {
		if r.Idx >= 0 && r.Idx < len(periods) {
			periods[r.Idx].Counts[r.St] = r.N
			if q.Sums {
				periods[r.Idx].Sums[r.St] = r.Sums.sums()
			}
		}
	}
	return coop.Timeline{Periods: periods}, nil
}

// timelineRange fills a zero from or to with the data's range: the first and the last
// day on which a dated history entry of the project set took effect, or this month
// when there is none. A filled end never lies before the other end given (the range
// is then that end's alone).
func (b *base) timelineRange(ctx context.Context, set clause.Expr, from, to coop.PartialDate) (coop.PartialDate, coop.PartialDate, error) {
	var r struct{ Lo, Hi *string }
	err := b.session(ctx, func(conn *gorm.DB) error {
		return conn.Raw(`SELECT MIN(effective_on_key) AS lo, MAX(effective_on_key) AS hi FROM status_changes
 WHERE resource_type = 'project' AND effective_on_key <> '' AND resource_id IN (?)`, set).Scan(&r).Error
	})
	if err != nil {
		return from, to, err
	}
	now := time.Now().UTC()
	lo := coop.PartialDate{Year: now.Year(), Month: int(now.Month())}
	hi := lo
	if r.Lo != nil && r.Hi != nil {
		if lo, err = coop.ParsePartialDate(*r.Lo); err != nil {
			return from, to, err
		}
		if hi, err = coop.ParsePartialDate(*r.Hi); err != nil {
			return from, to, err
		}
	}
	switch {
	case from.IsZero() && to.IsZero():
		return lo, hi, nil
	case from.IsZero():
		if to.Before(lo) {
			return to, to, nil
		}
		return lo, to, nil
	default:
		if hi.Before(from) {
			return from, from, nil
		}
		return from, hi, nil
	}
}
