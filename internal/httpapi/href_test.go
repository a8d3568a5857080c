package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestBriefRefsHref: every brief reference carries href, the path of the resource it
// names, and a client that follows it gets that resource (api/README.md, "Conventions"):
// a project's cooperation, solution and participants, a partner's parent, a
// cooperation's members, a solution's developers, a token's partners, and the
// resources that block a delete.
func TestBriefRefsHref(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		follow := func(where string, ref any) {
			t.Helper()
			r, ok := ref.(map[string]any)
			if !ok {
				t.Errorf("%s: not a reference: %v", where, ref)
				return
			}
			href, _ := r["href"].(string)
			if !strings.HasPrefix(href, "/api/v1/") || !strings.HasSuffix(href, "/"+r["slug"].(string)) {
				t.Errorf("%s: href %q for slug %v", where, href, r["slug"])
				return
			}
			got := e.get(href, "admin")
			if got.Status != http.StatusOK || got.Obj(t)["id"] != r["id"] {
				t.Errorf("%s: GET %s: %d, id %v, want %v", where, href, got.Status, got.Obj(t)["id"], r["id"])
			}
		}
		mustStatus(t, e.do("PATCH", "/api/v1/projects/it-hotline", req{as: "admin", body: map[string]any{"solution": "dips-kommunal"}}), 200)
		for _, r := range []resp{e.get("/api/v1/projects/it-hotline", ""), e.get("/api/v1/projects?limit=1&q=Hotline", "")} {
			p := r.Obj(t)
			if items, ok := p["items"].([]any); ok { // the list writes its own JSON
				p = items[0].(map[string]any)
			}
			follow("project.cooperation", p["cooperation"])
			follow("project.solution", p["solution"])
			for _, x := range p["participants"].([]any) {
				follow("project.participants[].partner", x.(map[string]any)["partner"])
			}
		}
		follow("partner.parent", e.get("/api/v1/partners/citeq", "").Obj(t)["parent"])
		for _, m := range e.get("/api/v1/cooperations/it-kooperation-muenster-lwl", "").Obj(t)["members"].([]any) {
			follow("cooperation.members[].partner", m.(map[string]any)["partner"])
		}
		for _, d := range e.get("/api/v1/solutions/dips-kommunal", "").Obj(t)["developers"].([]any) {
			follow("solution.developers[]", d)
		}
		tok := e.do("POST", "/api/v1/tokens", req{as: "admin", body: map[string]any{"name": "href", "roles": []string{"editor"}, "partners": []string{"citeq"}}})
		mustStatus(t, tok, http.StatusCreated)
		follow("token.partners[]", tok.Obj(t)["partners"].([]any)[0])
		blocked := e.do("DELETE", "/api/v1/partners/citeq", req{as: "admin"})
		mustStatus(t, blocked, http.StatusConflict)
		for _, b := range blocked.Obj(t)["blocked_by"].([]any) {
			follow("problem.blocked_by[]", b)
		}
	})
}
