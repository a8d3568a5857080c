package store_test

import (
	"strconv"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

func ptr(s string) *string { return &s }

// mustCents parses a decimal string.
func mustCents(t *testing.T, s string) coop.Cents {
	t.Helper()
	c, err := coop.ParseMoney(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// groupsOf renders stats groups as key → "label|count|budget|cost|savings".
func groupsOf(st coop.Stats) map[string]string {
	out := map[string]string{}
	for _, g := range st.Groups {
		out[g.Key] = g.Label + "|" + strconv.FormatInt(g.Count, 10) + "|" + g.BudgetPlanned.String() + "|" + g.CostActual.String() + "|" + g.SavingsEstimated.String()
	}
	return out
}

// mustStatsWorld adds partners with states (one only through its parent) and three
// projects with mixed money to the world.
func mustStatsWorld(t *testing.T, db *store.DB) *world {
	t.Helper()
	w := mustWorld(t, db)
	for _, p := range []coop.PartnerDraft{
		{Slug: "stadt-koeln", Name: "Stadt Köln", Type: "municipality", AGS: "05315000", State: "DE-NW"},
		{Slug: "stadtarchiv-koeln", Name: "Historisches Archiv der Stadt Köln", Type: "department", Parent: "stadt-koeln"},
		{Slug: "hannover", Name: "Landeshauptstadt Hannover", Type: "municipality", State: "DE-NI"},
	} {
		if _, err := db.CreatePartner(w.ctx, p); err != nil {
			t.Fatalf("partner %s: %v", p.Slug, err)
		}
	}
	part := func(list ...string) []coop.ParticipantDraft {
		var out []coop.ParticipantDraft
		for i := 0; i < len(list); i += 2 {
			out = append(out, coop.ParticipantDraft{Partner: list[i], Role: list[i+1]})
		}
		return out
	}
	w.mustProject(t, "p1", func(d *coop.ProjectDraft) {
		d.Category, d.StartedOn = "archiving", "2016-11"
		d.Participants = part("citeq", "provider", "stadt-koeln", "consumer")
		d.Finance = &coop.FinanceDraft{BudgetPlanned: ptr("0.10"), CostActual: ptr("1000000000.01")}
	})
	w.mustProject(t, "p2", func(d *coop.ProjectDraft) {
		d.Category, d.StartedOn, d.Status = "archiving", "2017", "operational"
		d.Participants = part("stadtarchiv-koeln", "consumer", "hannover", "provider", "citeq", "consumer")
		d.Finance = &coop.FinanceDraft{BudgetPlanned: ptr("0.20"), CostActual: ptr("0.99"), SavingsEstimated: ptr("-5")}
	})
	w.mustProject(t, "p3", func(d *coop.ProjectDraft) {
		d.Category, d.Status = "network", "in_progress"
		d.Participants = part("citeq", "provider", "citeq", "consumer")
		d.Finance = &coop.FinanceDraft{BudgetPlanned: ptr("9999999999.99")}
	})
	return w
}

func TestProjectStats(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustStatsWorld(t, db)
		stats := func(by string, f coop.ProjectFilter) coop.Stats {
			t.Helper()
			st, err := db.ProjectStats(w.ctx, coop.StatsQuery{Filter: f, GroupBy: by})
			if err != nil {
				t.Fatalf("stats by %s: %v", by, err)
			}
			return st
		}
		// sums in integer cents, exact
		wantBudget := mustCents(t, "0.10") + mustCents(t, "0.20") + mustCents(t, "9999999999.99")
		st := stats("status", coop.ProjectFilter{})
		if st.Total.Count != 3 || !st.Total.BudgetPlanned.Equal(wantBudget.Sum()) || st.Total.BudgetPlanned.String() != "10000000000.29" ||
			st.Total.CostActual.String() != "1000000001.00" || st.Total.SavingsEstimated.String() != "-5.00" {
			t.Errorf("total = %+v", st.Total)
		}
		for _, tc := range []struct {
			by   string
			f    coop.ProjectFilter
			want map[string]string
		}{
			{"status", coop.ProjectFilter{}, map[string]string{
				"planned":     "Geplant|1|0.10|1000000000.01|0.00",
				"in_progress": "In Umsetzung|1|9999999999.99|0.00|0.00",
				"operational": "In Betrieb|1|0.20|0.99|-5.00"}},
			{"category", coop.ProjectFilter{}, map[string]string{
				"archiving": "Archivierung|2|0.30|1000000001.00|-5.00",
				"network":   "Netze|1|9999999999.99|0.00|0.00"}},
			{"partner", coop.ProjectFilter{}, map[string]string{
				"citeq":             "citeq|3|10000000000.29|1000000001.00|-5.00",
				"stadt-koeln":       "Stadt Köln|1|0.10|1000000000.01|0.00",
				"stadtarchiv-koeln": "Historisches Archiv der Stadt Köln|1|0.20|0.99|-5.00",
				"hannover":          "Landeshauptstadt Hannover|1|0.20|0.99|-5.00"}},
			{"partner", coop.ProjectFilter{Roles: []string{"provider"}}, map[string]string{
				"citeq":    "citeq|2|10000000000.09|1000000000.01|0.00",
				"hannover": "Landeshauptstadt Hannover|1|0.20|0.99|-5.00"}},
			{"role", coop.ProjectFilter{}, map[string]string{
				"provider": "Leistungserbringer|3|10000000000.29|1000000001.00|-5.00",
				"consumer": "Leistungsnehmer|3|10000000000.29|1000000001.00|-5.00"}},
			{"state", coop.ProjectFilter{}, map[string]string{
				"DE-NW":   "Nordrhein-Westfalen|2|0.30|1000000001.00|-5.00",
				"DE-NI":   "Niedersachsen|1|0.20|0.99|-5.00",
				"unknown": "unbekannt|3|10000000000.29|1000000001.00|-5.00"}},
			{"year", coop.ProjectFilter{}, map[string]string{
				"2016": "2016|1|0.10|1000000000.01|0.00", "2017": "2017|1|0.20|0.99|-5.00",
				"unknown": "unbekannt|1|9999999999.99|0.00|0.00"}},
			{"status", coop.ProjectFilter{Categories: []string{"archiving"}, Partners: []string{"hannover"}}, map[string]string{
				"operational": "In Betrieb|1|0.20|0.99|-5.00"}},
		} {
			got := groupsOf(stats(tc.by, tc.f))
			if len(got) != len(tc.want) {
				t.Errorf("by %s %+v: groups %v, want %v", tc.by, tc.f, got, tc.want)
				continue
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("by %s %+v: %s = %q, want %q", tc.by, tc.f, k, got[k], v)
				}
			}
		}
		// order: enums in their order, the unknown group last
		var keys []string
		for _, g := range stats("year", coop.ProjectFilter{}).Groups {
			keys = append(keys, g.Key)
		}
		if len(keys) != 3 || keys[0] != "2016" || keys[2] != "unknown" {
			t.Errorf("year order = %v", keys)
		}
		_, err := db.ProjectStats(w.ctx, coop.StatsQuery{GroupBy: "colour"})
		mustCode(t, err, coop.EInvalid)
	})
}
