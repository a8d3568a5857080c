package store

import (
	"gorm.io/gorm"

	"context"
	"slices"
	"strings"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/sqldb"
)

// leadTimeSQL computes, for every project of the set (first argument), the days from
// its first entry into in_progress to the first entry into operational that follows it
// in the history (ordered by effective date, then by recording). Partial dates count
// as their first day; a project whose start or end entry is undated has no lead time.
// %DAYS% is the dialect's date difference of hs.k and he.k.
const leadTimeSQL = `WITH h AS (SELECT sc.resource_id AS pid, sc.to_status AS st, sc.effective_on_key AS k,
 ROW_NUMBER() OVER (PARTITION BY sc.resource_id ORDER BY sc.effective_on_key, sc.id) AS rn
 FROM status_changes sc WHERE sc.resource_type = 'project' AND sc.resource_id IN (?)),
s AS (SELECT pid, MIN(rn) AS rn FROM h WHERE st = 'in_progress' GROUP BY pid),
e AS (SELECT s.pid, MIN(h.rn) AS rn FROM s JOIN h ON h.pid = s.pid AND h.st = 'operational' AND h.rn > s.rn
 GROUP BY s.pid),
d AS (SELECT e.pid, %DAYS% AS days FROM e JOIN s ON s.pid = e.pid
 JOIN h hs ON hs.pid = s.pid AND hs.rn = s.rn JOIN h he ON he.pid = e.pid AND he.rn = e.rn
 WHERE hs.k <> '' AND he.k <> '')
`

// LeadTimes groups the lead times of the projects q.Filter selects by category or by
// participating partner (only participations in the filter's roles, if it names some)
// and reports per group the count, the median and the 90th percentile. The durations
// are computed in SQL; the percentiles here, by the nearest-rank method: the value at
// rank ⌈p/100 · n⌉ of the sorted durations (for an even count the median is the lower
// of the two middle values).
func (s *StatsService) LeadTimes(ctx context.Context, q coop.LeadTimeQuery) (coop.LeadTimes, error) {
	return cached(ctx, s.base, s.stats.leadTimes, "lead-times", q, func(ctx context.Context) (coop.LeadTimes, error) {
		return s.leadTimes(ctx, q)
	})
}

// leadTimes computes LeadTimes.
func (s *StatsService) leadTimes(ctx context.Context, q coop.LeadTimeQuery) (coop.LeadTimes, error) {
	set, err := s.projectSet(ctx, q.Filter, "pr.id")
	if err != nil {
		return coop.LeadTimes{}, err
	}
	days := "CAST(julianday(he.k) - julianday(hs.k) AS INTEGER)"
	if s.core.Dialect() == sqldb.Postgres {
		days = "(CAST(he.k AS DATE) - CAST(hs.k AS DATE))"
	}
	sql := strings.Replace(leadTimeSQL, "%DAYS%", days, 1)
	args := []any{set}
	switch q.GroupBy {
	case "category":
		sql += "SELECT p.category AS k, '' AS label, d.days FROM d JOIN projects p ON p.id = d.pid"
	case "partner":
		sub, subArgs := participationsSQL("project_id, partner_id", q.Filter.Roles)
		sql += "SELECT pa.slug AS k, pa.name AS label, d.days FROM d JOIN (" + sub +
			") pp ON pp.project_id = d.pid JOIN partners pa ON pa.id = pp.partner_id"
		args = append(args, subArgs...)
	default:
		return coop.LeadTimes{}, coop.Errorf(coop.EInvalid, "group_by: unbekannter Wert %q; erlaubt: %s / unknown value %[1]q; allowed: %[2]s",
			q.GroupBy, strings.Join(coop.LeadTimeGroupings, ", "))
	}
	var rows []struct {
		K     string
		Label string
		Days  int
	}
	if err := s.session(ctx, func(q *gorm.DB) error { return q.Raw(sql, args...).Scan(&rows).Error }); err != nil {
		return coop.LeadTimes{}, err
	}
	byKey := map[string]*leadGroup{}
	var order []string
	for _, r := range rows {
		g := byKey[r.K]
		if g == nil {
			g = &leadGroup{label: r.Label, labelEN: r.Label}
			if q.GroupBy == "category" {
				g.label, g.labelEN = coop.ProjectCategories.LabelDE(r.K), coop.ProjectCategories.LabelEN(r.K)
			}
			byKey[r.K] = g
			order = append(order, r.K)
		}
		g.days = append(g.days, r.Days)
	}
	out := coop.LeadTimes{Groups: make([]coop.LeadTimeGroup, 0, len(order))}
	for _, k := range order {
		g := byKey[k]
		slices.Sort(g.days)
		out.Groups = append(out.Groups, coop.LeadTimeGroup{Key: k, Label: g.label, LabelEN: g.labelEN, Count: len(g.days),
			MedianDays: nearestRank(g.days, 50), P90Days: nearestRank(g.days, 90)})
	}
	slices.SortFunc(out.Groups, func(a, b coop.LeadTimeGroup) int {
		if q.GroupBy == "category" {
			codes := coop.ProjectCategories.Codes()
			return slices.Index(codes, a.Key) - slices.Index(codes, b.Key)
		}
		if c := strings.Compare(strings.ToLower(a.Label), strings.ToLower(b.Label)); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
	return out, nil
}

type leadGroup struct {
	label, labelEN string
	days           []int
}

// nearestRank returns the p-th percentile of sorted (non-empty) by the nearest-rank
// method: the value at rank ⌈p·n/100⌉.
func nearestRank(sorted []int, p int) int {
	rank := (p*len(sorted) + 99) / 100
	if rank < 1 {
		rank = 1
	}
	return sorted[rank-1]
}
