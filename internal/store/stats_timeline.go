package store

import (
	"gorm.io/gorm"

	"context"
	"strings"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// Timeline counts, for each period, the projects q.Filter selects by the status they
// were in at the period's end, from the status history — in one query: the periods
// built here travel as a VALUES table (not UNION ALL: SQLite allows at most 500
// compound terms), each history entry knows (by LEAD) when the next one took effect,
// and an entry counts for a period if it took effect before the period's end and the
// next one did not. Undated entries count as the earliest, as in
// as_of; a project without an entry by then is not counted.
func (s *StatsService) Timeline(ctx context.Context, q coop.TimelineQuery) (coop.Timeline, error) {
	periods, err := coop.TimelinePeriods(q.From, q.To, q.Interval)
	if err != nil {
		return coop.Timeline{}, err
	}
	set, err := s.projectSet(ctx, q.Filter, "pr.id")
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
	sql := `WITH per(idx, pend) AS (VALUES ` + b.String() + `),
h AS (SELECT sc.to_status AS st, sc.effective_on_key AS k,
 LEAD(sc.effective_on_key) OVER (PARTITION BY sc.resource_id ORDER BY sc.effective_on_key, sc.id) AS nk
 FROM status_changes sc WHERE sc.resource_type = 'project' AND sc.resource_id IN (?))
SELECT per.idx AS idx, h.st AS st, COUNT(*) AS n
 FROM per JOIN h ON h.k < per.pend AND (h.nk IS NULL OR h.nk >= per.pend)
 GROUP BY per.idx, h.st`
	var rows []struct {
		Idx int
		St  string
		N   int64
	}
	if err := s.session(ctx, func(q *gorm.DB) error { return q.Raw(sql, args...).Scan(&rows).Error }); err != nil {
		return coop.Timeline{}, err
	}
	for i := range periods {
		periods[i].Counts = make(map[string]int64, len(coop.ProjectStatuses))
		for _, s := range coop.ProjectStatuses.Codes() {
			periods[i].Counts[s] = 0
		}
	}
	for _, r := range rows {
		if r.Idx >= 0 && r.Idx < len(periods) {
			periods[r.Idx].Counts[r.St] = r.N
		}
	}
	return coop.Timeline{Periods: periods}, nil
}
