package httpapi_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// searchPage is the body of GET /api/v1/search with its cursor.
type searchPage struct {
	searchAnswer
	NextCursor *string `json:"next_cursor"`
}

// TestSearchPages: a search pages with cursor/next_cursor like a list: the pages of
// two hits, one after the other, are the hits of one page of all, in order; total and
// facets are the same on every page; Link points to the next page.
func TestSearchPages(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		all := e.search(t, "q=citeq&limit=100")
		var paged []string
		query := "q=citeq&limit=2"
		for pages := 0; ; pages++ {
			if pages > 10 {
				t.Fatal("more pages than hits")
			}
			r := e.get("/api/v1/search?"+query, "")
			mustStatus(t, r, 200)
			var p searchPage
			if err := json.Unmarshal(r.Body, &p); err != nil {
				t.Fatal(err)
			}
			if p.Total != all.Total || !mapsEqual(p.Facets["type"], all.Facets["type"]) {
				t.Errorf("page %d: total %d, facets %v; want %d, %v", pages, p.Total, p.Facets["type"], all.Total, all.Facets["type"])
			}
			paged = append(paged, p.keys()...)
			if p.NextCursor == nil {
				if link := r.Header.Get("Link"); link != "" {
					t.Errorf("last page with Link %q", link)
				}
				break
			}
			if len(p.Items) != 2 {
				t.Errorf("page %d: %d items and a next cursor", pages, len(p.Items))
			}
			if link := r.Header.Get("Link"); !strings.Contains(link, "cursor="+url.QueryEscape(*p.NextCursor)) || !strings.HasSuffix(link, `rel="next"`) {
				t.Errorf("Link %q, want the next page", link)
			}
			query = "q=citeq&limit=2&cursor=" + url.QueryEscape(*p.NextCursor)
		}
		if !slices.Equal(paged, all.keys()) || int64(len(paged)) != all.Total {
			t.Errorf("pages %v, want %v (total %d)", paged, all.keys(), all.Total)
		}
		for _, bad := range []string{"x", "eyJ9", "eyJiIjo5LCJzIjowLjUsIm4iOiJ4IiwidCI6InByb2plY3QiLCJpIjoiMSJ9"} {
			r := e.get("/api/v1/search?q=citeq&cursor="+url.QueryEscape(bad), "")
			mustStatus(t, r, 400)
		}
		mustStatus(t, e.getInvalid("/api/v1/search?q=citeq&cursor="+strings.Repeat("A", 2000), ""), 400)
	})
}

// TestSearchLanguage: typing errors in long words, verb forms and identifiers.
func TestSearchLanguage(t *testing.T) {
	tests := []struct {
		q, want string
		typo    bool // found through a corrected typing error: scores at most 0.2
	}{
		{"Archivirung", "project:dips-kommunal", true},
		{"Langzeitarchivirung", "project:dips-kommunal", true},
		{"archiviert", "project:dips-kommunal", false},
		{"archivieren", "solution:dips-kommunal", false},
		{"kooperieren", "cooperation:it-kooperation-muenster-lwl", false},
		{"kooperiert", "cooperation:it-kooperation-muenster-lwl", false},
		{"citek", "partner:citeq", true},
		{"05515000", "partner:stadt-muenster", false},
		{"05515", "partner:stadt-muenster", false},
		{"055150000000", "partner:stadt-muenster", false},
		{"0551", "partner:stadt-muenster", false},
	}
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		for _, tt := range tests {
			a := e.search(t, "q="+url.QueryEscape(tt.q))
			if !slices.Contains(a.keys(), tt.want) {
				t.Errorf("%q: hits %v, want %s", tt.q, a.keys(), tt.want)
				continue
			}
			for _, h := range a.Items {
				if tt.typo && h.Score > 0.2 || !tt.typo && h.Type+":"+h.Slug == tt.want && h.Score <= 0.2 {
					t.Errorf("%q: %s scores %v (typo: %v)", tt.q, h.Slug, h.Score, tt.typo)
				}
			}
		}
		// An identifier is found from its start only, never from a part in the middle.
		if a := e.search(t, "q=15000"); slices.Contains(a.keys(), "partner:stadt-muenster") {
			t.Errorf("15000: hits %v", a.keys())
		}
		// The list filter matches as search does.
		r := e.get("/api/v1/partners?q=05515", "")
		mustStatus(t, r, 200)
		if !strings.Contains(string(r.Body), `"slug":"stadt-muenster"`) {
			t.Errorf("partners?q=05515: %s", r.Body)
		}
		r = e.get("/api/v1/projects?q=Archivirung", "")
		mustStatus(t, r, 200)
		if !strings.Contains(string(r.Body), `"slug":"dips-kommunal"`) {
			t.Errorf("projects?q=Archivirung: %s", r.Body)
		}
	})
}
