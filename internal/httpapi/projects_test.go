package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// The seeded projects (internal/store/seed.go) with their participants ("partner role").
var seedProjects = map[string]struct {
	category, status string
	participants     []string
}{
	"it-hotline":                       {"service_desk", "operational", []string{"lwl-it provider", "citeq consumer"}},
	"dips-kommunal":                    {"archiving", "operational", []string{"lwl provider", "stadtarchiv-muenster consumer"}},
	"behoerdennetz-zugang":             {"network", "operational", []string{"citeq provider", "lwl consumer"}},
	"organisationsmanagement-software": {"software", "in_progress", []string{"citeq partner", "lwl-it partner"}},
	"rechenzentren":                    {"data_center", "planned", []string{"citeq partner", "lwl-it partner"}},
	"it-sicherheit":                    {"information_security", "planned", []string{"citeq partner", "lwl-it partner"}},
}

// projectBody is a valid new project in the seeded cooperation; extra overrides
// fields (nil deletes one).
func projectBody(slug string, extra map[string]any) map[string]any {
	m := map[string]any{
		"slug": slug, "title": "Vorhaben " + slug, "cooperation": "it-kooperation-muenster-lwl",
		"category": "software", "participants": []any{map[string]any{"partner": "citeq", "role": "lead"}},
	}
	for k, v := range extra {
		if v == nil {
			delete(m, k)
			continue
		}
		m[k] = v
	}
	return m
}

// mustCreate posts body to a collection and fails unless it answers 201.
func (e *apiEnv) mustCreate(t *testing.T, path, as string, body any) map[string]any {
	t.Helper()
	r := e.do("POST", path, req{as: as, body: body})
	mustStatus(t, r, 201)
	return r.Obj(t)
}

// participantsOf returns a project's participants as "slug role" strings.
func participantsOf(p map[string]any) []string {
	var out []string
	list, _ := p["participants"].([]any)
	for _, x := range list {
		m := x.(map[string]any)
		out = append(out, m["partner"].(map[string]any)["slug"].(string)+" "+m["role"].(string))
	}
	return out
}

// allSlugs walks every page of a list and returns its slugs in order.
func (e *apiEnv) allSlugs(t *testing.T, path, as string) []string {
	t.Helper()
	var out []string
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	next := path
	for i := 0; next != ""; i++ {
		if i > 100 {
			t.Fatalf("%s: too many pages", path)
		}
		r := e.get(next, as)
		mustStatus(t, r, 200)
		out = append(out, slugs(t, r)...)
		cur, _ := r.Obj(t)["next_cursor"].(string)
		next = ""
		if cur != "" {
			next = path + sep + "cursor=" + url.QueryEscape(cur)
		}
	}
	return out
}

func sorted(l []string) []string {
	out := slices.Clone(l)
	slices.Sort(out)
	return out
}

func TestProjectSeed(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		op := e.get("/api/v1/projects?status=operational", "")
		mustStatus(t, op, 200)
		if got, want := slugs(t, op), []string{"dips-kommunal", "it-hotline", "behoerdennetz-zugang"}; !slices.Equal(got, want) {
			t.Errorf("operational (by title) = %v, want %v", got, want)
		}
		all := e.get("/api/v1/projects", "")
		if all.Obj(t)["total"] != float64(6) {
			t.Errorf("total = %v, want 6", all.Obj(t)["total"])
		}
		for slug, want := range seedProjects {
			r := e.get("/api/v1/projects/"+slug, "")
			mustStatus(t, r, 200)
			p := r.Obj(t)
			if p["category"] != want.category || p["status"] != want.status {
				t.Errorf("%s: category %v status %v, want %s %s", slug, p["category"], p["status"], want.category, want.status)
			}
			if got := participantsOf(p); !slices.Equal(sorted(got), sorted(want.participants)) {
				t.Errorf("%s participants = %v, want %v", slug, got, want.participants)
			}
			if c := p["cooperation"].(map[string]any); c["slug"] != "it-kooperation-muenster-lwl" || c["name"] != "IT-Kooperation Stadt Münster – LWL" {
				t.Errorf("%s cooperation = %v", slug, c)
			}
			if srcs, _ := p["sources"].([]any); len(srcs) == 0 || !strings.Contains(srcs[0].(map[string]any)["title"].(string), "Pressemitteilung") {
				t.Errorf("%s sources = %v", slug, p["sources"])
			}
			if _, has := p["finance"]; has {
				t.Errorf("%s: anonymous caller sees finance", slug)
			}
			h := e.get("/api/v1/projects/"+slug+"/history", "")
			mustStatus(t, h, 200)
			items := h.Obj(t)["items"].([]any)
			if len(items) == 0 {
				t.Fatalf("%s: empty history", slug)
			}
			last := items[len(items)-1].(map[string]any)
			if last["to"] != want.status {
				t.Errorf("%s: history ends in %v, want %s", slug, last["to"], want.status)
			}
			for _, it := range items {
				eff, _ := it.(map[string]any)["effective_on"].(string)
				d, err := coop.ParsePartialDate(eff)
				if err != nil || !d.First().Before(time.Date(2018, 3, 1, 0, 0, 0, 0, time.UTC)) {
					t.Errorf("%s: history effective_on %q, want a date no later than 2018-02", slug, eff)
				}
			}
		}
		dips := e.get("/api/v1/projects/dips-kommunal", "").Obj(t)
		if s, _ := dips["solution"].(map[string]any); s["slug"] != "dips-kommunal" || s["name"] != "DiPS.kommunal" {
			t.Errorf("dips-kommunal solution = %v", dips["solution"])
		}
		if hot := e.get("/api/v1/projects/it-hotline", "").Obj(t); hot["solution"] != nil {
			t.Errorf("it-hotline solution = %v, want null", hot["solution"])
		}
	})
}

func TestProjectFilters(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		coopID := e.get("/api/v1/cooperations/it-kooperation-muenster-lwl", "").Obj(t)["id"].(string)
		// projects of our own with tags and start dates
		e.mustCreate(t, "/api/v1/projects", "editor", projectBody("f-eins", map[string]any{"tags": []string{"filtertest", "a"}, "started_on": "2019-05"}))
		e.mustCreate(t, "/api/v1/projects", "editor", projectBody("f-zwei", map[string]any{"tags": []string{"filtertest"}, "started_on": "2020"}))
		e.mustCreate(t, "/api/v1/projects", "editor", projectBody("f-drei", map[string]any{"tags": []string{"filtertest", "a"}, "started_on": "2021-03-15",
			"status": "in_progress", "status_effective_on": "2021-04"}))
		e.mustCreate(t, "/api/v1/projects", "editor", projectBody("f-vier", map[string]any{"tags": []string{"filtertest"}}))
		mustStatus(t, e.do("POST", "/api/v1/projects/f-drei/transitions", req{as: "editor", body: map[string]any{"to": "operational", "effective_on": "2022-06"}}), 200)

		cases := []struct {
			query string
			want  []string // sorted
		}{
			{"status=operational,in_progress", []string{"behoerdennetz-zugang", "dips-kommunal", "f-drei", "it-hotline", "organisationsmanagement-software"}},
			{"category=archiving", []string{"dips-kommunal"}},
			{"category=network,service_desk", []string{"behoerdennetz-zugang", "it-hotline"}},
			{"cooperation=it-kooperation-muenster-lwl&tag=filtertest", []string{"f-drei", "f-eins", "f-vier", "f-zwei"}},
			{"cooperation=" + coopID + "&status=planned&tag=ikz", []string{"it-sicherheit", "rechenzentren"}},
			{"cooperation=gibt-es-nicht", nil},
			{"solution=dips-kommunal", []string{"dips-kommunal"}},
			{"partner=citeq&tag=ikz", []string{"behoerdennetz-zugang", "it-hotline", "it-sicherheit", "organisationsmanagement-software", "rechenzentren"}},
			{"partner=citeq&role=provider", []string{"behoerdennetz-zugang"}},
			{"partner=lwl,lwl-it&role=provider", []string{"dips-kommunal", "it-hotline"}},
			{"partner=lwl&role=consumer", []string{"behoerdennetz-zugang"}},
			{"role=consumer", []string{"behoerdennetz-zugang", "dips-kommunal", "it-hotline"}},
			{"tag=a", []string{"f-drei", "f-eins"}},
			{"tag=filtertest&started_from=2020", []string{"f-drei", "f-zwei"}},
			{"tag=filtertest&started_to=2020", []string{"f-eins", "f-zwei"}},
			{"tag=filtertest&started_from=2019-06&started_to=2021-03", []string{"f-drei", "f-zwei"}},
			{"tag=filtertest&started_from=2019-05-01&started_to=2019-05-31", []string{"f-eins"}},
			{"q=Hotline", []string{"it-hotline"}},
			{"q=Behoerdennetz", []string{"behoerdennetz-zugang"}},
			{"tag=filtertest&as_of=2021-05&status=in_progress", []string{"f-drei"}},
			{"tag=filtertest&as_of=2022-06&status=operational", []string{"f-drei"}},
			{"tag=filtertest&as_of=2022-05&status=operational", nil},
			{"as_of=2018-02&status=operational", []string{"behoerdennetz-zugang", "dips-kommunal", "it-hotline"}},
			{"as_of=2015&tag=ikz", nil},
		}
		for _, c := range cases {
			r := e.get("/api/v1/projects?"+c.query, "")
			mustStatus(t, r, 200)
			got := sorted(slugs(t, r))
			if !slices.Equal(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
				t.Errorf("?%s = %v, want %v", c.query, got, c.want)
			}
			if total := r.Obj(t)["total"].(float64); int(total) != len(c.want) {
				t.Errorf("?%s total = %v, want %d", c.query, total, len(c.want))
			}
		}

		// updated_since: only what changed at or after that time
		time.Sleep(10 * time.Millisecond)
		since := time.Now().UTC().Format(time.RFC3339Nano)
		time.Sleep(10 * time.Millisecond)
		mustStatus(t, e.do("PATCH", "/api/v1/projects/it-sicherheit", req{as: "editor", body: map[string]any{"description": "neu"}}), 200)
		if got := slugs(t, e.get("/api/v1/projects?updated_since="+url.QueryEscape(since), "")); !slices.Equal(got, []string{"it-sicherheit"}) {
			t.Errorf("updated_since = %v, want [it-sicherheit]", got)
		}

		// sub-resources
		sub := []struct {
			path string
			want []string
		}{
			{"/api/v1/partners/citeq/projects?role=provider", []string{"behoerdennetz-zugang"}},
			{"/api/v1/partners/lwl/projects", []string{"behoerdennetz-zugang", "dips-kommunal"}},
			{"/api/v1/partners/stadtarchiv-muenster/projects?role=consumer", []string{"dips-kommunal"}},
			{"/api/v1/partners/stadt-koeln/projects", nil},
			{"/api/v1/partners/lwl-it/projects?status=planned", []string{"it-sicherheit", "rechenzentren"}},
			{"/api/v1/cooperations/it-kooperation-muenster-lwl/projects?category=network", []string{"behoerdennetz-zugang"}},
			{"/api/v1/solutions/dips-kommunal/projects", []string{"dips-kommunal"}},
		}
		for _, c := range sub {
			r := e.get(c.path, "")
			mustStatus(t, r, 200)
			if got := sorted(slugs(t, r)); !slices.Equal(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
				t.Errorf("%s = %v, want %v", c.path, got, c.want)
			}
		}
		for _, p := range []string{"/api/v1/partners/gibt-es-nicht/projects", "/api/v1/cooperations/gibt-es-nicht/projects", "/api/v1/solutions/gibt-es-nicht/projects"} {
			mustStatus(t, e.get(p, ""), 404)
		}
		mustStatus(t, e.get("/api/v1/partners/citeq/projects?partner=lwl", ""), 400)
		mustStatus(t, e.getInvalid("/api/v1/partners/citeq/projects?role=chef", ""), 400)

		for _, bad := range []string{"status=flying", "category=space", "role=boss", "started_from=2024-13", "started_to=gestern",
			"started_from=2021&started_to=2020", "as_of=2018-02-30", "sort=budget", "sort=title,title", "cursor=xyz", "limit=0", "limit=501",
			"q=", "updated_since=2024-01-01", "colour=red"} {
			mustStatus(t, e.getInvalid("/api/v1/projects?"+bad, ""), 400)
		}
	})
}

func TestProjectSortAndCursor(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		want := []string{"rechenzentren", "organisationsmanagement-software", "it-sicherheit", "it-hotline", "dips-kommunal", "behoerdennetz-zugang"}
		if got := e.allSlugs(t, "/api/v1/projects?limit=2&sort=-slug", ""); !slices.Equal(got, want) {
			t.Errorf("sort=-slug pages = %v, want %v", got, want)
		}
		first := e.get("/api/v1/projects?limit=2&sort=-slug", "")
		if !strings.Contains(first.Header.Get("Link"), `rel="next"`) {
			t.Errorf("Link = %q", first.Header.Get("Link"))
		}
		if got := e.allSlugs(t, "/api/v1/projects?limit=1&sort=status,-title", ""); len(got) != 6 || got[0] != "organisationsmanagement-software" || got[5] != "it-sicherheit" {
			// in_progress < operational < planned; titles descending within a status
			t.Errorf("sort=status,-title = %v", got)
		}
		byCat := e.allSlugs(t, "/api/v1/projects?limit=4&sort=category", "")
		if !slices.Equal(byCat, []string{"dips-kommunal", "rechenzentren", "it-sicherheit", "behoerdennetz-zugang", "it-hotline", "organisationsmanagement-software"}) {
			t.Errorf("sort=category = %v", byCat)
		}
		// a page with a cursor stays stable when a project is inserted before it
		p1 := e.get("/api/v1/projects?limit=3&sort=slug", "")
		cur := p1.Obj(t)["next_cursor"].(string)
		e.mustCreate(t, "/api/v1/projects", "editor", projectBody("aaa-neu", nil))
		p2 := e.get("/api/v1/projects?limit=3&sort=slug&cursor="+cur, "")
		mustStatus(t, p2, 200)
		if got := slugs(t, p2); !slices.Equal(got, []string{"it-sicherheit", "organisationsmanagement-software", "rechenzentren"}) {
			t.Errorf("second page after insert = %v", got)
		}
		mustStatus(t, e.get("/api/v1/projects?limit=3&sort=title&cursor="+cur, ""), 400)
		// 304 for an unchanged list
		r := e.get("/api/v1/projects", "")
		nm := e.do("GET", "/api/v1/projects", req{headers: map[string]string{"If-None-Match": r.Header.Get("ETag")}})
		mustStatus(t, nm, 304)
	})
}

func TestProjectCreate(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		lwl := e.get("/api/v1/partners/lwl", "").Obj(t)["id"].(string)
		body := projectBody("gemeinsames-rz", map[string]any{
			"title": "Gemeinsames Rechenzentrum", "category": "data_center", "solution": "dips-kommunal",
			"participants": []any{
				map[string]any{"partner": "citeq", "role": "provider", "since": "2017-01"},
				map[string]any{"partner": lwl, "role": "consumer", "since": "2017", "until": "2020-12-31"},
			},
			"started_on": "2017-01", "planned_end_on": "2019", "tags": []string{"rz"}, "legal_basis": []string{"GkG NRW"},
			"sources": []any{map[string]any{"title": "Ratsvorlage", "url": "https://example.org/v/1", "published_on": "2016-12-01"}},
			"finance": map[string]any{"budget_planned": "125000", "cost_actual": "98000.5"},
		})
		// writing finance needs the right to read it: an editor's create with it is 403
		mustStatus(t, e.do("POST", "/api/v1/projects", req{as: "editor", body: body}), 403)
		mustStatus(t, e.get("/api/v1/projects/gemeinsames-rz", ""), 404)
		r := e.do("POST", "/api/v1/projects", req{as: "admin", body: body})
		mustStatus(t, r, 201)
		p := r.Obj(t)
		if r.Header.Get("Location") != "/api/v1/projects/"+p["id"].(string) || r.Header.Get("ETag") == "" {
			t.Errorf("Location %q ETag %q", r.Header.Get("Location"), r.Header.Get("ETag"))
		}
		if p["version"] != float64(1) || p["status"] != "planned" || p["started_on"] != "2017-01" || p["planned_end_on"] != "2019" {
			t.Errorf("created = %v", p)
		}
		if got := participantsOf(p); !slices.Equal(got, []string{"citeq provider", "lwl consumer"}) {
			t.Errorf("participants = %v", got)
		}
		parts := p["participants"].([]any)
		if parts[1].(map[string]any)["until"] != "2020-12-31" || parts[0].(map[string]any)["since"] != "2017-01" {
			t.Errorf("since/until = %v", parts)
		}
		if s := p["solution"].(map[string]any); s["slug"] != "dips-kommunal" {
			t.Errorf("solution = %v", s)
		}
		if _, has := e.get("/api/v1/projects/gemeinsames-rz", "editor").Obj(t)["finance"]; has {
			t.Error("editor sees finance")
		}
		f := e.get("/api/v1/projects/gemeinsames-rz", "controlling").Obj(t)["finance"].(map[string]any)
		if f["budget_planned"] != "125000.00" || f["cost_actual"] != "98000.50" || f["savings_estimated"] != nil || f["currency"] != "EUR" {
			t.Errorf("finance = %v", f)
		}
		h := e.get("/api/v1/projects/gemeinsames-rz/history", "").Obj(t)["items"].([]any)
		if len(h) != 1 || h[0].(map[string]any)["to"] != "planned" || h[0].(map[string]any)["from"] != nil || h[0].(map[string]any)["effective_on"] != "2017-01" {
			t.Errorf("initial history = %v", h)
		}
		mustStatus(t, e.do("POST", "/api/v1/projects", req{as: "admin", body: body}), 409)

		// merge patch: null clears, lists are replaced, version +1
		pr := e.do("PATCH", "/api/v1/projects/gemeinsames-rz", req{as: "editor", ctype: "application/merge-patch+json",
			headers: map[string]string{"If-Match": r.Header.Get("ETag")},
			body:    map[string]any{"solution": nil, "planned_end_on": nil, "tags": []string{"rz", "neu"}, "description": "Beschreibung"}})
		mustStatus(t, pr, 200)
		pp := pr.Obj(t)
		if pp["solution"] != nil || pp["planned_end_on"] != nil || pp["description"] != "Beschreibung" || pp["version"] != float64(2) ||
			!slices.Equal(toStrings(pp["tags"]), []string{"rz", "neu"}) || pp["title"] != "Gemeinsames Rechenzentrum" {
			t.Errorf("after patch = %v", pp)
		}
		// the editor's patch kept the finance it cannot see
		if f := e.get("/api/v1/projects/gemeinsames-rz", "admin").Obj(t)["finance"].(map[string]any); f["budget_planned"] != "125000.00" {
			t.Errorf("finance after an editor's patch = %v", f)
		}
		stale := e.do("PATCH", "/api/v1/projects/gemeinsames-rz", req{as: "editor",
			headers: map[string]string{"If-Match": r.Header.Get("ETag")}, body: map[string]any{"title": "X"}})
		mustStatus(t, stale, 412)
		// status only by transition
		ro := e.do("PATCH", "/api/v1/projects/gemeinsames-rz", req{invalid: true, as: "editor", body: map[string]any{"status": "operational"}})
		mustStatus(t, ro, 422)
		if got := fieldErrors(t, ro); !slices.Equal(got, []string{"status:read_only"}) {
			t.Errorf("status patch errors = %v", got)
		}
		mustStatus(t, e.do("PATCH", "/api/v1/projects/gemeinsames-rz", req{invalid: true, as: "editor", body: map[string]any{"status_effective_on": "2018"}}), 400)
		if got := e.get("/api/v1/projects/gemeinsames-rz", "").Obj(t); got["status"] != "planned" || got["title"] != "Gemeinsames Rechenzentrum" {
			t.Errorf("refused patches changed data: %v", got)
		}
		mustStatus(t, e.do("PATCH", "/api/v1/projects/gibt-es-nicht", req{as: "editor", body: map[string]any{"title": "X"}}), 404)
	})
}

func toStrings(v any) []string {
	var out []string
	l, _ := v.([]any)
	for _, x := range l {
		out = append(out, fmt.Sprint(x))
	}
	return out
}

func TestProjectValidation(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		two := func(a, b map[string]any) []any { return []any{a, b} }
		part := func(partner, role string) map[string]any { return map[string]any{"partner": partner, "role": role} }
		cases := []struct {
			name string
			body map[string]any
			want []string
		}{
			{"required", map[string]any{}, []string{"slug:required", "title:required", "cooperation:required", "category:required", "participants:min_items"}},
			{"slug", projectBody("Mit Leerzeichen", nil), []string{"slug:pattern"}},
			{"participant reference", projectBody("x", map[string]any{"participants": two(part("citeq", "provider"), part("gibt-es-nicht", "consumer"))}),
				[]string{"participants[1].partner:reference"}},
			{"participant missing", projectBody("x", map[string]any{"participants": two(part("citeq", "provider"), part("", "consumer"))}),
				[]string{"participants[1].partner:required"}},
			{"duplicate partner and role", projectBody("x", map[string]any{"participants": two(part("citeq", "provider"), part("citeq", "provider"))}),
				[]string{"participants[1]:duplicate"}},
			{"same partner, other role", projectBody("x", map[string]any{"participants": two(part("citeq", "provider"), part("citeq", "operator"))}), nil},
			{"role enum", projectBody("x", map[string]any{"participants": []any{part("citeq", "boss")}}), []string{"participants[0].role:enum"}},
			{"category enum", projectBody("x", map[string]any{"category": "space"}), []string{"category:enum"}},
			{"status enum", projectBody("x", map[string]any{"status": "flying"}), []string{"status:enum"}},
			{"status date future", projectBody("x", map[string]any{"status": "idea", "status_effective_on": "2999"}), []string{"status_effective_on:future"}},
			{"ended before start", projectBody("x", map[string]any{"started_on": "2020-05", "ended_on": "2020-04-30"}), []string{"ended_on:before_start"}},
			{"ended same month", projectBody("x", map[string]any{"started_on": "2020-05-10", "ended_on": "2020-05"}), nil},
			{"planned end before start", projectBody("x", map[string]any{"started_on": "2020", "planned_end_on": "2019-12"}), []string{"planned_end_on:before_start"}},
			{"date", projectBody("x", map[string]any{"started_on": "2024-13-45"}), []string{"started_on:date"}},
			{"date format", projectBody("x", map[string]any{"ended_on": "15.11.2016"}), []string{"ended_on:date"}},
			{"until before since", projectBody("x", map[string]any{"participants": []any{map[string]any{"partner": "citeq", "role": "lead", "since": "2018", "until": "2017"}}}),
				[]string{"participants[0].until:before_start"}},
			{"money", projectBody("x", map[string]any{"finance": map[string]any{"budget_planned": "12.345"}}), []string{"finance.budget_planned:money"}},
			{"money words", projectBody("x", map[string]any{"finance": map[string]any{"cost_actual": "zehn Euro", "savings_estimated": "1,5"}}),
				[]string{"finance.cost_actual:money", "finance.savings_estimated:money"}},
			{"money number", projectBody("x", map[string]any{"finance": map[string]any{"budget_planned": 12.5}}), []string{"finance.budget_planned:type"}},
			{"currency", projectBody("x", map[string]any{"finance": map[string]any{"currency": "USD"}}), []string{"finance.currency:enum"}},
			{"cooperation reference", projectBody("x", map[string]any{"cooperation": "gibt-es-nicht"}), []string{"cooperation:reference"}},
			{"solution reference", projectBody("x", map[string]any{"solution": "gibt-es-nicht"}), []string{"solution:reference"}},
			{"duplicate tag", projectBody("x", map[string]any{"tags": []string{"a", "b", "a"}}), []string{"tags[2]:duplicate"}},
			{"empty tag", projectBody("x", map[string]any{"tags": []string{"a", " "}}), []string{"tags[1]:required"}},
			{"source", projectBody("x", map[string]any{"sources": []any{map[string]any{"title": "", "url": "ftp://x", "published_on": "2018-02-30"}}}),
				[]string{"sources[0].title:required", "sources[0].url:url", "sources[0].published_on:date"}},
			{"type", projectBody("x", map[string]any{"title": 5}), []string{"title:type"}},
			{"many at once", projectBody("x", map[string]any{"category": "space", "started_on": "2024-13-45", "participants": []any{}}),
				[]string{"category:enum", "participants:min_items", "started_on:date"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := e.do("POST", "/api/v1/projects", req{invalid: true, as: "admin", body: c.body})
				if c.want == nil {
					mustStatus(t, r, 201)
					mustStatus(t, e.do("DELETE", "/api/v1/projects/x", req{as: "admin"}), 204)
					return
				}
				mustStatus(t, r, 422)
				if got := fieldErrors(t, r); !slices.Equal(sorted(got), sorted(c.want)) {
					t.Errorf("errors = %v, want %v", got, c.want)
				}
			})
		}
		// the same rules apply to a patch; nothing is written
		r := e.do("PATCH", "/api/v1/projects/it-hotline", req{as: "admin", body: map[string]any{
			"participants": []any{part("citeq", "provider"), part("gibt-es-nicht", "consumer")}, "ended_on": "2024-13-45"}})
		mustStatus(t, r, 422)
		if got := fieldErrors(t, r); !slices.Equal(sorted(got), []string{"ended_on:date"}) && !slices.Equal(sorted(got), []string{"ended_on:date", "participants[1].partner:reference"}) {
			t.Errorf("patch errors = %v", got)
		}
		r = e.do("PATCH", "/api/v1/projects/it-hotline", req{invalid: true, as: "admin", body: map[string]any{"participants": nil}})
		mustStatus(t, r, 422)
		if got := fieldErrors(t, r); !slices.Equal(got, []string{"participants:min_items"}) {
			t.Errorf("clearing participants: %v", got)
		}
		if p := e.get("/api/v1/projects/it-hotline", "").Obj(t); p["version"] != float64(1) || len(participantsOf(p)) != 2 {
			t.Errorf("refused patch changed it-hotline: %v", p)
		}

		// bad requests
		mustStatus(t, e.do("POST", "/api/v1/projects", req{invalid: true, as: "admin", body: `{"slug": "y", "colour": "red"}`}), 400)
		mustStatus(t, e.do("POST", "/api/v1/projects", req{invalid: true, as: "admin", body: `{"slug": "y",`}), 400)
		mustStatus(t, e.do("POST", "/api/v1/projects", req{invalid: true, as: "admin", body: `[]`}), 400)
		mustStatus(t, e.do("POST", "/api/v1/projects", req{invalid: true, as: "admin", ctype: "text/plain", body: `{}`}), 415)
		mustStatus(t, e.do("POST", "/api/v1/projects", req{invalid: true, as: "admin", body: `{"slug": "y", "description": "` + strings.Repeat("x", 2<<20) + `"}`}), 413)
		withStatus := projectBody("y", nil)
		withStatus["participants"] = []any{map[string]any{"partner": "citeq", "role": "lead", "colour": "red"}}
		mustStatus(t, e.do("POST", "/api/v1/projects", req{invalid: true, as: "admin", body: withStatus}), 400)
		mustStatus(t, e.get("/api/v1/projects/y", ""), 404)
	})
}

func TestProjectFinanceVisibility(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		e.mustCreate(t, "/api/v1/projects", "admin", projectBody("mit-geld", map[string]any{
			"finance": map[string]any{"budget_planned": "125000.00", "savings_estimated": "-5.5"}}))
		for _, who := range []string{"", "reader", "editor", "editor-citeq"} {
			for _, path := range []string{"/api/v1/projects/mit-geld", "/api/v1/projects", "/api/v1/partners/citeq/projects"} {
				r := e.get(path, who)
				mustStatus(t, r, 200)
				if strings.Contains(string(r.Body), `"finance"`) || strings.Contains(string(r.Body), "125000") {
					t.Errorf("%q sees finance on %s", who, path)
				}
			}
		}
		for _, who := range []string{"controlling", "admin"} {
			p := e.get("/api/v1/projects/mit-geld", who).Obj(t)
			f, ok := p["finance"].(map[string]any)
			if !ok || f["budget_planned"] != "125000.00" || f["savings_estimated"] != "-5.50" || f["cost_actual"] != nil {
				t.Errorf("%s finance = %v", who, p["finance"])
			}
			list := e.get("/api/v1/projects?limit=500", who)
			var l struct{ Items []map[string]any }
			_ = json.Unmarshal(list.Body, &l)
			for _, it := range l.Items {
				if _, ok := it["finance"]; !ok {
					t.Errorf("%s: list item %v without finance", who, it["slug"])
				}
			}
		}
		// the change feed carries finance only for controlling and admin
		id := e.get("/api/v1/projects/mit-geld", "").Obj(t)["id"].(string)
		for who, want := range map[string]bool{"reader": false, "editor": false, "controlling": true, "admin": true} {
			r := e.get("/api/v1/changes?resource_id="+id, who)
			mustStatus(t, r, 200)
			if got := strings.Contains(string(r.Body), `"finance"`); got != want {
				t.Errorf("%s sees finance in the feed: %v, want %v", who, got, want)
			}
		}
		// a patch may clear a money value
		mustStatus(t, e.do("PATCH", "/api/v1/projects/mit-geld", req{as: "admin", body: map[string]any{"finance": map[string]any{"budget_planned": nil}}}), 200)
		if f := e.get("/api/v1/projects/mit-geld", "admin").Obj(t)["finance"].(map[string]any); f["budget_planned"] != nil || f["savings_estimated"] != "-5.50" {
			t.Errorf("after clearing budget: %v", f)
		}
	})
}

func TestProjectDeleteRestore(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		created := e.mustCreate(t, "/api/v1/projects", "editor", projectBody("weg", nil))
		id := created["id"].(string)
		tag := fmt.Sprintf(`"%s.%d"`, id, 1)
		mustStatus(t, e.do("DELETE", "/api/v1/projects/weg", req{as: "editor", headers: map[string]string{"If-Match": `"` + id + `.7"`}}), 412)
		mustStatus(t, e.do("DELETE", "/api/v1/projects/weg", req{as: "editor", headers: map[string]string{"If-Match": tag}}), 204)
		mustStatus(t, e.get("/api/v1/projects/weg", ""), 404)
		mustStatus(t, e.get("/api/v1/projects/"+id, ""), 404)
		mustStatus(t, e.get("/api/v1/projects/weg/history", ""), 404)
		mustStatus(t, e.do("DELETE", "/api/v1/projects/weg", req{as: "editor"}), 404)
		if slices.Contains(e.allSlugs(t, "/api/v1/projects", ""), "weg") || slices.Contains(slugs(t, e.get("/api/v1/partners/citeq/projects", "")), "weg") {
			t.Error("deleted project still listed")
		}
		mustStatus(t, e.do("POST", "/api/v1/projects/weg/restore", req{as: "editor"}), 403)
		mustStatus(t, e.do("POST", "/api/v1/projects/"+id+"/restore", req{as: "admin", headers: map[string]string{"If-Match": tag}}), 412)
		r := e.do("POST", "/api/v1/projects/"+id+"/restore", req{as: "admin", headers: map[string]string{"If-Match": fmt.Sprintf(`"%s.2"`, id)}})
		mustStatus(t, r, 200)
		if r.Obj(t)["version"] != float64(3) || r.Header.Get("ETag") != fmt.Sprintf(`"%s.3.finance"`, id) { // the admin sees finance
			t.Errorf("restored: %v %s", r.Obj(t)["version"], r.Header.Get("ETag"))
		}
		mustStatus(t, e.get("/api/v1/projects/weg", ""), 200)
		mustStatus(t, e.do("POST", "/api/v1/projects/weg/restore", req{as: "admin"}), 404)

		// restoring a project whose partner is deleted is 409; a partner whose only
		// projects are deleted can be deleted
		e.mustCreate(t, "/api/v1/partners", "admin", map[string]any{"slug": "kreis-x", "name": "Kreis X", "type": "district"})
		e.mustCreate(t, "/api/v1/projects", "editor", projectBody("mit-kreis", map[string]any{"participants": []any{map[string]any{"partner": "kreis-x", "role": "lead"}}}))
		mustStatus(t, e.do("DELETE", "/api/v1/partners/kreis-x", req{as: "admin"}), 409)
		mustStatus(t, e.do("DELETE", "/api/v1/projects/mit-kreis", req{as: "editor"}), 204)
		mustStatus(t, e.do("DELETE", "/api/v1/partners/kreis-x", req{as: "admin"}), 204)
		ref := e.do("POST", "/api/v1/projects", req{as: "admin", body: projectBody("mit-geloeschtem", map[string]any{
			"participants": []any{map[string]any{"partner": "citeq", "role": "lead"}, map[string]any{"partner": "kreis-x", "role": "partner"}}})})
		mustStatus(t, ref, 422)
		if got := fieldErrors(t, ref); !slices.Equal(got, []string{"participants[1].partner:reference"}) {
			t.Errorf("a deleted partner as participant: %v", got)
		}
		blocked := e.do("POST", "/api/v1/projects/mit-kreis/restore", req{as: "admin"})
		mustStatus(t, blocked, 409)
		if !strings.Contains(string(blocked.Body), "kreis-x") {
			t.Errorf("409 does not name the deleted partner: %s", blocked.Body)
		}
		mustStatus(t, e.do("POST", "/api/v1/partners/kreis-x/restore", req{as: "admin"}), 200)
		mustStatus(t, e.do("POST", "/api/v1/projects/mit-kreis/restore", req{as: "admin"}), 200)

		// restoring when the slug was taken meanwhile is 409
		mustStatus(t, e.do("DELETE", "/api/v1/projects/weg", req{as: "admin"}), 204)
		e.mustCreate(t, "/api/v1/projects", "editor", projectBody("weg", nil))
		mustStatus(t, e.do("POST", "/api/v1/projects/"+id+"/restore", req{as: "admin"}), 409)

		// a cooperation with live projects cannot be deleted; one without can
		c := e.do("DELETE", "/api/v1/cooperations/it-kooperation-muenster-lwl", req{as: "admin"})
		mustStatus(t, c, 409)
		var p struct {
			BlockedBy []struct{ Type, Slug string } `json:"blocked_by"`
		}
		_ = json.Unmarshal(c.Body, &p)
		if len(p.BlockedBy) < 6 || p.BlockedBy[0].Type != "project" {
			t.Errorf("blocked_by = %v", p.BlockedBy)
		}
		// a solution used by a live project cannot be deleted
		mustStatus(t, e.do("DELETE", "/api/v1/solutions/dips-kommunal", req{as: "admin"}), 409)
		mustStatus(t, e.do("DELETE", "/api/v1/projects/dips-kommunal", req{as: "admin"}), 204)
		mustStatus(t, e.do("DELETE", "/api/v1/solutions/dips-kommunal", req{as: "admin"}), 204)
		mustStatus(t, e.do("POST", "/api/v1/projects/dips-kommunal/restore", req{as: "admin"}), 409)
		mustStatus(t, e.do("POST", "/api/v1/solutions/dips-kommunal/restore", req{as: "admin"}), 200)
		mustStatus(t, e.do("POST", "/api/v1/projects/dips-kommunal/restore", req{as: "admin"}), 200)
	})
}
