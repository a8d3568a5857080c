package httpapi_test

import (
	"slices"
	"strings"
	"testing"
)

// coopBody is a valid new cooperation between Stadt Münster and citeq; extra
// overrides fields (nil deletes one).
func coopBody(slug string, extra map[string]any) map[string]any {
	m := map[string]any{
		"slug": slug, "title": "Kooperation " + slug, "legal_form": "public_law_agreement",
		"members": []any{
			map[string]any{"partner": "stadt-muenster", "role": "party"},
			map[string]any{"partner": "citeq", "role": "implementer"},
		},
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

// membersOf returns a cooperation's members as "slug role" strings.
func membersOf(c map[string]any) []string {
	var out []string
	list, _ := c["members"].([]any)
	for _, x := range list {
		m := x.(map[string]any)
		out = append(out, m["partner"].(map[string]any)["slug"].(string)+" "+m["role"].(string))
	}
	return out
}

func TestCooperationReads(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		r := e.get("/api/v1/cooperations/it-kooperation-muenster-lwl", "")
		mustStatus(t, r, 200)
		c := r.Obj(t)
		if c["status"] != "active" || c["started_on"] != "2016-11" || c["legal_form"] != "letter_of_intent" || c["title"] != "IT-Kooperation Stadt Münster – LWL" {
			t.Errorf("seeded cooperation = %v", c)
		}
		want := []string{"stadt-muenster party", "lwl party", "citeq implementer", "lwl-it implementer"}
		if got := membersOf(c); !slices.Equal(sorted(got), sorted(want)) {
			t.Errorf("members = %v, want %v", got, want)
		}
		if !slices.Contains(toStrings(c["legal_basis"]), "EGovG NRW") {
			t.Errorf("legal_basis = %v", c["legal_basis"])
		}
		mustStatus(t, e.do("GET", "/api/v1/cooperations/it-kooperation-muenster-lwl", req{headers: map[string]string{"If-None-Match": r.Header.Get("ETag")}}), 304)
		mustStatus(t, e.get("/api/v1/cooperations/"+c["id"].(string), ""), 200)
		mustStatus(t, e.get("/api/v1/cooperations/gibt-es-nicht", ""), 404)

		h := e.get("/api/v1/cooperations/it-kooperation-muenster-lwl/history", "")
		mustStatus(t, h, 200)
		items := h.Obj(t)["items"].([]any)
		if len(items) == 0 || items[len(items)-1].(map[string]any)["to"] != "active" {
			t.Errorf("history = %v", items)
		}
		if got := e.allSlugs(t, "/api/v1/cooperations/it-kooperation-muenster-lwl/projects?limit=2", ""); len(got) != 6 {
			t.Errorf("projects of the cooperation = %v", got)
		}
	})
}

func TestCooperationFilters(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		e.mustCreate(t, "/api/v1/cooperations", "editor", coopBody("zweckverband-it", map[string]any{
			"title": "Zweckverband IT Münsterland", "legal_form": "special_purpose_association", "started_on": "2019",
			"members": []any{
				map[string]any{"partner": "stadt-koeln", "role": "party"},
				map[string]any{"partner": "lwl", "role": "observer"},
			}}))
		e.mustCreate(t, "/api/v1/cooperations", "editor", coopBody("alte-kooperation", map[string]any{
			"status": "ended", "status_effective_on": "2015", "started_on": "2010", "ended_on": "2015"}))
		cases := []struct {
			query string
			want  []string
		}{
			{"", []string{"alte-kooperation", "it-kooperation-muenster-lwl", "zweckverband-it"}},
			{"status=active", []string{"it-kooperation-muenster-lwl"}},
			{"status=planned,ended", []string{"alte-kooperation", "zweckverband-it"}},
			{"legal_form=letter_of_intent,special_purpose_association", []string{"it-kooperation-muenster-lwl", "zweckverband-it"}},
			{"partner=lwl", []string{"it-kooperation-muenster-lwl", "zweckverband-it"}},
			{"partner=stadt-koeln", []string{"zweckverband-it"}},
			{"partner=citeq&status=ended", []string{"alte-kooperation"}},
			{"q=Zweckverband", []string{"zweckverband-it"}},
		}
		for _, c := range cases {
			r := e.get("/api/v1/cooperations?"+c.query, "")
			mustStatus(t, r, 200)
			if got := sorted(slugs(t, r)); !slices.Equal(got, c.want) {
				t.Errorf("?%s = %v, want %v", c.query, got, c.want)
			}
		}
		if got := e.allSlugs(t, "/api/v1/cooperations?limit=1&sort=-started_on", ""); !slices.Equal(got, []string{"zweckverband-it", "it-kooperation-muenster-lwl", "alte-kooperation"}) {
			t.Errorf("sort=-started_on = %v", got)
		}
		for _, bad := range []string{"status=operational", "legal_form=ehe", "sort=category", "limit=1000", "q=", "updated_since=heute", "cursor=!", "colour=red"} {
			mustStatus(t, e.getInvalid("/api/v1/cooperations?"+bad, ""), 400)
		}
	})
}

func TestCooperationWrites(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		body := coopBody("kdn-kooperation", map[string]any{
			"description": "Gemeinsamer Betrieb", "started_on": "2020-01-15", "legal_basis": []string{"GkG NRW"},
			"notice_period_months": 12, "vat_treatment": "not_taxable_2b", "procurement_exempt": true,
			"sources": []any{map[string]any{"title": "Vertrag", "published_on": "2020"}},
		})
		mustStatus(t, e.do("POST", "/api/v1/cooperations", req{body: body}), 401)
		mustStatus(t, e.do("POST", "/api/v1/cooperations", req{as: "reader", body: body}), 403)
		r := e.do("POST", "/api/v1/cooperations", req{as: "editor", body: body})
		mustStatus(t, r, 201)
		c := r.Obj(t)
		if r.Header.Get("Location") != "/api/v1/cooperations/"+c["id"].(string) || c["version"] != float64(1) || c["status"] != "planned" {
			t.Errorf("created: %s %v", r.Header.Get("Location"), c)
		}
		if c["notice_period_months"] != float64(12) || c["vat_treatment"] != "not_taxable_2b" || c["procurement_exempt"] != true {
			t.Errorf("agreement facts = %v", c)
		}
		if got := membersOf(c); !slices.Equal(got, []string{"stadt-muenster party", "citeq implementer"}) {
			t.Errorf("members = %v", got)
		}
		h := e.get("/api/v1/cooperations/kdn-kooperation/history", "").Obj(t)["items"].([]any)
		if len(h) != 1 || h[0].(map[string]any)["effective_on"] != "2020-01-15" || h[0].(map[string]any)["to"] != "planned" {
			t.Errorf("initial history = %v", h)
		}
		mustStatus(t, e.do("POST", "/api/v1/cooperations", req{as: "editor", body: body}), 409)

		// merge patch
		tag := r.Header.Get("ETag")
		p := e.do("PATCH", "/api/v1/cooperations/kdn-kooperation", req{as: "editor", ctype: "application/merge-patch+json",
			headers: map[string]string{"If-Match": tag},
			body: map[string]any{"notice_period_months": nil, "vat_treatment": "under_review", "members": []any{
				map[string]any{"partner": "stadt-muenster", "role": "party"},
				map[string]any{"partner": "lwl", "role": "party"},
				map[string]any{"partner": "citeq", "role": "implementer"},
			}}})
		mustStatus(t, p, 200)
		pc := p.Obj(t)
		if _, has := pc["notice_period_months"]; has || pc["vat_treatment"] != "under_review" || pc["version"] != float64(2) ||
			len(membersOf(pc)) != 3 || pc["procurement_exempt"] != true || pc["started_on"] != "2020-01-15" {
			t.Errorf("after patch = %v", pc)
		}
		mustStatus(t, e.do("PATCH", "/api/v1/cooperations/kdn-kooperation", req{as: "editor", headers: map[string]string{"If-Match": tag}, body: map[string]any{"title": "X"}}), 412)
		ro := e.do("PATCH", "/api/v1/cooperations/kdn-kooperation", req{invalid: true, as: "editor", body: map[string]any{"status": "active"}})
		mustStatus(t, ro, 422)
		if got := fieldErrors(t, ro); !slices.Equal(got, []string{"status:read_only"}) {
			t.Errorf("status patch = %v", got)
		}
		mustStatus(t, e.do("PATCH", "/api/v1/cooperations/kdn-kooperation", req{invalid: true, as: "editor", body: map[string]any{"status_effective_on": "2020"}}), 400)
		mustStatus(t, e.do("PATCH", "/api/v1/cooperations/kdn-kooperation", req{invalid: true, as: "editor", ctype: "text/plain", body: "{}"}), 415)

		// delete, sub-resources, restore
		mustStatus(t, e.do("DELETE", "/api/v1/cooperations/kdn-kooperation", req{as: "editor"}), 204)
		mustStatus(t, e.get("/api/v1/cooperations/kdn-kooperation", ""), 404)
		mustStatus(t, e.get("/api/v1/cooperations/kdn-kooperation/projects", ""), 404)
		mustStatus(t, e.get("/api/v1/cooperations/kdn-kooperation/history", ""), 404)
		if slices.Contains(slugs(t, e.get("/api/v1/cooperations", "")), "kdn-kooperation") {
			t.Error("deleted cooperation listed")
		}
		mustStatus(t, e.do("POST", "/api/v1/projects", req{as: "editor", body: projectBody("p", map[string]any{"cooperation": "kdn-kooperation"})}), 422)
		mustStatus(t, e.do("POST", "/api/v1/cooperations/kdn-kooperation/restore", req{as: "editor"}), 403)
		mustStatus(t, e.do("POST", "/api/v1/cooperations/kdn-kooperation/restore", req{as: "admin"}), 200)

		// a cooperation with a live project cannot be deleted
		e.mustCreate(t, "/api/v1/projects", "editor", projectBody("im-kdn", map[string]any{"cooperation": "kdn-kooperation"}))
		blocked := e.do("DELETE", "/api/v1/cooperations/kdn-kooperation", req{as: "admin"})
		mustStatus(t, blocked, 409)
		if !strings.Contains(string(blocked.Body), "im-kdn") {
			t.Errorf("409 does not name the project: %s", blocked.Body)
		}
		if got := slugs(t, e.get("/api/v1/cooperations/kdn-kooperation/projects", "")); !slices.Equal(got, []string{"im-kdn"}) {
			t.Errorf("projects of kdn-kooperation = %v", got)
		}
		mustStatus(t, e.do("DELETE", "/api/v1/projects/im-kdn", req{as: "admin"}), 204)
		mustStatus(t, e.do("DELETE", "/api/v1/cooperations/kdn-kooperation", req{as: "admin"}), 204)
		// restoring a project whose cooperation is deleted is 409
		mustStatus(t, e.do("POST", "/api/v1/projects/im-kdn/restore", req{as: "admin"}), 409)
	})
}

func TestCooperationValidation(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		m := func(partner, role string) map[string]any { return map[string]any{"partner": partner, "role": role} }
		cases := []struct {
			name string
			body map[string]any
			want []string
		}{
			{"required", map[string]any{}, []string{"slug:required", "title:required", "legal_form:required", "members:min_items"}},
			{"one member", coopBody("x", map[string]any{"members": []any{m("citeq", "party")}}), []string{"members:min_items"}},
			{"member reference", coopBody("x", map[string]any{"members": []any{m("citeq", "party"), m("gibt-es-nicht", "party")}}), []string{"members[1].partner:reference"}},
			{"duplicate member", coopBody("x", map[string]any{"members": []any{m("citeq", "party"), m("lwl", "party"), m("citeq", "party")}}), []string{"members[2]:duplicate"}},
			{"member role", coopBody("x", map[string]any{"members": []any{m("citeq", "chef"), m("lwl", "party")}}), []string{"members[0].role:enum"}},
			{"legal form", coopBody("x", map[string]any{"legal_form": "ehe"}), []string{"legal_form:enum"}},
			{"vat", coopBody("x", map[string]any{"vat_treatment": "frei"}), []string{"vat_treatment:enum"}},
			{"notice period", coopBody("x", map[string]any{"notice_period_months": 500}), []string{"notice_period_months:range"}},
			{"dates", coopBody("x", map[string]any{"started_on": "2016-11", "ended_on": "2016-10"}), []string{"ended_on:before_start"}},
			{"bad date", coopBody("x", map[string]any{"started_on": "2024-13-45"}), []string{"started_on:date"}},
			{"status", coopBody("x", map[string]any{"status": "operational"}), []string{"status:enum"}},
			{"status date", coopBody("x", map[string]any{"status": "active", "status_effective_on": "2016-02-30"}), []string{"status_effective_on:date"}},
			{"bool type", coopBody("x", map[string]any{"procurement_exempt": "ja"}), []string{"procurement_exempt:type"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := e.do("POST", "/api/v1/cooperations", req{invalid: true, as: "admin", body: c.body})
				mustStatus(t, r, 422)
				if got := fieldErrors(t, r); !slices.Equal(sorted(got), sorted(c.want)) {
					t.Errorf("errors = %v, want %v", got, c.want)
				}
			})
		}
		mustStatus(t, e.get("/api/v1/cooperations/x", ""), 404)
		r := e.do("PATCH", "/api/v1/cooperations/it-kooperation-muenster-lwl", req{invalid: true, as: "admin", body: map[string]any{"members": []any{m("lwl", "party")}}})
		mustStatus(t, r, 422)
		if got := fieldErrors(t, r); !slices.Equal(got, []string{"members:min_items"}) {
			t.Errorf("patch errors = %v", got)
		}
	})
}
