package httpapi_test

import (
	"encoding/json"
	"testing"
)

type statsAnswer struct {
	Groups []statsGroupAnswer
	Total  statsGroupAnswer
}

type statsGroupAnswer struct {
	Key               string
	Count             int
	PopulationServed  int64   `json:"population_served"`
	CostPerInhabitant *string `json:"cost_per_inhabitant"`
	BudgetPerInh      *string `json:"budget_per_inhabitant"`
	raw               map[string]any
}

func decodeStats(t *testing.T, r resp) statsAnswer {
	t.Helper()
	mustStatus(t, r, 200)
	var s statsAnswer
	if err := json.Unmarshal(r.Body, &s); err != nil {
		t.Fatal(err)
	}
	var raw struct{ Total map[string]any }
	_ = json.Unmarshal(r.Body, &raw)
	s.Total.raw = raw.Total
	return s
}

// The population served counts each region once, a district's municipality not
// again; cost per inhabitant is exact to the cent, and only for those who see money.
func TestPopulationServed(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		e.mustCreate(t, "/api/v1/partners", "admin", map[string]any{"ars": "055700000000"})                        // Kreis Warendorf, 277,840
		e.mustCreate(t, "/api/v1/partners", "admin", map[string]any{"ars": "055700004004", "slug": "stadt-ahlen"}) // in it, 52,503
		e.mustCreate(t, "/api/v1/projects", "admin", projectBody("warendorf-ahlen", map[string]any{
			"participants": []any{map[string]any{"partner": "kreis-warendorf", "role": "lead"}, map[string]any{"partner": "stadt-ahlen", "role": "consumer"}},
			"finance":      map[string]any{"cost_actual": "1000000.00", "budget_planned": "2778400.00"}}))

		s := decodeStats(t, e.get("/api/v1/stats/projects?group_by=status&partner=kreis-warendorf", "controlling"))
		if len(s.Groups) != 1 || s.Groups[0].PopulationServed != 277_840 || s.Total.PopulationServed != 277_840 {
			t.Fatalf("district + member municipality: %+v", s)
		}
		// 1,000,000.00 EUR ÷ 277,840 = 3.5992 EUR; 2,778,400.00 ÷ 277,840 = 10 exactly.
		if g := s.Groups[0]; g.CostPerInhabitant == nil || *g.CostPerInhabitant != "3.60" || g.BudgetPerInh == nil || *g.BudgetPerInh != "10.00" {
			t.Errorf("per inhabitant: %+v", g)
		}
		if v, has := s.Total.raw["savings_per_inhabitant"]; !has || v != nil {
			t.Errorf("savings per inhabitant without savings: %v (present %v), want null", v, has)
		}
		// Without the right to see money: the population, no money per inhabitant.
		s = decodeStats(t, e.get("/api/v1/stats/projects?group_by=status&partner=kreis-warendorf", ""))
		if _, has := s.Total.raw["cost_per_inhabitant"]; has || s.Total.PopulationServed != 277_840 {
			t.Errorf("anonymous: %v", s.Total.raw)
		}
		// By partner: each group counts all participants of its projects.
		s = decodeStats(t, e.get("/api/v1/stats/projects?group_by=partner&partner=kreis-warendorf", "controlling"))
		for _, g := range s.Groups {
			if g.PopulationServed != 277_840 {
				t.Errorf("group %s: %d", g.Key, g.PopulationServed)
			}
		}

		// The seed: the LWL serves Westfalen-Lippe (055, 057, 059); LWL.IT, its
		// department, counts with it; citeq and the Stadtarchiv count as Stadt
		// Münster, which lies in 055 and so counts no more.
		var westfalen int64
		for _, key := range []string{"055", "057", "059"} {
			var x struct{ Population int64 }
			if err := json.Unmarshal(e.get("/api/v1/regions/"+key, "").Body, &x); err != nil {
				t.Fatal(err)
			}
			westfalen += x.Population
		}
		s = decodeStats(t, e.get("/api/v1/stats/projects?group_by=status&status=operational", ""))
		if len(s.Groups) != 1 || s.Groups[0].PopulationServed != westfalen || westfalen < 8_000_000 {
			t.Errorf("operational seed projects: %+v, want %d", s.Groups, westfalen)
		}
		// All projects: Kreis Warendorf lies in Reg.-Bez. Münster and counts no more.
		s = decodeStats(t, e.get("/api/v1/stats/projects?group_by=category", ""))
		if s.Total.PopulationServed != westfalen {
			t.Errorf("all projects: %d, want %d", s.Total.PopulationServed, westfalen)
		}
	})
}
