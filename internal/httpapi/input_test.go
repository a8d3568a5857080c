package httpapi_test

import (
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestHostileText: NUL bytes, other control characters, invalid UTF-8 and (outside
// running text) bidirectional overrides are refused alike on both databases — 422
// naming the field in a body, 400 naming the parameter in a query or path — and
// nothing is written.
func TestHostileText(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		for _, tc := range []struct {
			name, raw, field, code string
		}{
			{"NUL", `A\u0000B`, "name", "control"},
			{"escape", `\u001b[31mrot`, "name", "control"},
			{"DEL", "a\x7fb", "name", "control"},
			{"C1", `a\u0085b`, "name", "control"},
			{"invalid UTF-8", "a\xffb", "name", "utf8"},
			{"cut UTF-8", "M\xc3", "name", "utf8"},
			{"bidi override", `citeq\u202Eqetic`, "name", "bidi"},
			{"bidi isolate", `a\u2066b`, "short_name", "bidi"},
		} {
			name, short := `"Name"`, `"N"`
			if tc.field == "name" {
				name = `"` + tc.raw + `"`
			} else {
				short = `"` + tc.raw + `"`
			}
			body := `{"slug": "boese-` + strings.ToLower(strings.ReplaceAll(tc.name, " ", "-")) + `", "name": ` + name + `, "short_name": ` + short + `, "type": "other"}`
			r := e.do("POST", "/api/v1/partners", req{as: "admin", body: body, invalid: true})
			mustStatus(t, r, 422)
			if got := fieldErrors(t, r); !slices.Equal(got, []string{tc.field + ":" + tc.code}) {
				t.Errorf("%s: errors %v", tc.name, got)
			}
			r = e.do("PATCH", "/api/v1/projects/it-hotline", req{as: "admin", invalid: true, body: `{"tags": ["gut", "` + tc.raw + `"]}`})
			mustStatus(t, r, 422)
			if got := fieldErrors(t, r); !slices.Equal(got, []string{"tags[1]:" + tc.code}) {
				t.Errorf("%s in a tag: errors %v", tc.name, got)
			}
		}
		mustStatus(t, e.get("/api/v1/partners/boese-nul", ""), 404)
		hotline := e.get("/api/v1/projects/it-hotline", "").Obj(t)
		// running text may carry bidirectional formatting, but no control characters
		mustStatus(t, e.do("PATCH", "/api/v1/projects/it-hotline", req{as: "admin", body: map[string]any{"description": "Zitat: \u202Bשלום\u202C"}}), 200)
		r := e.do("PATCH", "/api/v1/projects/it-hotline", req{as: "admin", invalid: true, body: `{"description": "a\u0000b", "participants": [{"partner": "citeq", "role": "lead", "since": "2017\u0000"}]}`})
		mustStatus(t, r, 422)
		if got := fieldErrors(t, r); !slices.Equal(got, []string{"description:control", "participants[0].since:control"}) {
			t.Errorf("errors %v", got)
		}
		if v := e.get("/api/v1/projects/it-hotline", "").Obj(t)["version"]; v != hotline["version"].(float64)+1 {
			t.Errorf("version %v after one accepted and two refused writes (was %v)", v, hotline["version"])
		}

		// query values, query names and path parameters: 400 naming the parameter
		for _, path := range []string{
			"/api/v1/projects?tag=%00", "/api/v1/projects?q=%ff", "/api/v1/projects?partner=a%1bb", "/api/v1/projects?cursor=%00",
			"/api/v1/partners?ta%00g=x", "/api/v1/partners/%ff", "/api/v1/partners/%00", "/api/v1/partners/citeq%E2%80%AE",
			"/api/v1/projects/it-hotline/history?x=%c3", "/api/v1/search?q=%00", "/api/v1/exports/projects?tag=%ff",
			"/api/v1/stats/projects?tag=%00", "/api/v1/changes?resource_id=%00",
		} {
			r := e.do("GET", path, req{as: "admin", invalid: true})
			if r.Status != 400 || !strings.Contains(string(r.Body), "Parameter") {
				t.Errorf("GET %s: %d %s", path, r.Status, r.Body)
			}
		}
		mustStatus(t, e.do("DELETE", "/api/v1/projects/%00", req{as: "admin", invalid: true}), 400)
		// a cursor is the client's too: what it holds must be an id and storable text
		for _, c := range []string{`{"s":"title","v":["a\u0000"],"id":"0b7c1a8e-0000-4000-8000-000000000000"}`,
			`{"s":"title","v":["a"],"id":"kein-uuid"}`} {
			path := "/api/v1/projects?sort=title&cursor=" + base64.RawURLEncoding.EncodeToString([]byte(c))
			if r := e.do("GET", path, req{invalid: true}); r.Status != 400 {
				t.Errorf("cursor %s: %d %s", c, r.Status, r.Body)
			}
		}
		mustStatus(t, e.get("/api/v1/search?q=%E2%80%AEArchiv", ""), 200) // search text may carry them

		// a charset other than UTF-8 is 415; UTF-8 in any spelling is fine
		for ct, want := range map[string]int{"application/json; charset=latin1": 415, "application/json; charset=utf-16": 415,
			"application/json; charset=UTF-8": 200, "application/merge-patch+json; charset=utf-8": 200} {
			r := e.do("PATCH", "/api/v1/partners/citeq", req{as: "admin", ctype: ct, body: map[string]any{"short_name": "citeq"}, invalid: want != 200})
			if r.Status != want {
				t.Errorf("%s: %d, want %d: %s", ct, r.Status, want, r.Body)
			}
		}
	})
}

// TestExactKeys: a key that matches a field only up to case is an unknown field, and
// a key twice in one object is malformed: 400, nothing changed.
func TestExactKeys(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		before := e.get("/api/v1/projects/it-hotline", "admin").Obj(t)
		for _, body := range []string{
			`{"Title": "X"}`, `{"TITLE": "X"}`, `{"title": "X", "title": "Y"}`,
			`{"finance": {"Budget_Planned": "1.00"}}`, `{"finance": {"budget_planned": "1.00", "budget_planned": "2.00"}}`,
			`{"participants": [{"partner": "citeq", "Role": "lead"}]}`,
			`{"participants": [{"partner": "citeq", "role": "lead", "role": "provider"}]}`,
			`{"sources": [{"title": "a", "Title": "b"}]}`,
		} {
			r := e.do("PATCH", "/api/v1/projects/it-hotline", req{as: "admin", body: body, invalid: true})
			if r.Status != 400 {
				t.Errorf("PATCH %s: %d %s", body, r.Status, r.Body)
			}
		}
		if after := e.get("/api/v1/projects/it-hotline", "admin").Obj(t); after["version"] != before["version"] || after["title"] != before["title"] {
			t.Errorf("a refused PATCH changed the project: %v", after)
		}
		for _, body := range []string{
			`{"Slug": "gross", "name": "Groß", "type": "other"}`, `{"slug": "doppelt", "slug": "doppelt-2", "name": "x", "type": "other"}`,
			`{"slug": "adresse", "name": "x", "type": "other", "address": {"City": "Münster"}}`,
		} {
			if r := e.do("POST", "/api/v1/partners", req{as: "admin", body: body, invalid: true}); r.Status != 400 {
				t.Errorf("POST %s: %d %s", body, r.Status, r.Body)
			}
		}
		for _, slug := range []string{"gross", "doppelt", "doppelt-2", "adresse"} {
			mustStatus(t, e.get("/api/v1/partners/"+slug, ""), 404)
		}
		// read-only fields stay 422, their case variants are unknown fields
		mustStatus(t, e.do("PATCH", "/api/v1/projects/it-hotline", req{as: "admin", body: `{"status": "completed"}`, invalid: true}), 422)
		mustStatus(t, e.do("PATCH", "/api/v1/projects/it-hotline", req{as: "admin", body: `{"Status": "completed"}`, invalid: true}), 400)
		mustStatus(t, e.do(http.MethodPost, "/api/v1/tokens", req{as: "admin", body: `{"name": "x", "Roles": ["reader"]}`, invalid: true}), 400)
	})
}
