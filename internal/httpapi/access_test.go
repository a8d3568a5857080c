package httpapi_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
)

// callers of the access matrix: four that are not authenticated, then the roles.
var (
	unauthenticated = []string{"anonymous", "bad-token", "expired", "revoked"}
	roles           = []string{"reader", "controlling", "editor-citeq", "editor-lwl", "editor", "admin", "editor-controlling-citeq"}
)

// accessCase is one endpoint of the matrix: setup prepares a fresh target (n makes
// names unique) and returns the request; want holds the status for each of roles.
type accessCase struct {
	name  string
	setup func(t *testing.T, e *apiEnv, n int) (method, path string, body any)
	want  [7]int
}

func TestAccessMatrix(t *testing.T) {
	freshPartner := func(t *testing.T, e *apiEnv, n int) string {
		slug := fmt.Sprintf("partner-%d", n)
		e.mustCreate(t, "/api/v1/partners", "admin", map[string]any{"slug": slug, "name": "Partner " + slug, "type": "other"})
		return slug
	}
	freshCoop := func(t *testing.T, e *apiEnv, n int, members ...string) string {
		slug := fmt.Sprintf("koop-%d", n)
		var ms []any
		for _, m := range members {
			ms = append(ms, map[string]any{"partner": m, "role": "party"})
		}
		e.mustCreate(t, "/api/v1/cooperations", "admin", coopBody(slug, map[string]any{"members": ms}))
		return slug
	}
	freshProject := func(t *testing.T, e *apiEnv, n int, parts ...string) string {
		slug := fmt.Sprintf("vorhaben-%d", n)
		var ps []any
		for i, p := range parts {
			ps = append(ps, map[string]any{"partner": p, "role": []string{"provider", "consumer", "partner"}[i%3]})
		}
		e.mustCreate(t, "/api/v1/projects", "admin", projectBody(slug, map[string]any{"participants": ps}))
		return slug
	}
	freshSolution := func(t *testing.T, e *apiEnv, n int) string {
		slug := fmt.Sprintf("loesung-%d", n)
		e.mustCreate(t, "/api/v1/solutions", "admin", map[string]any{"slug": slug, "name": "Lösung " + slug, "developers": []string{"citeq"}})
		return slug
	}
	deleted := func(t *testing.T, e *apiEnv, coll, slug string) string {
		mustStatus(t, e.do("DELETE", "/api/v1/"+coll+"/"+slug, req{as: "admin"}), 204)
		return "/api/v1/" + coll + "/" + slug + "/restore"
	}
	patch := map[string]any{"description": "geändert"}

	cases := []accessCase{
		{"create partner", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "POST", "/api/v1/partners", map[string]any{"slug": fmt.Sprintf("neu-%d", n), "name": "Neu", "type": "other"}
		}, [7]int{403, 403, 403, 403, 201, 201, 403}},
		{"patch partner citeq", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "PATCH", "/api/v1/partners/citeq", patch
		}, [7]int{403, 403, 200, 403, 200, 200, 200}},
		{"patch partner lwl", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "PATCH", "/api/v1/partners/lwl", patch
		}, [7]int{403, 403, 403, 200, 200, 200, 403}},
		{"delete partner", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "DELETE", "/api/v1/partners/" + freshPartner(t, e, n), nil
		}, [7]int{403, 403, 403, 403, 204, 204, 403}},
		{"restore partner", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "POST", deleted(t, e, "partners", freshPartner(t, e, n)), nil
		}, [7]int{403, 403, 403, 403, 403, 200, 403}},

		{"create cooperation with citeq", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "POST", "/api/v1/cooperations", coopBody(fmt.Sprintf("neu-%d", n), nil)
		}, [7]int{403, 403, 201, 403, 201, 201, 201}},
		{"patch seeded cooperation", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "PATCH", "/api/v1/cooperations/it-kooperation-muenster-lwl", patch
		}, [7]int{403, 403, 200, 200, 200, 200, 200}},
		{"patch cooperation of citeq", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "PATCH", "/api/v1/cooperations/" + freshCoop(t, e, n, "stadt-muenster", "citeq"), patch
		}, [7]int{403, 403, 200, 403, 200, 200, 200}},
		{"write citeq out of a cooperation", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "PATCH", "/api/v1/cooperations/" + freshCoop(t, e, n, "stadt-muenster", "citeq", "lwl"), map[string]any{"members": []any{
				map[string]any{"partner": "stadt-muenster", "role": "party"}, map[string]any{"partner": "lwl", "role": "party"}}}
		}, [7]int{403, 403, 403, 403, 200, 200, 403}}, // lwl may not remove citeq's membership
		{"delete cooperation", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "DELETE", "/api/v1/cooperations/" + freshCoop(t, e, n, "stadt-muenster", "citeq"), nil
		}, [7]int{403, 403, 204, 403, 204, 204, 204}},
		{"restore cooperation", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "POST", deleted(t, e, "cooperations", freshCoop(t, e, n, "stadt-muenster", "citeq")), nil
		}, [7]int{403, 403, 403, 403, 403, 200, 403}},
		{"transition cooperation", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "POST", "/api/v1/cooperations/" + freshCoop(t, e, n, "stadt-muenster", "citeq") + "/transitions", map[string]any{"to": "active"}
		}, [7]int{403, 403, 200, 403, 200, 200, 200}},

		{"create project with citeq", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "POST", "/api/v1/projects", projectBody(fmt.Sprintf("neu-%d", n), nil)
		}, [7]int{403, 403, 201, 403, 201, 201, 201}},
		{"patch it-hotline", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "PATCH", "/api/v1/projects/it-hotline", patch
		}, [7]int{403, 403, 200, 403, 200, 200, 200}},
		{"patch dips-kommunal", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "PATCH", "/api/v1/projects/dips-kommunal", patch
		}, [7]int{403, 403, 403, 200, 200, 200, 403}},
		{"write citeq out of a project", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "PATCH", "/api/v1/projects/" + freshProject(t, e, n, "lwl-it", "citeq"), map[string]any{"participants": []any{
				map[string]any{"partner": "lwl-it", "role": "provider"}}}
		}, [7]int{403, 403, 403, 403, 200, 200, 403}},
		{"take over a project", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "PATCH", "/api/v1/projects/" + freshProject(t, e, n, "lwl-it"), map[string]any{"participants": []any{
				map[string]any{"partner": "lwl-it", "role": "provider"}, map[string]any{"partner": "citeq", "role": "consumer"}}}
		}, [7]int{403, 403, 403, 403, 200, 200, 403}},
		{"delete project", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "DELETE", "/api/v1/projects/" + freshProject(t, e, n, "citeq"), nil
		}, [7]int{403, 403, 204, 403, 204, 204, 204}},
		{"restore project", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "POST", deleted(t, e, "projects", freshProject(t, e, n, "citeq")), nil
		}, [7]int{403, 403, 403, 403, 403, 200, 403}},
		{"transition project", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "POST", "/api/v1/projects/" + freshProject(t, e, n, "citeq", "lwl") + "/transitions", map[string]any{"to": "in_progress"}
		}, [7]int{403, 403, 200, 200, 200, 200, 200}},
		{"transition project of lwl-it", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "POST", "/api/v1/projects/" + freshProject(t, e, n, "lwl-it") + "/transitions", map[string]any{"to": "in_progress"}
		}, [7]int{403, 403, 403, 403, 200, 200, 403}},

		// Writing finance needs the right to read it (controlling or admin).
		{"patch project finance", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "PATCH", "/api/v1/projects/" + freshProject(t, e, n, "citeq"), map[string]any{"finance": map[string]any{"budget_planned": "1.00"}}
		}, [7]int{403, 403, 403, 403, 403, 200, 200}},
		{"clear project finance", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "PATCH", "/api/v1/projects/" + freshProject(t, e, n, "citeq"), map[string]any{"finance": nil}
		}, [7]int{403, 403, 403, 403, 403, 200, 200}},
		{"create project with finance", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "POST", "/api/v1/projects", projectBody(fmt.Sprintf("neu-%d", n), map[string]any{"finance": map[string]any{"cost_actual": "5"}})
		}, [7]int{403, 403, 403, 403, 403, 201, 201}},
		// Another partner's participation is for that partner's editors (or an admin).
		{"remove lwl from a shared project", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "PATCH", "/api/v1/projects/" + freshProject(t, e, n, "citeq", "lwl"), map[string]any{"participants": []any{
				map[string]any{"partner": "citeq", "role": "provider"}}}
		}, [7]int{403, 403, 403, 403, 200, 200, 403}},
		{"change lwl's role in a shared project", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "PATCH", "/api/v1/projects/" + freshProject(t, e, n, "citeq", "lwl"), map[string]any{"participants": []any{
				map[string]any{"partner": "citeq", "role": "provider"}, map[string]any{"partner": "lwl", "role": "lead"}}}
		}, [7]int{403, 403, 403, 200, 200, 200, 403}},
		{"date lwl's part in a shared project", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "PATCH", "/api/v1/projects/" + freshProject(t, e, n, "citeq", "lwl"), map[string]any{"participants": []any{
				map[string]any{"partner": "citeq", "role": "provider"}, map[string]any{"partner": "lwl", "role": "consumer", "until": "2020"}}}
		}, [7]int{403, 403, 403, 200, 200, 200, 403}},
		{"date citeq's part in a shared project", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "PATCH", "/api/v1/projects/" + freshProject(t, e, n, "citeq", "lwl"), map[string]any{"participants": []any{
				map[string]any{"partner": "citeq", "role": "provider", "since": "2017"}, map[string]any{"partner": "lwl", "role": "consumer"}}}
		}, [7]int{403, 403, 200, 403, 200, 200, 200}},
		{"add a participation of citeq", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "PATCH", "/api/v1/projects/" + freshProject(t, e, n, "citeq", "lwl"), map[string]any{"participants": []any{
				map[string]any{"partner": "citeq", "role": "provider"}, map[string]any{"partner": "lwl", "role": "consumer"},
				map[string]any{"partner": "citeq", "role": "operator"}}}
		}, [7]int{403, 403, 200, 200, 200, 200, 200}},
		{"remove lwl from a shared cooperation", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "PATCH", "/api/v1/cooperations/" + freshCoop(t, e, n, "stadt-muenster", "citeq", "lwl"), map[string]any{"members": []any{
				map[string]any{"partner": "stadt-muenster", "role": "party"}, map[string]any{"partner": "citeq", "role": "party"}}}
		}, [7]int{403, 403, 403, 403, 200, 200, 403}},
		{"make lwl citeq's parent", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			mustStatus(t, e.do("PATCH", "/api/v1/partners/citeq", req{as: "admin", body: map[string]any{"parent": "stadt-muenster"}}), 200)
			return "PATCH", "/api/v1/partners/citeq", map[string]any{"parent": "lwl"}
		}, [7]int{403, 403, 403, 403, 200, 200, 403}},
		{"make citeq's parent its own partner", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			mustStatus(t, e.do("PATCH", "/api/v1/partners/citeq", req{as: "admin", body: map[string]any{"parent": "stadt-muenster"}}), 200)
			return "PATCH", "/api/v1/partners/citeq", map[string]any{"description": "Tochter der Stadt Münster"}
		}, [7]int{403, 403, 200, 403, 200, 200, 200}},

		{"create solution", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "POST", "/api/v1/solutions", map[string]any{"slug": fmt.Sprintf("neu-%d", n), "name": "Neu", "developers": []string{"citeq", "lwl"}}
		}, [7]int{403, 403, 403, 403, 201, 201, 403}},
		{"patch solution", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "PATCH", "/api/v1/solutions/dips-kommunal", patch
		}, [7]int{403, 403, 403, 403, 200, 200, 403}},
		{"delete solution", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "DELETE", "/api/v1/solutions/" + freshSolution(t, e, n), nil
		}, [7]int{403, 403, 403, 403, 204, 204, 403}},
		{"restore solution", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "POST", deleted(t, e, "solutions", freshSolution(t, e, n)), nil
		}, [7]int{403, 403, 403, 403, 403, 200, 403}},

		{"list tokens", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "GET", "/api/v1/tokens", nil
		}, [7]int{403, 403, 403, 403, 403, 200, 403}},
		{"create token", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "POST", "/api/v1/tokens", map[string]any{"name": fmt.Sprintf("t-%d", n), "roles": []string{"reader"}}
		}, [7]int{403, 403, 403, 403, 403, 201, 403}},
		{"revoke token", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "DELETE", "/api/v1/tokens/" + e.addToken(t, fmt.Sprintf("t-%d", n), "reader", ""), nil
		}, [7]int{403, 403, 403, 403, 403, 204, 403}},
		{"read the change feed", func(t *testing.T, e *apiEnv, n int) (string, string, any) {
			return "GET", "/api/v1/changes?limit=1", nil
		}, [7]int{200, 200, 200, 200, 200, 200, 200}},
	}

	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		e.tokens["bad-token"] = "ikz_not-a-real-token"
		e.addToken(t, "expired", "admin", "expired")
		e.addToken(t, "revoked", "admin", "revoked")
		n := 0
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				for _, who := range unauthenticated {
					n++
					method, path, body := c.setup(t, e, n)
					as := who
					if who == "anonymous" {
						as = ""
					}
					if r := e.do(method, path, req{as: as, body: body}); r.Status != 401 {
						t.Errorf("%s %s as %s: %d, want 401: %s", method, path, who, r.Status, r.Body)
					}
				}
				for i, who := range roles {
					n++
					method, path, body := c.setup(t, e, n)
					if r := e.do(method, path, req{as: who, body: body}); r.Status != c.want[i] {
						t.Errorf("%s %s as %s: %d, want %d: %s", method, path, who, r.Status, c.want[i], r.Body)
					}
				}
			})
		}

		// a bound editor may not touch what its partners do not take part in, against the seeded data itself
		mustStatus(t, e.do("PATCH", "/api/v1/projects/it-hotline", req{as: "editor-citeq", body: map[string]any{"participants": []any{
			map[string]any{"partner": "lwl-it", "role": "provider"}}}}), 403)
		if got := participantsOf(e.get("/api/v1/projects/it-hotline", "").Obj(t)); len(got) != 2 {
			t.Errorf("refused write changed it-hotline's participants: %v", got)
		}
		mustStatus(t, e.do("PATCH", "/api/v1/projects/dips-kommunal", req{as: "editor-citeq", body: patch}), 403)
		mustStatus(t, e.do("POST", "/api/v1/projects", req{as: "editor-citeq", body: projectBody("nur-lwl", map[string]any{
			"participants": []any{map[string]any{"partner": "lwl", "role": "lead"}}})}), 403)
		mustStatus(t, e.get("/api/v1/projects/nur-lwl", ""), 404)
		// a refused write as a bad token is 401 even on a missing resource; 403 before 404 for roles
		mustStatus(t, e.do("PATCH", "/api/v1/projects/gibt-es-nicht", req{as: "bad-token", body: patch}), 401)
		mustStatus(t, e.do("PATCH", "/api/v1/projects/gibt-es-nicht", req{as: "reader", body: patch}), 403)
		mustStatus(t, e.do("PATCH", "/api/v1/projects/gibt-es-nicht", req{as: "editor-citeq", body: patch}), 404)

		// nor change other partners' participations, against the seeded data itself: an editor of citeq
		// neither removes lwl-it from it-hotline nor makes lwl citeq's parent
		mustStatus(t, e.do("PATCH", "/api/v1/partners/citeq", req{as: "admin", body: map[string]any{"parent": "stadt-muenster"}}), 200)
		hotline := e.get("/api/v1/projects/it-hotline", "").Obj(t)
		mustStatus(t, e.do("PATCH", "/api/v1/projects/it-hotline", req{as: "editor-citeq", body: map[string]any{"participants": []any{
			map[string]any{"partner": "citeq", "role": "consumer"}}}}), 403)
		mustStatus(t, e.do("PATCH", "/api/v1/partners/citeq", req{as: "editor-citeq", body: map[string]any{"parent": "lwl"}}), 403)
		if got := slugs(t, e.get("/api/v1/partners/lwl/children", "")); slices.Contains(got, "citeq") {
			t.Errorf("citeq among lwl's children: %v", got)
		}
		if after := e.get("/api/v1/projects/it-hotline", "").Obj(t); after["version"] != hotline["version"] {
			t.Errorf("a refused write changed it-hotline: version %v → %v", hotline["version"], after["version"])
		}
		// an editor's finance write is refused whatever the value: the version tells nothing
		before := e.get("/api/v1/projects/it-hotline", "controlling").Obj(t)
		for _, guess := range []any{map[string]any{"budget_planned": "1.00"}, before["finance"], nil} {
			mustStatus(t, e.do("PATCH", "/api/v1/projects/it-hotline", req{as: "editor-citeq", body: map[string]any{"finance": guess}}), 403)
		}
		if after := e.get("/api/v1/projects/it-hotline", "controlling").Obj(t); after["version"] != before["version"] ||
			fmt.Sprint(after["finance"]) != fmt.Sprint(before["finance"]) {
			t.Errorf("a refused finance write changed it-hotline: %v → %v", before, after)
		}
	})
}

// TestReadAccess: directory reads are public unless IKZ_PUBLIC_READ=false; a bad
// token is 401 even where anonymous reads are allowed.
func TestReadAccess(t *testing.T) {
	paths := []string{"/api/v1/projects", "/api/v1/projects/it-hotline", "/api/v1/projects/it-hotline/history",
		"/api/v1/cooperations", "/api/v1/cooperations/it-kooperation-muenster-lwl", "/api/v1/cooperations/it-kooperation-muenster-lwl/history",
		"/api/v1/cooperations/it-kooperation-muenster-lwl/projects", "/api/v1/solutions", "/api/v1/solutions/dips-kommunal",
		"/api/v1/solutions/dips-kommunal/projects", "/api/v1/partners/citeq/projects"}
	for _, public := range []bool{true, false} {
		t.Run(fmt.Sprintf("public_read=%v", public), func(t *testing.T) {
			forEachAPIWith(t, httpapi.Options{PublicRead: public}, func(t *testing.T, e *apiEnv) {
				for _, p := range paths {
					anon := e.get(p, "")
					if want := map[bool]int{true: 200, false: 401}[public]; anon.Status != want {
						t.Errorf("anonymous GET %s: %d, want %d", p, anon.Status, want)
					}
					if public && anon.Header.Get("Cache-Control") == "" {
						t.Errorf("GET %s without Cache-Control", p)
					}
					mustStatus(t, e.get(p, "ikz_not-a-real-token"), 401)
					for _, who := range roles {
						if r := e.get(p, who); r.Status != 200 {
							t.Errorf("GET %s as %s: %d", p, who, r.Status)
						} else if r.Header.Get("Cache-Control") != "private, no-cache" {
							t.Errorf("GET %s as %s: Cache-Control %q", p, who, r.Header.Get("Cache-Control"))
						}
					}
				}
			})
		})
	}
}
