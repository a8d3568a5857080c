package httpapi_test

import (
	"slices"
	"strings"
	"testing"
)

// Partners that are territorial units are checked against the register, can be
// created from their key alone, and show the register's population and area.
func TestPartnerRegister(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		// The seed's partners carry their real population at the register's date.
		ms := e.get("/api/v1/partners/stadt-muenster", "").Obj(t)
		pop, _ := ms["population"].(map[string]any)
		reg, _ := ms["region"].(map[string]any)
		if pop["count"] != float64(315_293) || pop["as_of"] != "2019-12-31" || ms["area_km2"] != 303.28 ||
			reg["key"] != "055150000000" || reg["href"] != "/api/v1/regions/055150000000" || ms["region_status"] != "current" {
			t.Errorf("Stadt Münster: population %v, region %v, area %v, status %v", pop, reg, ms["area_km2"], ms["region_status"])
		}
		// The LWL serves Westfalen-Lippe: three government regions.
		lwl := e.get("/api/v1/partners/lwl", "").Obj(t)
		serves, _ := lwl["serves"].([]any)
		pop, _ = lwl["population"].(map[string]any)
		if len(serves) != 3 || serves[0] != "055000000000" || pop == nil || pop["count"].(float64) < 8_000_000 || lwl["region"] != nil {
			t.Errorf("LWL: serves %v, population %v", serves, pop)
		}

		// A valid-shaped key the register does not know is 422 unknown, naming the
		// nearest keys; nothing is written.
		r := e.do("POST", "/api/v1/partners", req{as: "editor", body: map[string]any{
			"slug": "gibt-es-nicht", "name": "Gibt es nicht", "type": "municipality", "ags": "05515001"}})
		mustStatus(t, r, 422)
		if got := fieldErrors(t, r); !slices.Equal(got, []string{"ags:unknown"}) || !strings.Contains(string(r.Body), "05515000 Münster, Stadt") {
			t.Errorf("unknown AGS: %v %s", got, r.Body)
		}
		r = e.do("POST", "/api/v1/partners", req{as: "editor", body: map[string]any{
			"slug": "kreis-x", "name": "Kreis X", "type": "district", "ars": "055990000000"}})
		mustStatus(t, r, 422)
		if got := fieldErrors(t, r); !slices.Equal(got, []string{"ars:unknown"}) {
			t.Errorf("unknown ARS: %v", got)
		}
		// State and key must agree; ARS and AGS must name the same unit; a district's
		// key as a municipality is unknown at that level.
		for _, c := range []struct {
			body map[string]any
			want string
		}{
			{map[string]any{"slug": "x1", "name": "X", "type": "district", "ars": "055700000000", "state": "DE-BY"}, "state:mismatch"},
			{map[string]any{"slug": "x2", "name": "X", "type": "municipality", "ars": "055150000000", "ags": "05315000"}, "ars:mismatch"},
			{map[string]any{"slug": "x3", "name": "X", "type": "municipality", "ags": "05570000"}, "ags:unknown"},
			{map[string]any{"slug": "x4", "name": "X", "type": "municipal_it_provider", "serves": []string{"055", "0599"}}, "serves[1]:unknown"},
			{map[string]any{"slug": "x5", "name": "X", "type": "municipal_it_provider", "serves": []string{"055", "055000000000"}}, "serves[1]:duplicate"},
			{map[string]any{"slug": "x6", "name": "X", "type": "municipality", "ags": "05515000", "serves": []string{"055"}}, "serves:not_allowed"},
		} {
			r := e.do("POST", "/api/v1/partners", req{as: "editor", body: c.body})
			mustStatus(t, r, 422)
			if got := fieldErrors(t, r); !slices.Contains(got, c.want) {
				t.Errorf("%v: %v, want %s", c.body, got, c.want)
			}
		}
		r = e.do("POST", "/api/v1/partners", req{as: "editor", invalid: true, body: map[string]any{
			"slug": "x7", "name": "X", "type": "municipal_it_provider", "serves": []string{"5a"}}})
		mustStatus(t, r, 422)
		if n := len(slugs(t, e.get("/api/v1/partners?limit=500", ""))); n != 6 {
			t.Errorf("%d partners after refused writes, want the seed's 6", n)
		}

		// Created from an ARS alone: name, type, slug, state and AGS from the register.
		r = e.do("POST", "/api/v1/partners", req{as: "editor", body: map[string]any{"ars": "055700000000"}})
		mustStatus(t, r, 201)
		p := r.Obj(t)
		if p["slug"] != "kreis-warendorf" || p["name"] != "Kreis Warendorf" || p["type"] != "district" || p["state"] != "DE-NW" ||
			p["ags"] != "05570000" || p["ars"] != "055700000000" || p["population"].(map[string]any)["count"] != float64(277_840) {
			t.Errorf("from ARS: %v", p)
		}
		// … and overridable: a name and slug of one's own, the municipality of a
		// kreisfreie Stadt's key as the district.
		r = e.do("POST", "/api/v1/partners", req{as: "editor", body: map[string]any{"ars": "053150000000", "type": "district",
			"name": "Stadt Köln (Kreisebene)", "slug": "koeln-kreis"}})
		mustStatus(t, r, 201)
		p = r.Obj(t)
		if p["slug"] != "koeln-kreis" || p["name"] != "Stadt Köln (Kreisebene)" || p["ags"] != "05315000" ||
			p["region"].(map[string]any)["key"] != "05315" {
			t.Errorf("overridden: %v", p)
		}
		r = e.do("POST", "/api/v1/partners", req{as: "editor", body: map[string]any{"ars": "091710133133"}})
		mustStatus(t, r, 201)
		if p := r.Obj(t); p["name"] != "Markt Tüßling" || p["slug"] != "markt-tuessling" || p["type"] != "municipality" || p["state"] != "DE-BY" {
			t.Errorf("Tüßling: %v", p)
		}
		// A provider serving a district and one of its municipalities counts the
		// district once.
		r = e.do("POST", "/api/v1/partners", req{as: "editor", body: map[string]any{"slug": "kdvz", "name": "KDVZ",
			"type": "municipal_it_provider", "serves": []string{"05570", "055700004004"}}})
		mustStatus(t, r, 201)
		if p := r.Obj(t); p["population"].(map[string]any)["count"] != float64(277_840) || len(p["serves"].([]any)) != 2 {
			t.Errorf("provider serving Kreis Warendorf and Ahlen: %v", p)
		}
		// A territorial partner without a key is listed as missing one.
		e.mustCreate(t, "/api/v1/partners", "editor", map[string]any{"slug": "ohne-schluessel", "name": "Gemeinde ohne Schlüssel", "type": "municipality"})
		if got := slugs(t, e.get("/api/v1/partners?region_status=missing", "")); !slices.Equal(got, []string{"ohne-schluessel"}) {
			t.Errorf("region_status=missing: %v", got)
		}
		mustStatus(t, e.getInvalid("/api/v1/partners?region_status=kaputt", ""), 400)
	})
}
