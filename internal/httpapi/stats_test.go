package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
)

// The controlling endpoints: stats, timeline, lead times. Data are built with the
// store beside the seed and told apart from it by a tag.

func strp(s string) *string { return &s }

// mustProjects creates projects in the seeded cooperation, tagged tag; each spec is
// slug, category, started_on, initial status with its date, participants and money,
// followed by transitions.
type projectSpec struct {
	slug, category, started string
	steps                   [][2]string // status, effective_on; the first is the initial one
	parts                   [][2]string // partner, role
	budget, cost, savings   *string
}

func (e *apiEnv) mustProjects(t *testing.T, tag string, specs ...projectSpec) {
	t.Helper()
	ctx := coop.WithActor(context.Background(), coop.System)
	for _, s := range specs {
		d := coop.ProjectDraft{Slug: s.slug, Title: "Vorhaben " + strings.ToUpper(s.slug), Cooperation: "it-kooperation-muenster-lwl",
			Category: s.category, StartedOn: s.started, Tags: []string{tag},
			Finance: &coop.FinanceDraft{BudgetPlanned: s.budget, CostActual: s.cost, SavingsEstimated: s.savings}}
		if len(s.steps) > 0 {
			d.Status, d.StatusEffectiveOn = s.steps[0][0], s.steps[0][1]
		}
		for _, p := range s.parts {
			d.Participants = append(d.Participants, coop.ParticipantDraft{Partner: p[0], Role: p[1]})
		}
		if _, err := e.db.CreateProject(ctx, d); err != nil {
			t.Fatalf("create %s: %v", s.slug, err)
		}
		for i := 1; i < len(s.steps); i++ {
			st := s.steps[i]
			if _, err := e.db.TransitionProject(ctx, s.slug, coop.Transition{To: st[0], EffectiveOn: st[1]}, 0); err != nil {
				t.Fatalf("%s → %s: %v", s.slug, st[0], err)
			}
		}
	}
}

// statsBody is the JSON of /stats/projects with every key a caller may see.
type statsBody struct {
	Groups []map[string]any `json:"groups"`
	Total  map[string]any   `json:"total"`
}

func (e *apiEnv) stats(t *testing.T, query, as string) statsBody {
	t.Helper()
	r := e.get("/api/v1/stats/projects?"+query, as)
	mustStatus(t, r, 200)
	var b statsBody
	if err := json.Unmarshal(r.Body, &b); err != nil {
		t.Fatal(err)
	}
	return b
}

// line renders a group as "key|label|count|budget|cost|savings" ("-" for an absent key,
// "null" for null).
func line(g map[string]any) string {
	out := fmt.Sprintf("%v|%v|%v", g["key"], g["label"], g["count"])
	for _, k := range []string{"budget_planned", "cost_actual", "savings_estimated"} {
		out += "|" + field(g, k)
	}
	return out
}

// field renders one key of a JSON object: "-" when absent, "null" for null.
func field(g map[string]any, k string) string {
	v, ok := g[k]
	switch {
	case !ok:
		return "-"
	case v == nil:
		return "null"
	}
	return fmt.Sprint(v)
}

// coverage renders a group's coverage as "key finance/budget/cost/savings".
func coverage(g map[string]any) string {
	out := fmt.Sprint(g["key"])
	for i, k := range []string{"with_finance", "with_budget_planned", "with_cost_actual", "with_savings_estimated"} {
		sep := "/"
		if i == 0 {
			sep = " "
		}
		out += sep + field(g, k)
	}
	return out
}

func lines(b statsBody) string {
	var out []string
	for _, g := range b.Groups {
		out = append(out, line(g))
	}
	return strings.Join(out, " ; ")
}

var moneySpecs = []projectSpec{
	{slug: "m1", category: "archiving", started: "2016-11", parts: [][2]string{{"citeq", "provider"}, {"stadt-koeln", "consumer"}},
		budget: strp("0.10"), cost: strp("1000000000.01")},
	{slug: "m2", category: "archiving", started: "2017", steps: [][2]string{{"operational", "2017-03"}},
		parts:  [][2]string{{"stadtarchiv-muenster", "consumer"}, {"lwl-it", "provider"}, {"citeq", "consumer"}},
		budget: strp("0.20"), cost: strp("0.99"), savings: strp("-5")},
	{slug: "m3", category: "network", steps: [][2]string{{"in_progress", ""}}, parts: [][2]string{{"citeq", "provider"}, {"citeq", "consumer"}},
		budget: strp("9999999999.99")},
}

func TestStatsProjects(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		e.mustProjects(t, "geld", moneySpecs...)
		for _, tc := range []struct{ query, want string }{
			{"group_by=category&tag=geld", "archiving|Archivierung|2|0.30|1000000001.00|-5.00 ; network|Netze|1|9999999999.99|null|null"},
			{"tag=geld", "planned|Geplant|1|0.10|1000000000.01|null ; in_progress|In Umsetzung|1|9999999999.99|null|null ; operational|In Betrieb|1|0.20|0.99|-5.00"},
			{"group_by=partner&tag=geld", "citeq|citeq|3|10000000000.29|1000000001.00|-5.00 ; lwl-it|LWL.IT Service Abteilung|1|0.20|0.99|-5.00 ; " +
				"stadt-koeln|Stadt Köln|1|0.10|1000000000.01|null ; stadtarchiv-muenster|Stadtarchiv Münster|1|0.20|0.99|-5.00"},
			{"group_by=partner&role=provider&tag=geld", "citeq|citeq|2|10000000000.09|1000000000.01|null ; lwl-it|LWL.IT Service Abteilung|1|0.20|0.99|-5.00"},
			{"group_by=role&tag=geld", "provider|Leistungserbringer|3|10000000000.29|1000000001.00|-5.00 ; consumer|Leistungsnehmer|3|10000000000.29|1000000001.00|-5.00"},
			{"group_by=year&tag=geld", "2016|2016|1|0.10|1000000000.01|null ; 2017|2017|1|0.20|0.99|-5.00 ; unknown|unbekannt|1|9999999999.99|null|null"},
			{"group_by=status&tag=geld&category=archiving&partner=lwl-it", "operational|In Betrieb|1|0.20|0.99|-5.00"},
		} {
			for _, as := range []string{"controlling", "admin"} {
				if got := lines(e.stats(t, tc.query, as)); got != tc.want {
					t.Errorf("%s as %s:\n got %s\nwant %s", tc.query, as, got, tc.want)
				}
			}
		}
		// states: by the partners' own state or their parent's; labels are state names
		st := e.stats(t, "group_by=state&tag=geld", "controlling")
		var states []string
		for _, g := range st.Groups {
			states = append(states, fmt.Sprintf("%v|%v|%v", g["key"], g["label"], g["count"]))
		}
		// citeq, lwl-it and the Stadtarchiv have no state of their own: their parents' counts
		if got := strings.Join(states, " "); got != "DE-NW|Nordrhein-Westfalen|3" {
			t.Errorf("by state: %s", got)
		}
		if got := line(st.Total); got != "<nil>|<nil>|3|10000000000.29|1000000001.00|-5.00" {
			t.Errorf("total = %s", got)
		}
		// without the right to see money, the money keys are absent everywhere
		for _, as := range []string{"", "reader", "editor"} {
			r := e.get("/api/v1/stats/projects?group_by=category&tag=geld", as)
			mustStatus(t, r, 200)
			if strings.Contains(string(r.Body), "budget") || strings.Contains(string(r.Body), "cost_actual") || strings.Contains(string(r.Body), "savings") {
				t.Errorf("as %q: money in %s", as, r.Body)
			}
			if got := lines(e.stats(t, "group_by=category&tag=geld", as)); got != "archiving|Archivierung|2|-|-|- ; network|Netze|1|-|-|-" {
				t.Errorf("as %q: %s", as, got)
			}
		}
		// every grouping answers over the seed too
		for _, by := range coop.StatsGroupings {
			if b := e.stats(t, "group_by="+by, "controlling"); len(b.Groups) == 0 || b.Total["count"] != float64(9) {
				t.Errorf("group_by=%s: %d groups, total %v", by, len(b.Groups), b.Total["count"])
			}
		}
		for _, bad := range []string{"group_by=colour", "group_by=status&limit=5", "group_by=status&sort=title", "status=lost", "as_of=gestern", "colour=red", "q="} {
			mustStatus(t, e.getInvalid("/api/v1/stats/projects?"+bad, "controlling"), 400)
		}
	})
}

func TestStatsHistory(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		e.mustProjects(t, "verlauf",
			projectSpec{slug: "v1", category: "archiving", steps: [][2]string{{"planned", "2017-01"}, {"in_progress", "2017-06-15"}, {"operational", "2017-09"}},
				parts: [][2]string{{"citeq", "partner"}}},
			projectSpec{slug: "v2", category: "archiving", steps: [][2]string{{"in_progress", "2017-02-01"}, {"operational", "2017-03-03"}},
				parts: [][2]string{{"lwl-it", "partner"}}},
			projectSpec{slug: "v3", category: "network", steps: [][2]string{{"planned", ""}, {"in_progress", "2017-03"}},
				parts: [][2]string{{"citeq", "partner"}, {"lwl-it", "partner"}}},
		)
		// as_of the day before and the day of v1's move to in_progress
		for asOf, want := range map[string]string{
			"2017-06-14": "planned|Geplant|1|-|-|- ; in_progress|In Umsetzung|1|-|-|- ; operational|In Betrieb|1|-|-|-",
			"2017-06-15": "in_progress|In Umsetzung|2|-|-|- ; operational|In Betrieb|1|-|-|-",
			"2016":       "planned|Geplant|1|-|-|-",
		} {
			if got := lines(e.stats(t, "tag=verlauf&as_of="+asOf, "")); got != want {
				t.Errorf("as_of=%s: %s, want %s", asOf, got, want)
			}
		}
		r := e.get("/api/v1/stats/timeline?tag=verlauf&from=2017-01&to=2017-09&interval=quarter", "")
		mustStatus(t, r, 200)
		var tl struct {
			Periods []struct {
				Period, Start, End string
				Counts             map[string]int
			}
		}
		if err := json.Unmarshal(r.Body, &tl); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range tl.Periods {
			got = append(got, fmt.Sprintf("%s %s..%s p%d i%d o%d", p.Period, p.Start, p.End, p.Counts["planned"], p.Counts["in_progress"], p.Counts["operational"]))
		}
		if want := "2017-Q1 2017-01-01..2017-03-31 p1 i1 o1|2017-Q2 2017-04-01..2017-06-30 p0 i2 o1|2017-Q3 2017-07-01..2017-09-30 p0 i1 o2"; strings.Join(got, "|") != want {
			t.Errorf("timeline:\n got %s\nwant %s", strings.Join(got, "|"), want)
		}
		for _, bad := range []string{"from=2018&to=2017", "to=20", "from=2016-13&to=2017", "from=1900-01&to=2000-01", "from=2016&to=2017&interval=week", "from=2016&to=2017&limit=3"} {
			mustStatus(t, e.getInvalid("/api/v1/stats/timeline?"+bad, ""), 400)
		}
		mustStatus(t, e.get("/api/v1/stats/timeline?from=1951-01&to=2000-12", ""), 200) // 600 months

		// v1: 2017-06-15 → 2017-09-01 = 78 days; v2: 2017-02-01 → 2017-03-03 = 30 days
		r = e.get("/api/v1/stats/lead-times?tag=verlauf", "")
		mustStatus(t, r, 200)
		if want := `{"groups":[{"key":"archiving","label":"Archivierung","label_de":"Archivierung","label_en":"Archiving","count":2,"median_days":30,"p90_days":78}]}`; strings.TrimSpace(string(r.Body)) != want {
			t.Errorf("lead times by category: %s", r.Body)
		}
		r = e.get("/api/v1/stats/lead-times?tag=verlauf&group_by=partner", "")
		mustStatus(t, r, 200)
		if !strings.Contains(string(r.Body), `{"key":"citeq","label":"citeq","label_de":"citeq","label_en":"citeq","count":1,"median_days":78,"p90_days":78}`) ||
			!strings.Contains(string(r.Body), `"key":"lwl-it","label":"LWL.IT Service Abteilung","label_de":"LWL.IT Service Abteilung","label_en":"LWL.IT Service Abteilung","count":1,"median_days":30`) {
			t.Errorf("lead times by partner: %s", r.Body)
		}
		mustStatus(t, e.getInvalid("/api/v1/stats/lead-times?group_by=status", ""), 400)
	})
}

func TestStatsPrivateDirectory(t *testing.T) {
	forEachAPIWith(t, httpapi.Options{PublicRead: false}, func(t *testing.T, e *apiEnv) {
		for _, path := range []string{"/api/v1/stats/projects", "/api/v1/stats/timeline?from=2016&to=2018", "/api/v1/stats/lead-times"} {
			mustStatus(t, e.get(path, ""), 401)
			mustStatus(t, e.get(path, "reader"), 200)
		}
	})
}

// TestStatsCoverage: a sum over projects none of which has the amount is null (present,
// not absent, for those who may see money), each group and the total say how many of
// their projects have each amount, and the labels come in German and English.
func TestStatsCoverage(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		e.mustProjects(t, "geld", append(slices.Clone(moneySpecs),
			projectSpec{slug: "m4", category: "other", parts: [][2]string{{"citeq", "consumer"}}})...)
		b := e.stats(t, "group_by=category&tag=geld", "controlling")
		var got []string
		for _, g := range b.Groups {
			got = append(got, line(g)+" "+coverage(g)+" "+field(g, "label_de")+"/"+field(g, "label_en"))
		}
		want := "archiving|Archivierung|2|0.30|1000000001.00|-5.00 archiving 2/2/2/1 Archivierung/Archiving ; " +
			"network|Netze|1|9999999999.99|null|null network 1/1/0/0 Netze/Networks ; " +
			"other|Sonstiges|1|null|null|null other 0/0/0/0 Sonstiges/Other"
		if strings.Join(got, " ; ") != want {
			t.Errorf("by category:\n got %s\nwant %s", strings.Join(got, " ; "), want)
		}
		if got := line(b.Total) + " " + coverage(b.Total); got != "<nil>|<nil>|4|10000000000.29|1000000001.00|-5.00 <nil> 3/3/2/1" {
			t.Errorf("total: %s", got)
		}
		// the unknown sums are in the body as null
		r := e.get("/api/v1/stats/projects?group_by=category&tag=geld&category=other", "admin")
		mustStatus(t, r, 200)
		if want := `"budget_planned":null,"cost_actual":null,"savings_estimated":null,"with_finance":0`; !strings.Contains(string(r.Body), want) {
			t.Errorf("no amounts: %s", r.Body)
		}
		// nobody without the right to see money learns how many projects have amounts
		for _, as := range []string{"", "reader", "editor"} {
			r := e.get("/api/v1/stats/projects?group_by=category&tag=geld", as)
			mustStatus(t, r, 200)
			if strings.Contains(string(r.Body), "with_") || strings.Contains(string(r.Body), "null") {
				t.Errorf("as %q: %s", as, r.Body)
			}
		}
		// partners and years are named alike in both languages
		for _, g := range e.stats(t, "group_by=partner&tag=geld", "").Groups {
			if g["label_de"] != g["label_en"] || g["label_de"] != g["label"] {
				t.Errorf("partner labels: %v", g)
			}
		}

		// the timeline sums money per status when asked, for controlling and admin
		type period struct {
			Period string
			Counts map[string]int
			Sums   map[string]map[string]any
		}
		timeline := func(query, as string) []period {
			t.Helper()
			r := e.get("/api/v1/stats/timeline?"+query, as)
			mustStatus(t, r, 200)
			var tl struct{ Periods []period }
			if err := json.Unmarshal(r.Body, &tl); err != nil {
				t.Fatal(err)
			}
			return tl.Periods
		}
		ps := timeline("tag=geld&from=2017-01&to=2017-03&interval=quarter&sums=true", "controlling")
		if len(ps) != 1 || ps[0].Period != "2017-Q1" {
			t.Fatalf("periods: %+v", ps)
		}
		got = nil
		for _, st := range []string{"idea", "planned", "in_progress", "operational"} {
			g := ps[0].Sums[st]
			g["key"] = st
			got = append(got, fmt.Sprintf("%d %s %s %s %s", ps[0].Counts[st], coverage(g), field(g, "budget_planned"), field(g, "cost_actual"), field(g, "savings_estimated")))
		}
		want = "0 idea 0/0/0/0 null null null ; 2 planned 1/1/1/0 0.10 1000000000.01 null ; " +
			"1 in_progress 1/1/0/0 9999999999.99 null null ; 1 operational 1/1/1/1 0.20 0.99 -5.00"
		if strings.Join(got, " ; ") != want {
			t.Errorf("timeline sums:\n got %s\nwant %s", strings.Join(got, " ; "), want)
		}
		if len(ps[0].Sums) != len(coop.ProjectStatuses) {
			t.Errorf("sums for %d statuses, want every one", len(ps[0].Sums))
		}
		for _, as := range []string{"", "reader", "editor"} {
			if ps := timeline("tag=geld&from=2017-01&to=2017-03&interval=quarter&sums=true", as); ps[0].Sums != nil || ps[0].Counts["planned"] != 2 {
				t.Errorf("as %q: %+v", as, ps[0])
			}
		}
		if ps := timeline("tag=geld&from=2017-01&to=2017-03&interval=quarter", "admin"); ps[0].Sums != nil {
			t.Errorf("sums unasked: %+v", ps[0])
		}
		mustStatus(t, e.getInvalid("/api/v1/stats/timeline?sums=yes", "admin"), 400)
	})
}

// TestStatsTimelineRange: without from or to the timeline spans the data's dated
// history; a given end is kept.
func TestStatsTimelineRange(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		e.mustProjects(t, "spanne",
			projectSpec{slug: "s1", category: "archiving", steps: [][2]string{{"planned", "2015-11-20"}, {"in_progress", "2016-02"}},
				parts: [][2]string{{"citeq", "partner"}}},
			projectSpec{slug: "s2", category: "network", steps: [][2]string{{"in_progress", ""}, {"operational", "2016-08-01"}},
				parts: [][2]string{{"lwl-it", "partner"}}},
		)
		periods := func(query string) string {
			t.Helper()
			r := e.get("/api/v1/stats/timeline?tag=spanne&"+query, "")
			mustStatus(t, r, 200)
			var tl struct{ Periods []struct{ Period string } }
			if err := json.Unmarshal(r.Body, &tl); err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, p := range tl.Periods {
				out = append(out, p.Period)
			}
			return strings.Join(out, " ")
		}
		for query, want := range map[string]string{
			"interval=quarter":                "2015-Q4 2016-Q1 2016-Q2 2016-Q3",
			"interval=year":                   "2015 2016",
			"interval=quarter&from=2016-04":   "2016-Q2 2016-Q3",
			"interval=quarter&to=2016-03":     "2015-Q4 2016-Q1",
			"interval=year&from=2018":         "2018",
			"interval=year&to=2014":           "2014",
			"interval=month&from=2016-06":     "2016-06 2016-07 2016-08",
			"interval=quarter&status=planned": "", // no project is planned now: the current period
		} {
			got := periods(query)
			if query == "interval=quarter&status=planned" {
				if strings.Count(got, " ") != 0 || got == "" {
					t.Errorf("%s: %q, want the current quarter alone", query, got)
				}
				continue
			}
			if got != want {
				t.Errorf("%s: %q, want %q", query, got, want)
			}
		}
	})
}
