package store_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// countedQueries are the statistics project_counts answers: by status or category,
// filtered by nothing but status and category.
var countedQueries = func() []coop.StatsQuery {
	var out []coop.StatsQuery
	for _, by := range []string{"status", "category"} {
		for _, f := range []coop.ProjectFilter{{}, {Statuses: []string{"planned", "operational"}},
			{Categories: []string{"archiving"}}, {Statuses: []string{"in_progress", "planned"}, Categories: []string{"archiving", "network"}},
			{Statuses: []string{"idea"}}, {Page: coop.Page{Limit: 5}}} {
			out = append(out, coop.StatsQuery{GroupBy: by, Filter: f})
		}
	}
	return out
}()

// mustCountersAgree fails unless the counters answer every counted query as GROUP BY
// over the projects does, and ProjectStats gives that answer.
func mustCountersAgree(t *testing.T, w *world, step string) {
	t.Helper()
	for _, q := range countedQueries {
		scanned, err := w.db.ScannedProjectStats(w.ctx, q)
		if err != nil {
			t.Fatalf("%s: scanned %+v: %v", step, q, err)
		}
		counted, ok, err := w.db.CountedProjectStats(w.ctx, q)
		if err != nil || !ok {
			t.Fatalf("%s: counted %+v: ok %v, %v", step, q, ok, err)
		}
		// (compared as text: a Sum's big.Int has more than one form of the same number)
		if fmt.Sprintf("%+v", counted) != fmt.Sprintf("%+v", scanned) {
			t.Errorf("%s: by %s %+v:\ncounted %+v\nscanned %+v", step, q.GroupBy, q.Filter, counted, scanned)
		}
		if got, err := w.db.ProjectStats(w.ctx, q); err != nil || fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", scanned) {
			t.Errorf("%s: ProjectStats %+v = %+v, %v", step, q, got, err)
		}
	}
}

// TestStatsCounters follows the counters through every write that moves a project
// between groups or changes its money, against GROUP BY over the projects.
func TestStatsCounters(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		mustCountersAgree(t, w, "empty")
		drafts := map[string]coop.ProjectDraft{}
		create := func(slug, category, status string, fin *coop.FinanceDraft) {
			d := draft(slug)
			d.Category, d.Status, d.Finance = category, status, fin
			if _, err := db.CreateProject(w.ctx, d); err != nil {
				t.Fatalf("create %s: %v", slug, err)
			}
			drafts[slug] = d
		}
		update := func(slug string, edit func(d *coop.ProjectDraft)) {
			d := drafts[slug]
			edit(&d)
			if _, err := db.UpdateProject(w.ctx, slug, d, 0); err != nil {
				t.Fatalf("update %s: %v", slug, err)
			}
			drafts[slug] = d
		}
		transition := func(slug, to string) {
			if _, err := db.TransitionProject(w.ctx, slug, coop.Transition{To: to}, 0); err != nil {
				t.Fatalf("%s → %s: %v", slug, to, err)
			}
		}
		create("a1", "archiving", "", &coop.FinanceDraft{BudgetPlanned: ptr("100.10"), CostActual: ptr("0.99")})
		create("a2", "archiving", "in_progress", &coop.FinanceDraft{BudgetPlanned: ptr("9999999999.99"), SavingsEstimated: ptr("-5")})
		create("a3", "archiving", "", nil)
		create("n1", "network", "idea", &coop.FinanceDraft{CostActual: ptr("12.34")})
		create("n2", "network", "planned", &coop.FinanceDraft{BudgetPlanned: ptr("-0.01"), CostActual: ptr("0"), SavingsEstimated: ptr("7")})
		create("s1", "software", "operational", &coop.FinanceDraft{BudgetPlanned: ptr("5"), CostActual: ptr("6"), SavingsEstimated: ptr("7")})
		mustCountersAgree(t, w, "created")

		// many projects of several groups in one multi-row INSERT (the import's creates)
		var many []coop.ProjectDraft
		for i, g := range [][2]string{{"archiving", ""}, {"archiving", "in_progress"}, {"network", "idea"},
			{"archiving", ""}, {"network", "operational"}, {"network", "idea"}} {
			d := draft(fmt.Sprintf("bulk-%d", i))
			d.Category, d.Status = g[0], g[1]
			if i%2 == 0 {
				d.Finance = &coop.FinanceDraft{BudgetPlanned: ptr(fmt.Sprintf("%d.25", i)), SavingsEstimated: ptr("-1")}
			}
			many = append(many, d)
		}
		if err := db.CreateProjects(w.ctx, many); err != nil {
			t.Fatal(err)
		}
		mustCountersAgree(t, w, "created in one statement")

		update("a1", func(d *coop.ProjectDraft) {
			d.Finance = &coop.FinanceDraft{BudgetPlanned: ptr("7.00"), SavingsEstimated: ptr("1.50")}
		})
		mustCountersAgree(t, w, "money changed, cost to NULL")
		update("a3", func(d *coop.ProjectDraft) { d.Finance = &coop.FinanceDraft{CostActual: ptr("3.33")} })
		mustCountersAgree(t, w, "money from NULL")
		update("n2", func(d *coop.ProjectDraft) { d.Finance = nil })
		mustCountersAgree(t, w, "money to NULL")
		update("n2", func(d *coop.ProjectDraft) { d.Category = "archiving" })
		mustCountersAgree(t, w, "category changed")
		update("a2", func(d *coop.ProjectDraft) {
			d.Category, d.Finance = "software", &coop.FinanceDraft{BudgetPlanned: ptr("1"), SavingsEstimated: ptr("-5")}
		})
		mustCountersAgree(t, w, "category and money changed")
		update("s1", func(d *coop.ProjectDraft) { d.Title = "Nur der Titel" })
		mustCountersAgree(t, w, "title changed")

		transition("a1", "in_progress")
		transition("a1", "operational")
		transition("n1", "cancelled")
		mustCountersAgree(t, w, "transitions")

		if err := db.DeleteProject(w.ctx, "s1", 0); err != nil {
			t.Fatal(err)
		}
		mustCountersAgree(t, w, "deleted")
		update("a2", func(d *coop.ProjectDraft) { d.Category = "network" })
		if err := db.DeleteProject(w.ctx, "a2", 0); err != nil {
			t.Fatal(err)
		}
		// software has no live project left: its (status, category) rows count 0
		st, err := db.ProjectStats(w.ctx, coop.StatsQuery{GroupBy: "category"})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range st.Groups {
			if g.Key == "software" || g.Count == 0 {
				t.Errorf("empty group %+v", g)
			}
		}
		mustCountersAgree(t, w, "groups emptied")
		if _, err := db.RestoreProject(w.ctx, "s1", 0); err != nil {
			t.Fatal(err)
		}
		if _, err := db.RestoreProject(w.ctx, "a2", 0); err != nil {
			t.Fatal(err)
		}
		mustCountersAgree(t, w, "restored")
		transition("a2", "operational")
		update("a2", func(d *coop.ProjectDraft) { d.Finance = nil })
		mustCountersAgree(t, w, "restored project changed")

		// Other filters and groupings do not come from the counters.
		for _, q := range []coop.StatsQuery{{GroupBy: "year"}, {GroupBy: "partner"},
			{GroupBy: "status", Filter: coop.ProjectFilter{Partners: []string{"citeq"}}},
			{GroupBy: "status", Filter: coop.ProjectFilter{AsOf: coop.MustPartialDate("2016")}},
			{GroupBy: "category", Filter: coop.ProjectFilter{Q: "Vorhaben"}}} {
			if _, ok, err := db.CountedProjectStats(w.ctx, q); ok || err != nil {
				t.Errorf("%+v: counted %v, %v", q, ok, err)
			}
		}
	})
}

// TestStatsBeyond64Bits: sums beyond 64 bits are exact, from the counters and by
// GROUP BY, and a write never fails on them. The service accepts no amount that large
// (coop.MaxAmount), but a database may hold them from before the bound: 93 amounts of
// 10^17 - 1 cents exceed 2^63 - 1.
func TestStatsBeyond64Bits(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		for i := range 93 {
			w.mustProject(t, "big-"+strconv.Itoa(i), func(d *coop.ProjectDraft) {
				d.Finance = &coop.FinanceDraft{BudgetPlanned: ptr("1")}
			})
		}
		const top = 99_999_999_999_999_999 // cents
		if _, err := storetest.SQL(db).ExecContext(w.ctx, "UPDATE projects SET budget_planned_cents = "+
			strconv.FormatInt(top, 10)+" WHERE slug LIKE 'big-%'"); err != nil {
			t.Fatal(err)
		}
		want := func(n int64) string { return coop.SumParts(0, 0).Plus(sumTimes(top, n)).String() }
		if want(93) != "92999999999999999.07" {
			t.Fatalf("want %s", want(93))
		}
		check := func(n int64) {
			t.Helper()
			for _, by := range []string{"status", "category"} {
				q := coop.StatsQuery{GroupBy: by}
				for name, get := range map[string]func() (coop.Stats, error){
					"ProjectStats": func() (coop.Stats, error) { return db.ProjectStats(w.ctx, q) },
					"scanned":      func() (coop.Stats, error) { return db.ScannedProjectStats(w.ctx, q) },
				} {
					st, err := get()
					if err != nil || st.Total.Count != n || st.Total.BudgetPlanned.String() != want(n) || len(st.Groups) != 1 ||
						st.Groups[0].BudgetPlanned.String() != want(n) {
						t.Errorf("%s by %s with %d: %+v, %v; want budget %s", name, by, n, st, err, want(n))
					}
				}
			}
		}
		check(93)
		for _, slug := range []string{"big-0", "big-1"} {
			if err := db.DeleteProject(w.ctx, slug, 0); err != nil {
				t.Fatal(err)
			}
		}
		check(91)
	})
}

// sumTimes is n times c cents.
func sumTimes(c int64, n int64) coop.Sum {
	var s coop.Sum
	for range n {
		s = s.AddCents(coop.Cents(c))
	}
	return s
}

// TestProjectTotalsMigration: migration 00004 fills the sums from the projects there
// are (deleted ones not counted), and its down migration leaves 00003's counts working.
func TestProjectTotalsMigration(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustStatsWorld(t, db)
		w.mustProject(t, "gone", func(d *coop.ProjectDraft) {
			d.Category, d.Finance = "archiving", &coop.FinanceDraft{BudgetPlanned: ptr("1000")}
		})
		if err := db.DeleteProject(w.ctx, "gone", 0); err != nil {
			t.Fatal(err)
		}
		if err := db.RedoMigrationsAfter(w.ctx, 3); err != nil {
			t.Fatal(err)
		}
		mustCountersAgree(t, w, "migrated with projects")
		if l, err := db.FindProjects(w.ctx, coop.ProjectFilter{Categories: []string{"archiving"}}); err != nil || l.Total != 2 {
			t.Errorf("list total after the migration: %d, %v", l.Total, err)
		}
	})
}

// TestStatsSetJoinsNothing: the statistics' project set reads projects without the
// joins of a list's brief refs, whatever the filter.
func TestStatsSetJoinsNothing(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		for _, f := range []coop.ProjectFilter{{}, {AsOf: coop.MustPartialDate("2017"), Statuses: []string{"planned"}},
			{Cooperations: []string{"k-1"}, Solutions: []string{"s"}, Partners: []string{"citeq"}, Roles: []string{"lead"},
				Tags: []string{"x"}, StartedFrom: coop.MustPartialDate("2016"), Q: "Akte"}} {
			sql, err := db.ProjectSetSQL(f)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(sql, "JOIN cooperations") || strings.Contains(sql, "JOIN solutions") {
				t.Errorf("%+v: %s", f, sql)
			}
		}
	})
}
