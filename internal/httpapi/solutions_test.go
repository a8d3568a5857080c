package httpapi_test

import (
	"slices"
	"testing"
)

// developersOf returns a solution's developers' slugs.
func developersOf(s map[string]any) []string {
	var out []string
	list, _ := s["developers"].([]any)
	for _, x := range list {
		out = append(out, x.(map[string]any)["slug"].(string))
	}
	return out
}

func TestSolutionReads(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		r := e.get("/api/v1/solutions/dips-kommunal", "")
		mustStatus(t, r, 200)
		s := r.Obj(t)
		if s["name"] != "DiPS.kommunal" || s["category"] != "archiving" {
			t.Errorf("seeded solution = %v", s)
		}
		if got := developersOf(s); !slices.Equal(sorted(got), []string{"lwl", "stadt-koeln"}) {
			t.Errorf("developers = %v", got)
		}
		mustStatus(t, e.do("GET", "/api/v1/solutions/dips-kommunal", req{headers: map[string]string{"If-None-Match": r.Header.Get("ETag")}}), 304)
		mustStatus(t, e.get("/api/v1/solutions/gibt-es-nicht", ""), 404)

		e.mustCreate(t, "/api/v1/solutions", "editor", map[string]any{"slug": "service-desk-suite", "name": "Service-Desk-Suite",
			"category": "service_desk", "developers": []string{"citeq"}, "website": "https://example.org/sds"})
		cases := []struct {
			query string
			want  []string
		}{
			{"", []string{"dips-kommunal", "service-desk-suite"}},
			{"category=archiving", []string{"dips-kommunal"}},
			{"developer=citeq", []string{"service-desk-suite"}},
			{"developer=stadt-koeln,citeq", []string{"dips-kommunal", "service-desk-suite"}},
			{"q=Langzeitarchivierung", []string{"dips-kommunal"}},
			{"sort=-name", []string{"service-desk-suite", "dips-kommunal"}},
		}
		for _, c := range cases {
			r := e.get("/api/v1/solutions?"+c.query, "")
			mustStatus(t, r, 200)
			if got := slugs(t, r); !slices.Equal(got, c.want) {
				t.Errorf("?%s = %v, want %v", c.query, got, c.want)
			}
		}
		for _, bad := range []string{"category=kunst", "sort=status", "limit=-1", "q=", "updated_since=1", "developers=lwl"} {
			mustStatus(t, e.getInvalid("/api/v1/solutions?"+bad, ""), 400)
		}
		if got := slugs(t, e.get("/api/v1/solutions/dips-kommunal/projects?role=consumer", "")); !slices.Equal(got, []string{"dips-kommunal"}) {
			t.Errorf("who uses dips-kommunal = %v", got)
		}
	})
}

func TestSolutionWrites(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		body := map[string]any{"slug": "e-akte", "name": "E-Akte", "category": "software", "developers": []string{"citeq", "lwl-it"}}
		r := e.do("POST", "/api/v1/solutions", req{as: "editor", body: body})
		mustStatus(t, r, 201)
		s := r.Obj(t)
		if r.Header.Get("Location") != "/api/v1/solutions/"+s["id"].(string) || s["version"] != float64(1) ||
			!slices.Equal(developersOf(s), []string{"citeq", "lwl-it"}) {
			t.Errorf("created %s %v", r.Header.Get("Location"), s)
		}
		mustStatus(t, e.do("POST", "/api/v1/solutions", req{as: "editor", body: body}), 409)
		p := e.do("PATCH", "/api/v1/solutions/e-akte", req{as: "editor", ctype: "application/merge-patch+json",
			headers: map[string]string{"If-Match": r.Header.Get("ETag")},
			body:    map[string]any{"category": nil, "developers": []string{"lwl"}, "website": "https://example.org/e-akte"}})
		mustStatus(t, p, 200)
		ps := p.Obj(t)
		if _, has := ps["category"]; has || !slices.Equal(developersOf(ps), []string{"lwl"}) || ps["website"] != "https://example.org/e-akte" || ps["version"] != float64(2) {
			t.Errorf("after patch = %v", ps)
		}
		mustStatus(t, e.do("PATCH", "/api/v1/solutions/e-akte", req{as: "editor", headers: map[string]string{"If-Match": r.Header.Get("ETag")}, body: map[string]any{"name": "X"}}), 412)
		mustStatus(t, e.do("PATCH", "/api/v1/solutions/e-akte", req{invalid: true, as: "editor", body: map[string]any{"version": 9}}), 422)

		// a project can use it; then it cannot be deleted
		e.mustCreate(t, "/api/v1/projects", "editor", projectBody("nutzt-e-akte", map[string]any{"solution": "e-akte"}))
		if got := slugs(t, e.get("/api/v1/solutions/e-akte/projects", "")); !slices.Equal(got, []string{"nutzt-e-akte"}) {
			t.Errorf("projects of e-akte = %v", got)
		}
		mustStatus(t, e.do("DELETE", "/api/v1/solutions/e-akte", req{as: "editor"}), 409)
		mustStatus(t, e.do("PATCH", "/api/v1/projects/nutzt-e-akte", req{as: "editor", body: map[string]any{"solution": nil}}), 200)
		mustStatus(t, e.do("DELETE", "/api/v1/solutions/e-akte", req{as: "editor"}), 204)
		mustStatus(t, e.get("/api/v1/solutions/e-akte", ""), 404)
		mustStatus(t, e.get("/api/v1/solutions/e-akte/projects", ""), 404)
		mustStatus(t, e.do("PATCH", "/api/v1/projects/nutzt-e-akte", req{as: "editor", body: map[string]any{"solution": "e-akte"}}), 422)
		mustStatus(t, e.do("POST", "/api/v1/solutions/e-akte/restore", req{as: "editor"}), 403)
		mustStatus(t, e.do("POST", "/api/v1/solutions/e-akte/restore", req{as: "admin"}), 200)
	})
}

func TestSolutionValidation(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		cases := []struct {
			name string
			body map[string]any
			want []string
		}{
			{"required", map[string]any{}, []string{"slug:required", "name:required"}},
			{"category", map[string]any{"slug": "x", "name": "X", "category": "kunst"}, []string{"category:enum"}},
			{"website", map[string]any{"slug": "x", "name": "X", "website": "example.org"}, []string{"website:url"}},
			{"developer reference", map[string]any{"slug": "x", "name": "X", "developers": []string{"lwl", "gibt-es-nicht"}}, []string{"developers[1]:reference"}},
			{"developer twice", map[string]any{"slug": "x", "name": "X", "developers": []string{"lwl", "lwl"}}, []string{"developers[1]:duplicate"}},
			{"developer empty", map[string]any{"slug": "x", "name": "X", "developers": []string{""}}, []string{"developers[0]:required"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := e.do("POST", "/api/v1/solutions", req{invalid: true, as: "admin", body: c.body})
				mustStatus(t, r, 422)
				if got := fieldErrors(t, r); !slices.Equal(got, c.want) {
					t.Errorf("errors = %v, want %v", got, c.want)
				}
			})
		}
		mustStatus(t, e.do("POST", "/api/v1/solutions", req{invalid: true, as: "admin", body: `{"slug": "x", "name": "X", "developer": ["lwl"]}`}), 400)
	})
}
