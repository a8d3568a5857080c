package httpapi_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
)

// searchAnswer is the body of GET /api/v1/search.
type searchAnswer struct {
	Items []struct {
		Type, ID, Slug, Title, Snippet string
		Score                          float64
	}
	Total  int64
	Facets map[string]map[string]int64
}

func (e *apiEnv) search(t *testing.T, query string) searchAnswer {
	t.Helper()
	r := e.get("/api/v1/search?"+query, "")
	mustStatus(t, r, 200)
	var a searchAnswer
	if err := json.Unmarshal(r.Body, &a); err != nil {
		t.Fatalf("search body: %v: %s", err, r.Body)
	}
	return a
}

func (a searchAnswer) keys() []string {
	out := make([]string, len(a.Items))
	for i, h := range a.Items {
		out[i] = h.Type + ":" + h.Slug
	}
	return out
}

func TestSearchGerman(t *testing.T) {
	tests := []struct {
		q     string
		first string   // the best hit
		also  []string // further hits
	}{
		{"Archivierung", "project:dips-kommunal", []string{"solution:dips-kommunal"}},
		{"Langzeitarchivierung", "project:dips-kommunal", []string{"solution:dips-kommunal"}},
		{"Rechenzentrum", "project:rechenzentren", nil},
		{"Landschaftsverbandes", "partner:lwl", nil},
		{"Behoerdennetz", "project:behoerdennetz-zugang", nil},
		{"citek", "partner:citeq", nil},
		{"Hotline", "project:it-hotline", nil},
		{"DiPS.kommunal", "solution:dips-kommunal", []string{"project:dips-kommunal"}},
		{"muenster archiv", "partner:stadtarchiv-muenster", []string{"project:dips-kommunal"}},
	}
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		for _, tt := range tests {
			a := e.search(t, "q="+url.QueryEscape(tt.q))
			got := a.keys()
			if len(got) == 0 || got[0] != tt.first {
				t.Errorf("%q: hits %v, want %s first", tt.q, got, tt.first)
			}
			for _, k := range tt.also {
				if !slices.Contains(got, k) {
					t.Errorf("%q: hits %v, want %s too", tt.q, got, k)
				}
			}
			for _, h := range a.Items {
				if h.ID == "" || h.Title == "" || h.Score <= 0 || h.Score > 1 {
					t.Errorf("%q: incomplete hit %+v", tt.q, h)
				}
			}
		}
		a := e.search(t, "q=Langzeitarchivierung&types=solution")
		if len(a.Items) != 1 || a.Items[0].Snippet != "elektronische <mark>Langzeitarchivierung</mark> für kommunale Archive" {
			t.Errorf("snippet: %+v", a.Items)
		}
	})
}

func TestSearchFacetsAndLimit(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		a := e.search(t, "q=citeq&limit=2")
		if len(a.Items) != 2 || a.Total != 5 || a.Items[0].Slug != "citeq" || a.Items[0].Score != 1 {
			t.Errorf("citeq: %d items of %d: %v", len(a.Items), a.Total, a.keys())
		}
		want := map[string]map[string]int64{
			"type":     {"partner": 1, "cooperation": 1, "project": 3},
			"status":   {"operational": 2, "planned": 1},
			"category": {"service_desk": 1, "network": 1, "data_center": 1},
		}
		for name, w := range want {
			if !mapsEqual(a.Facets[name], w) {
				t.Errorf("facets.%s = %v, want %v", name, a.Facets[name], w)
			}
		}
		p := e.search(t, "q=citeq&types=project,solution")
		if p.Total != 3 || !mapsEqual(p.Facets["type"], map[string]int64{"project": 3}) {
			t.Errorf("types=project,solution: %d, %v", p.Total, p.Facets)
		}
		none := e.search(t, "q="+url.QueryEscape("😀 !!"))
		if none.Total != 0 || len(none.Items) != 0 || none.Facets["type"] == nil {
			t.Errorf("no words: %+v", none)
		}
	})
}

func mapsEqual(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestSearchInputIsText(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		count := func() (n float64) {
			for _, c := range []string{"projects", "partners", "cooperations", "solutions"} {
				n += e.get("/api/v1/"+c+"?limit=1", "").Obj(t)["total"].(float64)
			}
			return n
		}
		before := count()
		for _, q := range []string{"'; DROP TABLE projects; --", `a & !b | (c:*) <-> "d"`, `" OR 1=1 --`,
			"NEAR(a b) AND c*", "😀🎉", "{title_doc}: x", "%_\\", "$1 ?"} {
			e.search(t, "q="+url.QueryEscape(q))
			mustStatus(t, e.get("/api/v1/projects?q="+url.QueryEscape(q), ""), 200)
		}
		if after := count(); after != before {
			t.Errorf("%v resources after hostile queries, want %v", after, before)
		}
		if a := e.search(t, "q="+url.QueryEscape("Hotline'); --")); len(a.Items) == 0 || a.Items[0].Slug != "it-hotline" {
			t.Errorf("hotline with SQL tail: %v", a.keys())
		}
		for _, bad := range []string{"", "?q=", "?q=%20%20", "?q=" + strings.Repeat("a", 201), "?q=x&limit=0",
			"?q=x&limit=101", "?q=x&types=planet", "?q=x&colour=red"} {
			mustStatus(t, e.getInvalid("/api/v1/search"+bad, ""), 400)
		}
		mustStatus(t, e.get("/api/v1/search?q="+strings.Repeat("ä", 200), ""), 200)
		mustStatus(t, e.getInvalid("/api/v1/projects?q="+strings.Repeat("a", 201), ""), 400)
		mustStatus(t, e.get("/api/v1/projects?q=", ""), 400)
	})
}

func TestSearchPrivateRead(t *testing.T) {
	forEachAPIWith(t, httpapi.Options{PublicRead: false}, func(t *testing.T, e *apiEnv) {
		mustStatus(t, e.get("/api/v1/search?q=citeq", ""), 401)
		mustStatus(t, e.get("/api/v1/search?q=citeq", "reader"), 200)
	})
}

// q on a collection combines with its filters, total and cursor.
func TestSearchCollectionFilter(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		var seen []string
		path := "/api/v1/projects?q=M%C3%BCnster&status=operational,planned&limit=2"
		for i := 0; i < 5 && path != ""; i++ {
			r := e.get(path, "")
			mustStatus(t, r, 200)
			body := r.Obj(t)
			if body["total"] != float64(5) {
				t.Errorf("page %d: total %v, want 5", i, body["total"])
			}
			seen = append(seen, slugs(t, r)...)
			next, _ := body["next_cursor"].(string)
			path = ""
			if next != "" {
				path = "/api/v1/projects?q=M%C3%BCnster&status=operational,planned&limit=2&cursor=" + url.QueryEscape(next)
			}
		}
		want := []string{"dips-kommunal", "it-sicherheit", "rechenzentren", "it-hotline", "behoerdennetz-zugang"}
		if !slices.Equal(seen, want) {
			t.Errorf("pages = %v, want %v", seen, want)
		}
		for path, want := range map[string][]string{
			"/api/v1/partners?q=citek": {"citeq"},
			"/api/v1/partners?q=Landschaftsverbandes&type=regional_association": {"lwl"},
			"/api/v1/solutions?q=Archivierung":                                  {"dips-kommunal"},
			"/api/v1/cooperations?q=Rechenzentrum":                              {"it-kooperation-muenster-lwl"},
			"/api/v1/projects?q=Behoerdennetz&status=operational":               {"behoerdennetz-zugang"},
			"/api/v1/projects?q=Behoerdennetz&status=planned":                   {},
		} {
			r := e.get(path, "")
			mustStatus(t, r, 200)
			if got := slugs(t, r); !slices.Equal(got, want) {
				t.Errorf("%s = %v, want %v", path, got, want)
			}
		}
	})
}

// A search right after a write finds what was written, although the same search was
// answered from the search cache before.
func TestSearchAfterWrite(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		for range 2 {
			if a := e.search(t, "q=Zisternen"); a.Total != 0 {
				t.Fatalf("before: %v", a.keys())
			}
		}
		mustStatus(t, e.do("PATCH", "/api/v1/projects/it-hotline", req{as: "editor",
			body: map[string]any{"title": "IT-Hotline und Zisternenkataster"}}), 200)
		if a := e.search(t, "q=Zisternen"); !slices.Equal(a.keys(), []string{"project:it-hotline"}) {
			t.Errorf("after the update: %v", a.keys())
		}
		mustStatus(t, e.do("DELETE", "/api/v1/projects/it-hotline", req{as: "editor"}), 204)
		if a := e.search(t, "q=Zisternen"); a.Total != 0 {
			t.Errorf("after the delete: %v", a.keys())
		}
	})
}
