package store_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// coverageOf renders a group as "key|label_de|label_en|count|with finance/budget/cost/savings".
func coverageOf(key, de, en string, n int64, c coop.Coverage) string {
	return fmt.Sprintf("%s|%s|%s|%d|%d/%d/%d/%d", key, de, en, n, c.Finance, c.BudgetPlanned, c.CostActual, c.SavingsEstimated)
}

// TestStatsCoverage: every group and the total count the projects that have each
// amount and any amount, from the counters and by GROUP BY alike, and carry German and
// English labels. The world: p1 (budget, cost), p2 (all three), p3 (budget), and two
// projects without any amount, p4 (network, no finance) and p5 (software, a finance
// object without amounts).
func TestStatsCoverage(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustStatsWorld(t, db)
		w.mustProject(t, "p4", func(d *coop.ProjectDraft) { d.Category = "network" })
		w.mustProject(t, "p5", func(d *coop.ProjectDraft) { d.Finance = &coop.FinanceDraft{} })
		for _, tc := range []struct {
			by, want string
		}{
			{"category", "archiving|Archivierung|Archiving|2|2/2/2/1 ; network|Netze|Networks|2|1/1/0/0 ; software|Fachverfahren/Software|Software|1|0/0/0/0"},
			{"status", "planned|Geplant|Planned|3|1/1/1/0 ; in_progress|In Umsetzung|In progress|1|1/1/0/0 ; operational|In Betrieb|Operational|1|1/1/1/1"},
			{"year", "2016|2016|2016|1|1/1/1/0 ; 2017|2017|2017|1|1/1/1/1 ; unknown|unbekannt|unknown|3|1/1/0/0"},
			{"state", "DE-NI|Niedersachsen|Niedersachsen|1|1/1/1/1 ; DE-NW|Nordrhein-Westfalen|Nordrhein-Westfalen|2|2/2/2/1 ; unknown|unbekannt|unknown|5|3/3/2/1"},
			{"role", "partner|Beteiligt|Partner|2|0/0/0/0 ; provider|Leistungserbringer|Provider|3|3/3/2/1 ; consumer|Leistungsnehmer|Consumer|3|3/3/2/1"},
		} {
			for name, get := range map[string]func(coop.StatsQuery) (coop.Stats, error){
				"ProjectStats": func(q coop.StatsQuery) (coop.Stats, error) { return db.ProjectStats(w.ctx, q) },
				"scanned":      func(q coop.StatsQuery) (coop.Stats, error) { return db.ScannedProjectStats(w.ctx, q) },
			} {
				st, err := get(coop.StatsQuery{GroupBy: tc.by})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, g := range st.Groups {
					got = append(got, coverageOf(g.Key, g.Label, g.LabelEN, g.Count, g.With))
				}
				if strings.Join(got, " ; ") != tc.want {
					t.Errorf("%s by %s:\n got %s\nwant %s", name, tc.by, strings.Join(got, " ; "), tc.want)
				}
				if got := coverageOf("", "", "", st.Total.Count, st.Total.With); got != "|||5|3/3/2/1" {
					t.Errorf("%s by %s: total %s", name, tc.by, got)
				}
				// a sum over projects none of which has the amount is 0 in Sum, unknown by With
				for _, g := range st.Groups {
					if g.With.SavingsEstimated == 0 && g.SavingsEstimated.String() != "0.00" {
						t.Errorf("%s by %s: %s savings %s without any", name, tc.by, g.Key, g.SavingsEstimated)
					}
				}
			}
		}
		st, err := db.ProjectStats(w.ctx, coop.StatsQuery{GroupBy: "partner"})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range st.Groups {
			if g.Label != g.LabelEN || g.Label == "" {
				t.Errorf("partner %s: labels %q, %q", g.Key, g.Label, g.LabelEN)
			}
		}
		lt, err := db.LeadTimes(w.ctx, coop.LeadTimeQuery{GroupBy: "category"})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range lt.Groups {
			if g.LabelEN != coop.ProjectCategories.LabelEN(g.Key) || g.Label != coop.ProjectCategories.LabelDE(g.Key) {
				t.Errorf("lead times %s: %q, %q", g.Key, g.Label, g.LabelEN)
			}
		}
	})
}

// TestProjectCoverageMigration: migration 00017 counts the amounts of the projects
// there are (deleted ones not), and its down migration leaves 00004's counters working.
func TestProjectCoverageMigration(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustStatsWorld(t, db)
		w.mustProject(t, "gone", func(d *coop.ProjectDraft) {
			d.Category, d.Finance = "archiving", &coop.FinanceDraft{CostActual: ptr("1000")}
		})
		if err := db.DeleteProject(w.ctx, "gone", 0); err != nil {
			t.Fatal(err)
		}
		if err := db.RedoMigrationsAfter(w.ctx, 16); err != nil {
			t.Fatal(err)
		}
		mustCountersAgree(t, w, "migrated with projects")
		st, err := db.ProjectStats(w.ctx, coop.StatsQuery{GroupBy: "category"})
		if err != nil || st.Total.With != (coop.Coverage{Finance: 3, BudgetPlanned: 3, CostActual: 2, SavingsEstimated: 1}) {
			t.Errorf("after the migration: %+v, %v", st.Total, err)
		}
		if err := db.RedoMigrationsAfter(w.ctx, 4); err != nil {
			t.Fatal(err)
		}
		mustCountersAgree(t, w, "migrated again from 00004")
	})
}

// TestTimelineRange: without from or to a timeline spans the data: the first and the
// last dated history entry of the projects selected, or this month without any.
func TestTimelineRange(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustHistoryWorld(t, db)
		now := time.Now().UTC()
		thisYear, thisMonth := fmt.Sprint(now.Year()), now.Format("2006-01")
		for _, tc := range []struct {
			q    coop.TimelineQuery
			want string // first and last period, and their number
		}{
			// h5 is an idea from 2015 and terminated in 2018-01
			{coop.TimelineQuery{Interval: "year"}, "2015..2018 (4)"},
			{coop.TimelineQuery{Interval: "quarter"}, "2015-Q1..2018-Q1 (13)"},
			// archiving: h2 planned 2016-01-15 … h2 operational 2017-02 (h4's undated entry does not count)
			{coop.TimelineQuery{Interval: "month", Filter: coop.ProjectFilter{Categories: []string{"archiving"}}}, "2016-01..2017-02 (14)"},
			{coop.TimelineQuery{Interval: "month", From: coop.MustPartialDate("2016-11"), Filter: coop.ProjectFilter{Categories: []string{"archiving"}}}, "2016-11..2017-02 (4)"},
			{coop.TimelineQuery{Interval: "month", To: coop.MustPartialDate("2016-02-29"), Filter: coop.ProjectFilter{Categories: []string{"archiving"}}}, "2016-01..2016-02 (2)"},
			// a given end beyond the data: the range is that end's period alone
			{coop.TimelineQuery{Interval: "year", From: coop.MustPartialDate("2020")}, "2020..2020 (1)"},
			{coop.TimelineQuery{Interval: "year", To: coop.MustPartialDate("2010-05")}, "2010..2010 (1)"},
			// no history: this month
			{coop.TimelineQuery{Interval: "month", Filter: coop.ProjectFilter{Tags: []string{"keins"}}}, thisMonth + ".." + thisMonth + " (1)"},
			{coop.TimelineQuery{Interval: "year", Filter: coop.ProjectFilter{Tags: []string{"keins"}}}, thisYear + ".." + thisYear + " (1)"},
		} {
			tl, err := db.Timeline(w.ctx, tc.q)
			if err != nil {
				t.Fatalf("%+v: %v", tc.q, err)
			}
			got := fmt.Sprintf("%s..%s (%d)", tl.Periods[0].Name, tl.Periods[len(tl.Periods)-1].Name, len(tl.Periods))
			if got != tc.want {
				t.Errorf("%+v: %s, want %s", tc.q, got, tc.want)
			}
		}
		// a range the data give that is too long for the interval is refused like one asked for
		w.mustProject(t, "alt", func(d *coop.ProjectDraft) { d.Status, d.StatusEffectiveOn = "idea", "1960-01" })
		_, err := db.Timeline(w.ctx, coop.TimelineQuery{Interval: "month"})
		mustCode(t, err, coop.EInvalid)
	})
}

// TestTimelineSums: with Sums a timeline sums, per period and status, the money of the
// projects in that status at the period's end, exactly, and counts those with each
// amount; counts stay what they are without.
func TestTimelineSums(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		for _, p := range []struct {
			slug  string
			steps []step
			fin   *coop.FinanceDraft
		}{
			{"t1", []step{{"planned", "2016-01"}, {"in_progress", "2016-07"}}, &coop.FinanceDraft{BudgetPlanned: ptr("9999999999.99")}},
			{"t2", []step{{"planned", "2016-03-31"}}, &coop.FinanceDraft{BudgetPlanned: ptr("0.01"), CostActual: ptr("-10")}},
			{"t3", []step{{"in_progress", "2016-02"}}, nil},
			{"t4", []step{{"planned", "2016-04-01"}}, &coop.FinanceDraft{SavingsEstimated: ptr("5")}},
		} {
			w.mustProject(t, p.slug, func(d *coop.ProjectDraft) {
				d.Status, d.StatusEffectiveOn, d.Finance = p.steps[0].to, p.steps[0].on, p.fin
			})
			for _, s := range p.steps[1:] {
				if _, err := db.TransitionProject(w.ctx, p.slug, coop.Transition{To: s.to, EffectiveOn: s.on}, 0); err != nil {
					t.Fatal(err)
				}
			}
		}
		q := coop.TimelineQuery{From: coop.MustPartialDate("2016"), To: coop.MustPartialDate("2016-09"), Interval: "quarter"}
		plain, err := db.Timeline(w.ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		q.Sums = true
		tl, err := db.Timeline(w.ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		// status: count budget/with cost/with savings/with
		want := []string{
			"planned 2 10000000000.00/2 -10.00/1 0.00/0 ; in_progress 1 0.00/0 0.00/0 0.00/0",
			"planned 3 10000000000.00/2 -10.00/1 5.00/1 ; in_progress 1 0.00/0 0.00/0 0.00/0",
			"planned 2 0.01/1 -10.00/1 5.00/1 ; in_progress 2 9999999999.99/1 0.00/0 0.00/0",
		}
		for i, p := range tl.Periods {
			var got []string
			for _, st := range coop.ProjectStatuses.Codes() {
				s := p.Sums[st]
				if p.Counts[st] == 0 {
					if s.With != (coop.Coverage{}) || s.BudgetPlanned.String() != "0.00" {
						t.Errorf("%s %s: sums without projects %+v", p.Name, st, s)
					}
					continue
				}
				got = append(got, fmt.Sprintf("%s %d %s/%d %s/%d %s/%d", st, p.Counts[st], s.BudgetPlanned, s.With.BudgetPlanned,
					s.CostActual, s.With.CostActual, s.SavingsEstimated, s.With.SavingsEstimated))
			}
			if strings.Join(got, " ; ") != want[i] {
				t.Errorf("%s:\n got %s\nwant %s", p.Name, strings.Join(got, " ; "), want[i])
			}
			if fmt.Sprint(p.Counts) != fmt.Sprint(plain.Periods[i].Counts) || plain.Periods[i].Sums != nil {
				t.Errorf("%s: counts %v with sums, %v without (sums %v)", p.Name, p.Counts, plain.Periods[i].Counts, plain.Periods[i].Sums)
			}
			if len(p.Sums) != len(coop.ProjectStatuses) {
				t.Errorf("%s: sums for %d statuses", p.Name, len(p.Sums))
			}
		}
	})
}
