package httpapi_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestPartnerReads(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		r := e.get("/api/v1/partners/citeq", "")
		mustStatus(t, r, 200)
		p := r.Obj(t)
		parent, _ := p["parent"].(map[string]any)
		if parent["slug"] != "stadt-muenster" || parent["name"] != "Stadt Münster" {
			t.Errorf("citeq parent = %v, want Stadt Münster", p["parent"])
		}
		if r.Header.Get("ETag") == "" || r.Header.Get("X-Request-ID") == "" || r.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("headers missing: %v", r.Header)
		}
		byID := e.get("/api/v1/partners/"+p["id"].(string), "")
		mustStatus(t, byID, 200)
		if byID.Obj(t)["slug"] != "citeq" {
			t.Error("get by id did not return citeq")
		}
		notMod := e.do("GET", "/api/v1/partners/citeq", req{headers: map[string]string{"If-None-Match": r.Header.Get("ETag")}})
		mustStatus(t, notMod, http.StatusNotModified)

		mustStatus(t, e.get("/api/v1/partners/gibt-es-nicht", ""), 404)

		all := e.get("/api/v1/partners", "")
		mustStatus(t, all, 200)
		got := slugs(t, all)
		want := []string{"citeq", "lwl", "lwl-it", "stadt-koeln", "stadt-muenster", "stadtarchiv-muenster"}
		if !slices.Equal(got, want) {
			t.Errorf("default order (by name, case-insensitive) = %v, want %v", got, want)
		}
		if all.Obj(t)["total"] != float64(6) {
			t.Errorf("total = %v", all.Obj(t)["total"])
		}
		children := slugs(t, e.get("/api/v1/partners/stadt-muenster/children", ""))
		if !slices.Equal(children, []string{"citeq", "stadtarchiv-muenster"}) {
			t.Errorf("children = %v", children)
		}
		filtered := slugs(t, e.get("/api/v1/partners?type=municipality&state=DE-NW", ""))
		if !slices.Equal(filtered, []string{"stadt-koeln", "stadt-muenster"}) {
			t.Errorf("type+state filter = %v", filtered)
		}
	})
}

func TestPartnerPagination(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		var seen []string
		path := "/api/v1/partners?limit=2&sort=-slug"
		for i := 0; i < 10 && path != ""; i++ {
			r := e.get(path, "")
			mustStatus(t, r, 200)
			seen = append(seen, slugs(t, r)...)
			next, _ := r.Obj(t)["next_cursor"].(string)
			link := r.Header.Get("Link")
			if next == "" {
				if link != "" {
					t.Errorf("Link on last page: %s", link)
				}
				path = ""
				continue
			}
			if !strings.Contains(link, `rel="next"`) {
				t.Errorf("Link header = %q", link)
			}
			path = "/api/v1/partners?limit=2&sort=-slug&cursor=" + next
		}
		want := []string{"stadtarchiv-muenster", "stadt-muenster", "stadt-koeln", "lwl-it", "lwl", "citeq"}
		if !slices.Equal(seen, want) {
			t.Errorf("pages = %v, want %v", seen, want)
		}
		for _, bad := range []string{"?sort=nope", "?limit=0", "?limit=501", "?cursor=xyz", "?updated_since=gestern", "?type=planet", "?q=", "?colour=red"} {
			mustStatus(t, e.getInvalid("/api/v1/partners"+bad, ""), 400)
		}
		// a cursor made under another sort is refused
		first := e.get("/api/v1/partners?limit=1&sort=slug", "").Obj(t)["next_cursor"].(string)
		mustStatus(t, e.get("/api/v1/partners?limit=1&sort=name&cursor="+first, ""), 400)
	})
}

func TestPartnerWrites(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		body := map[string]any{
			"slug": "kreis-warendorf", "name": "Kreis Warendorf", "type": "district",
			"ags": "05570000", "ars": "055700000000", "state": "DE-NW",
			"leitweg_id": "04011000-1234512345-06", "email": "it@kreis-warendorf.de",
			"website": "https://www.kreis-warendorf.de", "address": map[string]any{"postal_code": "48231", "city": "Warendorf"},
		}
		mustStatus(t, e.do("POST", "/api/v1/partners", req{body: body}), 401)
		mustStatus(t, e.do("POST", "/api/v1/partners", req{as: "reader", body: body}), 403)
		mustStatus(t, e.do("POST", "/api/v1/partners", req{as: "ikz_not-a-real-token", body: body}), 401)
		r := e.do("POST", "/api/v1/partners", req{as: "editor", body: body})
		mustStatus(t, r, 201)
		p := r.Obj(t)
		if r.Header.Get("Location") != "/api/v1/partners/"+p["id"].(string) || p["version"] != float64(1) {
			t.Errorf("Location %q, version %v", r.Header.Get("Location"), p["version"])
		}
		mustStatus(t, e.do("POST", "/api/v1/partners", req{as: "editor", body: body}), 409)

		// merge patch: null clears, others stay, version +1
		tag := r.Header.Get("ETag")
		pr := e.do("PATCH", "/api/v1/partners/kreis-warendorf", req{as: "editor", ctype: "application/merge-patch+json",
			headers: map[string]string{"If-Match": tag}, body: map[string]any{"email": nil, "short_name": "WAF"}})
		mustStatus(t, pr, 200)
		pp := pr.Obj(t)
		if _, has := pp["email"]; has || pp["short_name"] != "WAF" || pp["ags"] != "05570000" || pp["version"] != float64(2) {
			t.Errorf("after patch: %v", pp)
		}
		stale := e.do("PATCH", "/api/v1/partners/kreis-warendorf", req{as: "editor",
			headers: map[string]string{"If-Match": tag}, body: map[string]any{"short_name": "X"}})
		mustStatus(t, stale, 412)
		if got := e.get("/api/v1/partners/kreis-warendorf", "").Obj(t)["short_name"]; got != "WAF" {
			t.Errorf("stale patch changed data: %v", got)
		}
		mustStatus(t, e.do("PATCH", "/api/v1/partners/kreis-warendorf", req{invalid: true, as: "editor", body: map[string]any{"version": 7}}), 422)
		mustStatus(t, e.do("PATCH", "/api/v1/partners/kreis-warendorf", req{invalid: true, as: "editor", ctype: "text/plain", body: "{}"}), 415)

		// delete, gone, restore by admin only
		mustStatus(t, e.do("DELETE", "/api/v1/partners/kreis-warendorf", req{as: "editor"}), 204)
		mustStatus(t, e.get("/api/v1/partners/kreis-warendorf", ""), 404)
		if slices.Contains(slugs(t, e.get("/api/v1/partners", "")), "kreis-warendorf") {
			t.Error("deleted partner still listed")
		}
		mustStatus(t, e.do("POST", "/api/v1/partners/kreis-warendorf/restore", req{as: "editor"}), 403)
		mustStatus(t, e.do("POST", "/api/v1/partners/kreis-warendorf/restore", req{as: "admin"}), 200)
		mustStatus(t, e.get("/api/v1/partners/kreis-warendorf", ""), 200)

		// a partner still in use cannot be deleted; the problem names the blockers
		blocked := e.do("DELETE", "/api/v1/partners/citeq", req{as: "editor"})
		mustStatus(t, blocked, 409)
		if !strings.Contains(string(blocked.Body), "it-hotline") {
			t.Errorf("409 does not name the blocking project: %s", blocked.Body)
		}
	})
}

func TestPartnerValidation(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		base := func(extra map[string]any) map[string]any {
			m := map[string]any{"slug": "neu", "name": "Neu", "type": "municipality"}
			for k, v := range extra {
				m[k] = v
			}
			return m
		}
		cases := []struct {
			name string
			body map[string]any
			want []string
		}{
			{"required", map[string]any{}, []string{"slug:required", "name:required", "type:required"}},
			{"slug", base(map[string]any{"slug": "Neu Stadt"}), []string{"slug:pattern"}},
			{"enum", base(map[string]any{"type": "planet"}), []string{"type:enum"}},
			{"ags", base(map[string]any{"ags": "5515000"}), []string{"ags:pattern"}},
			{"ars", base(map[string]any{"ags": "05515000", "ars": "0551500000"}), []string{"ars:pattern"}},
			{"ars mismatch", base(map[string]any{"ags": "05515000", "ars": "053150000000"}), []string{"ars:mismatch"}},
			{"state mismatch", base(map[string]any{"ags": "05515000", "state": "DE-BY"}), []string{"state:mismatch"}},
			{"state enum", base(map[string]any{"state": "NRW"}), []string{"state:enum"}},
			{"leitweg pattern", base(map[string]any{"leitweg_id": "04011000-12345"}), []string{"leitweg_id:pattern"}},
			{"leitweg check", base(map[string]any{"leitweg_id": "04011000-1234512345-07"}), []string{"leitweg_id:check_digits"}},
			{"email", base(map[string]any{"email": "kein-at"}), []string{"email:email"}},
			{"url", base(map[string]any{"website": "www.ohne-schema.de"}), []string{"website:url"}},
			{"postal", base(map[string]any{"address": map[string]any{"postal_code": "4815"}}), []string{"address.postal_code:pattern"}},
			{"as_of", base(map[string]any{"employees": map[string]any{"count": 3, "as_of": "2024-13-45"}}), []string{"employees.as_of:date"}},
			{"parent", base(map[string]any{"parent": "gibt-es-nicht"}), []string{"parent:reference"}},
			{"type error", base(map[string]any{"name": 5}), []string{"name:type"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := e.do("POST", "/api/v1/partners", req{invalid: true, as: "admin", body: c.body})
				mustStatus(t, r, 422)
				if got := fieldErrors(t, r); !slices.Equal(got, c.want) {
					t.Errorf("errors = %v, want %v", got, c.want)
				}
			})
		}
		valid := base(map[string]any{"leitweg_id": "991-33333TEST-33"})
		mustStatus(t, e.do("POST", "/api/v1/partners", req{as: "admin", body: valid}), 201)

		// bad requests: nothing is written
		mustStatus(t, e.do("POST", "/api/v1/partners", req{invalid: true, as: "admin", body: `{"slug": "x", "name": "X", "type": "other", "colour": "red"}`}), 400)
		mustStatus(t, e.do("POST", "/api/v1/partners", req{invalid: true, as: "admin", body: `{"slug": "x",`}), 400)
		mustStatus(t, e.do("POST", "/api/v1/partners", req{invalid: true, as: "admin", ctype: "text/csv", body: "slug;name"}), 415)
		huge := `{"slug": "x", "name": "X", "type": "other", "description": "` + strings.Repeat("a", 2<<20) + `"}`
		mustStatus(t, e.do("POST", "/api/v1/partners", req{invalid: true, as: "admin", body: huge}), 413)
		mustStatus(t, e.get("/api/v1/partners/x", ""), 404)

		// a partner cannot be its own ancestor
		mustStatus(t, e.do("PATCH", "/api/v1/partners/stadt-muenster", req{as: "admin", body: map[string]any{"parent": "citeq"}}), 422)
	})
}
