package store

import (
	"context"
	"reflect"
	"slices"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// unknownLabel and unknownLabelEN name the group of projects whose value is unknown.
const (
	unknownLabel   = "unbekannt"
	unknownLabelEN = "unknown"
)

// sumsSQL sums the money columns of the project set f exactly, whatever their size:
// each amount is split into its quotient and remainder by 10⁹ (integer division on
// both databases), summed separately, and joined in Go (coop.SumParts). NULL adds 0.
// PostgreSQL sums bigint as numeric; the casts bring the parts back. It also counts
// the projects that have each amount, and any (a sum over none is not 0 but unknown).
const sumsSQL = `CAST(COALESCE(SUM(f.budget_planned_cents / 1000000000), 0) AS BIGINT) AS budget_hi,
 CAST(COALESCE(SUM(f.budget_planned_cents % 1000000000), 0) AS BIGINT) AS budget_lo,
 CAST(COALESCE(SUM(f.cost_actual_cents / 1000000000), 0) AS BIGINT) AS cost_hi,
 CAST(COALESCE(SUM(f.cost_actual_cents % 1000000000), 0) AS BIGINT) AS cost_lo,
 CAST(COALESCE(SUM(f.savings_estimated_cents / 1000000000), 0) AS BIGINT) AS savings_hi,
 CAST(COALESCE(SUM(f.savings_estimated_cents % 1000000000), 0) AS BIGINT) AS savings_lo,
 COUNT(f.budget_planned_cents) AS with_budget, COUNT(f.cost_actual_cents) AS with_cost,
 COUNT(f.savings_estimated_cents) AS with_savings,
 COUNT(CASE WHEN f.budget_planned_cents IS NOT NULL OR f.cost_actual_cents IS NOT NULL
 OR f.savings_estimated_cents IS NOT NULL THEN 1 END) AS with_finance`

// sumsRow is what sumsSQL gives, its sums in parts.
type sumsRow struct {
	BudgetHi, BudgetLo                             int64
	CostHi, CostLo                                 int64
	SavingsHi, SavingsLo                           int64
	WithBudget, WithCost, WithSavings, WithFinance int64
}

func (r sumsRow) sums() coop.Sums {
	return coop.Sums{BudgetPlanned: coop.SumParts(r.BudgetHi, r.BudgetLo), CostActual: coop.SumParts(r.CostHi, r.CostLo),
		SavingsEstimated: coop.SumParts(r.SavingsHi, r.SavingsLo),
		With:             coop.Coverage{Finance: r.WithFinance, BudgetPlanned: r.WithBudget, CostActual: r.WithCost, SavingsEstimated: r.WithSavings}}
}

// statsRow is one group as the database answers it.
type statsRow struct {
	K     string
	Label string
	N     int64
	Sums  sumsRow `gorm:"embedded"`
}

// projectSet is the statement of the live projects f selects (its paging ignored),
// with cols (of alias pr), as an expression to put into a statement's FROM (?). It
// reads no brief refs, so it joins no cooperations and solutions.
func (b *base) projectSet(ctx context.Context, f coop.ProjectFilter, cols string) (clause.Expr, error) {
	q, err := b.projectQuery(ctx, f, cols)
	if err != nil {
		return clause.Expr{}, err
	}
	sql, args := q.Build(false)
	return gorm.Expr(sql, args...), nil
}

// statsCols are the columns statistics read of a project set: id, status (as of
// f.AsOf), category, started_on_key, money.
const statsCols = `pr.id, pr.status, pr.category, pr.started_on_key, pr.budget_planned_cents,
 pr.cost_actual_cents, pr.savings_estimated_cents`

// participationsSQL selects the distinct cols of project_participants (e.g. project
// and partner: a partner taking part in two roles counts once), limited to roles when
// the filter names some.
func participationsSQL(cols string, roles []string) (string, []any) {
	if len(roles) == 0 {
		return "SELECT DISTINCT " + cols + " FROM project_participants", nil
	}
	return "SELECT DISTINCT " + cols + " FROM project_participants WHERE role IN ?", []any{roles}
}

// ProjectStats counts the projects q.Filter selects and sums their money, grouped by
// q.GroupBy, all in SQL (nothing is loaded row by row): by status or category with no
// filter but status and category, from the counters project_counts keeps (at most 72
// rows, whatever the size of the directory); otherwise by GROUP BY over the filtered
// set. "partner" counts each project once per participating partner (only
// participations in the filter's roles, if it names some); "role" once per role;
// "state" once per state of its participants (a partner without a state of its own
// counts with its parent's); "year" by the year of started_on. The total counts every
// project once.
func (s *StatsService) ProjectStats(ctx context.Context, q coop.StatsQuery) (coop.Stats, error) {
	return cached(ctx, s.base, s.stats.projects, "stats", q, func(ctx context.Context) (coop.Stats, error) {
		return s.projectStats(ctx, q)
	})
}

// projectStats computes ProjectStats.
func (s *StatsService) projectStats(ctx context.Context, q coop.StatsQuery) (st coop.Stats, err error) {
	// The project set before a connection is held: a q filter (search) reads.
	var set clause.Expr
	if !countedQuery(q) {
		if set, err = s.projectSet(ctx, q.Filter, statsCols); err != nil {
			return st, err
		}
	}
	// The register before a connection is held: it may read one.
	reg, err := s.register(ctx)
	if err != nil {
		return st, err
	}
	err = s.session(ctx, func(conn *gorm.DB) error {
		groups, ok, err := s.countedStats(conn, q)
		switch {
		case err != nil:
			return err
		case !ok:
			if set.SQL == "" { // a countable filter (no q) the counters could not sum
				if set, err = s.projectSet(ctx, q.Filter, statsCols); err != nil {
					return err
				}
			}
			if st, err = s.scannedStats(conn, q, set); err != nil {
				return err
			}
			return populationServed(conn, reg, q, set, &st)
		}
		st = statsOf(q.GroupBy, groups, sumGroups(groups))
		if set.SQL == "" {
			if set, err = s.projectSet(ctx, q.Filter, statsCols); err != nil {
				return err
			}
		}
		return populationServed(conn, reg, q, set, &st)
	})
	return st, err
}

// countedQuery reports whether q groups by status or category with a countable
// filter: what the counters can answer.
func countedQuery(q coop.StatsQuery) bool {
	return (q.GroupBy == "status" || q.GroupBy == "category") && countableFilter(q.Filter)
}

// countableFilter reports whether f selects by nothing but status and category (its
// paging aside): what project_counts can answer. Any other field, also one added to
// ProjectFilter later, needs the projects themselves.
func countableFilter(f coop.ProjectFilter) bool {
	f.Statuses, f.Categories, f.Page = nil, nil, coop.Page{}
	return reflect.ValueOf(f).IsZero()
}

// countedStats answers statistics by status or category from project_counts (kept by
// triggers in the transaction of every write, migrations 00003, 00004, 00017 and
// 00021) if q's filter is countable; ok is false otherwise. It reads the counters'
// rows (at most 72 groups, up to 16 rows each) and adds them up in Go, exactly:
// PostgreSQL keeps the sums as numeric, read as text; SQLite keeps an integer until a
// sum leaves 64 bits and a REAL after that, whose text is no whole number, so ok is
// false and GROUP BY says what the sum is. It is the one reader of the counters.
func (b *base) countedStats(conn *gorm.DB, q coop.StatsQuery) (groups []coop.StatsGroup, ok bool, err error) {
	if !countedQuery(q) {
		return nil, false, nil
	}
	// A group is kept in several rows (on PostgreSQL one per slot, migration 00021),
	// each of which alone may hold anything, also less than 0: only their sum counts.
	sql := "SELECT " + q.GroupBy + ` AS k, n, CAST(budget_planned_cents AS TEXT) AS budget,
 CAST(cost_actual_cents AS TEXT) AS cost, CAST(savings_estimated_cents AS TEXT) AS savings,
 with_budget_planned, with_cost_actual, with_savings_estimated, with_finance
 FROM project_counts`
	var where []string
	var args []any
	if len(q.Filter.Statuses) > 0 {
		where, args = append(where, "status IN ?"), append(args, q.Filter.Statuses)
	}
	if len(q.Filter.Categories) > 0 {
		where, args = append(where, "category IN ?"), append(args, q.Filter.Categories)
	}
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	var got []struct {
		K                     string
		N                     int64
		Budget, Cost, Savings string
		WithBudgetPlanned     int64
		WithCostActual        int64
		WithSavingsEstimated  int64
		WithFinance           int64
	}
	if err := conn.Raw(sql, args...).Scan(&got).Error; err != nil {
		return nil, false, translate(err)
	}
	at := map[string]int{}
	for _, r := range got {
		sums := coop.Sums{With: coop.Coverage{Finance: r.WithFinance, BudgetPlanned: r.WithBudgetPlanned,
			CostActual: r.WithCostActual, SavingsEstimated: r.WithSavingsEstimated}}
		for dst, text := range map[*coop.Sum]string{&sums.BudgetPlanned: r.Budget, &sums.CostActual: r.Cost,
			&sums.SavingsEstimated: r.Savings} {
			if *dst, ok = coop.ParseSum(text); !ok {
				return nil, false, nil
			}
		}
		i, seen := at[r.K]
		if !seen {
			i, at[r.K] = len(groups), len(groups)
			groups = append(groups, coop.StatsGroup{Key: r.K})
		}
		g := &groups[i]
		g.Count += r.N
		g.Sums = g.Sums.Plus(sums)
	}
	// Groups without live projects keep their rows (summing to 0): not a group.
	groups = slices.DeleteFunc(groups, func(g coop.StatsGroup) bool { return g.Count == 0 })
	return groups, true, nil
}

// scannedStats is ProjectStats by GROUP BY over the filtered project set.
func (b *base) scannedStats(conn *gorm.DB, q coop.StatsQuery, set clause.Expr) (coop.Stats, error) {
	var out coop.Stats
	var sql string
	args := []any{set}
	switch q.GroupBy {
	case "status", "category":
		sql = "SELECT f." + q.GroupBy + " AS k, COUNT(*) AS n, " + sumsSQL + " FROM (?) f GROUP BY f." + q.GroupBy
	case "year":
		sql = "SELECT SUBSTR(f.started_on_key, 1, 4) AS k, COUNT(*) AS n, " + sumsSQL +
			" FROM (?) f GROUP BY SUBSTR(f.started_on_key, 1, 4)"
	case "role":
		sub, subArgs := participationsSQL("project_id, role", q.Filter.Roles)
		sql = "SELECT pp.role AS k, COUNT(*) AS n, " + sumsSQL + " FROM (?) f JOIN (" + sub +
			") pp ON pp.project_id = f.id GROUP BY pp.role"
		args = append(args, subArgs...)
	case "partner":
		sub, subArgs := participationsSQL("project_id, partner_id", q.Filter.Roles)
		sql = "SELECT pa.slug AS k, pa.name AS label, COUNT(*) AS n, " + sumsSQL + " FROM (?) f JOIN (" + sub +
			") pp ON pp.project_id = f.id JOIN partners pa ON pa.id = pp.partner_id GROUP BY pa.id, pa.slug, pa.name"
		args = append(args, subArgs...)
	case "state":
		sub := `SELECT DISTINCT pp.project_id, COALESCE(NULLIF(pa.state, ''), NULLIF(par.state, ''), '') AS state
 FROM project_participants pp JOIN partners pa ON pa.id = pp.partner_id LEFT JOIN partners par ON par.id = pa.parent_id`
		if len(q.Filter.Roles) > 0 {
			sub += " WHERE pp.role IN ?"
			args = append(args, q.Filter.Roles)
		}
		sql = "SELECT ps.state AS k, COUNT(*) AS n, " + sumsSQL + " FROM (?) f JOIN (" + sub +
			") ps ON ps.project_id = f.id GROUP BY ps.state"
	default:
		return out, coop.Errorf(coop.EInvalid, "group_by: unbekannter Wert %q; erlaubt: %s / unknown value %[1]q; allowed: %[2]s", q.GroupBy, strings.Join(coop.StatsGroupings, ", "))
	}
	var rows []statsRow
	if err := conn.Raw(sql, args...).Scan(&rows).Error; err != nil {
		return out, translate(err)
	}
	groups := make([]coop.StatsGroup, len(rows))
	for i, r := range rows {
		groups[i] = coop.StatsGroup{Key: r.K, Label: r.Label, Count: r.N, Sums: r.Sums.sums()}
	}
	var total coop.StatsTotal
	switch q.GroupBy {
	case "status", "category", "year":
		// Each project is in exactly one group: the total is their sum, no second scan.
		total = sumGroups(groups)
	default:
		// A project can be in several groups (partners, roles, states): count it once.
		var t statsRow
		if err := conn.Raw("SELECT COUNT(*) AS n, "+sumsSQL+" FROM (?) f", set).Scan(&t).Error; err != nil {
			return out, translate(err)
		}
		total = coop.StatsTotal{Count: t.N, Sums: t.Sums.sums()}
	}
	return statsOf(q.GroupBy, groups, total), nil
}

// sumGroups adds up groups of which every project is in exactly one.
func sumGroups(groups []coop.StatsGroup) coop.StatsTotal {
	var total coop.StatsTotal
	for _, g := range groups {
		total.Count += g.Count
		total.Sums = total.Sums.Plus(g.Sums)
	}
	return total
}

// statsOf builds the answer: groups labelled and sorted, and the total.
func statsOf(by string, groups []coop.StatsGroup, total coop.StatsTotal) coop.Stats {
	labelGroups(by, groups)
	return coop.Stats{Groups: groups, Total: total}
}

// labelGroups gives each group its German and English label and sorts the groups:
// enums in their order, partners by name, states by code and years ascending, the
// unknown group last.
func labelGroups(by string, groups []coop.StatsGroup) {
	enum := map[string]coop.Enum{"status": coop.ProjectStatuses, "category": coop.ProjectCategories,
		"role": coop.ParticipantRoles, "state": coop.States}[by]
	for i := range groups {
		g := &groups[i]
		switch {
		case by != "partner" && g.Key == "":
			g.Key, g.Label, g.LabelEN = coop.UnknownKey, unknownLabel, unknownLabelEN
		case enum != nil:
			g.Label, g.LabelEN = enum.LabelDE(g.Key), enum.LabelEN(g.Key)
		case by == "year":
			g.Label, g.LabelEN = g.Key, g.Key
		default: // a partner's name
			g.LabelEN = g.Label
		}
	}
	rank := func(g coop.StatsGroup) int {
		if g.Key == coop.UnknownKey && by != "partner" {
			return 1 << 30
		}
		if by == "status" || by == "category" || by == "role" {
			return slices.Index(enum.Codes(), g.Key)
		}
		return 0
	}
	slices.SortStableFunc(groups, func(a, b coop.StatsGroup) int {
		if d := rank(a) - rank(b); d != 0 {
			return d
		}
		if by == "partner" {
			if c := strings.Compare(strings.ToLower(a.Label), strings.ToLower(b.Label)); c != 0 {
				return c
			}
		}
		return strings.Compare(a.Key, b.Key)
	})
}
