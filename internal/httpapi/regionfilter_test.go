package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// regionWorld adds partners with regional keys beside the seed (where only the Stadt
// Münster has an ARS, and its citeq and Stadtarchiv none): the Kreis Steinfurt, its
// IT provider without keys, Ochtrup with keys of its own, Bielefeld in another
// Regierungsbezirk, a deleted municipality, and a project with the provider and
// Bielefeld.
func (e *apiEnv) regionWorld(t *testing.T) {
	t.Helper()
	ctx := coop.WithActor(context.Background(), coop.System)
	for _, d := range []coop.PartnerDraft{
		{Slug: "kreis-steinfurt", Name: "Kreis Steinfurt", Type: "district", State: "DE-NW", AGS: "05566000", ARS: "055660000000"},
		{Slug: "kommit-steinfurt", Name: "KommIT Steinfurt", Type: "municipal_it_provider", Parent: "kreis-steinfurt"},
		{Slug: "ochtrup", Name: "Stadt Ochtrup", Type: "municipality", Parent: "kreis-steinfurt", State: "DE-NW", AGS: "05566068", ARS: "055660068068"},
		{Slug: "bielefeld", Name: "Stadt Bielefeld", Type: "municipality", State: "DE-NW", AGS: "05711000", ARS: "057110000000"},
		{Slug: "alt-gemeinde", Name: "Alte Gemeinde", Type: "municipal_enterprise", State: "DE-NW", AGS: "05566999", ARS: "055669999999"},
	} {
		if _, err := e.db.CreatePartner(ctx, d); err != nil {
			t.Fatalf("partner %s: %v", d.Slug, err)
		}
	}
	if err := e.db.DeletePartner(ctx, "alt-gemeinde", 0); err != nil {
		t.Fatal(err)
	}
	e.mustProjects(t, "region", projectSpec{slug: "regio", category: "network", budget: strp("10"),
		parts: [][2]string{{"kommit-steinfurt", "provider"}, {"bielefeld", "consumer"}}})
}

// seedProjectSlugs are the seed's projects, sorted: all with a participant in Münster.
const seedProjectSlugs = "behoerdennetz-zugang dips-kommunal it-hotline it-sicherheit organisationsmanagement-software rechenzentren"

func TestRegionFilters(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		e.regionWorld(t)
		for _, tc := range []struct{ path, want string }{
			// partners by their own key, or without one by their parent's
			{"/api/v1/partners?ars=05515", "citeq stadt-muenster stadtarchiv-muenster"},
			{"/api/v1/partners?ars=055150000000", "citeq stadt-muenster stadtarchiv-muenster"},
			{"/api/v1/partners?ars=05566", "kommit-steinfurt kreis-steinfurt ochtrup"},
			{"/api/v1/partners?ars=055660000000", "kommit-steinfurt kreis-steinfurt"},
			{"/api/v1/partners?ars=055", "citeq kommit-steinfurt kreis-steinfurt ochtrup stadt-muenster stadtarchiv-muenster"},
			{"/api/v1/partners?ars=05515,057", "bielefeld citeq stadt-muenster stadtarchiv-muenster"},
			{"/api/v1/partners?ars=0", "bielefeld citeq kommit-steinfurt kreis-steinfurt ochtrup stadt-muenster stadtarchiv-muenster"},
			{"/api/v1/partners?ars=059", ""},
			{"/api/v1/partners?ags=05315000", "stadt-koeln"},
			{"/api/v1/partners?ags=05566068", "ochtrup"},
			{"/api/v1/partners?ags=05566", "kommit-steinfurt kreis-steinfurt ochtrup"},
			{"/api/v1/partners?ars=05&ags=05566000", "kommit-steinfurt kreis-steinfurt"},
			{"/api/v1/partners?ars=055&type=municipality", "ochtrup stadt-muenster"},
			// projects by a participant located there, tied to the roles given
			{"/api/v1/projects?partner_ars=055", "behoerdennetz-zugang dips-kommunal it-hotline it-sicherheit organisationsmanagement-software rechenzentren regio"},
			{"/api/v1/projects?partner_ars=05515", seedProjectSlugs},
			{"/api/v1/projects?partner_ars=057", "regio"},
			{"/api/v1/projects?partner_ars=05566&role=provider", "regio"},
			{"/api/v1/projects?partner_ars=05566&role=consumer", ""},
			{"/api/v1/projects?partner_ars=05515&role=consumer", "dips-kommunal it-hotline"},
			// role holds for both: lwl provides DiPS.kommunal, the Stadtarchiv uses it
			{"/api/v1/projects?partner_ars=05515&partner=lwl&role=provider", ""},
			{"/api/v1/projects?partner_ars=05515&partner=lwl&role=provider,consumer", "behoerdennetz-zugang dips-kommunal"},
			{"/api/v1/projects?partner_ars=05515&partner=lwl-it", "it-hotline it-sicherheit organisationsmanagement-software rechenzentren"},
			{"/api/v1/projects?partner_ars=053", ""},
			{"/api/v1/partners/lwl-it/projects?partner_ars=05515&role=partner", "it-sicherheit organisationsmanagement-software rechenzentren"},
			{"/api/v1/solutions/dips-kommunal/projects?partner_ars=05515", "dips-kommunal"},
			{"/api/v1/cooperations/it-kooperation-muenster-lwl/projects?partner_ars=057", "regio"},
			// cooperations by a member located there
			{"/api/v1/cooperations?partner_ars=055", "it-kooperation-muenster-lwl"},
			{"/api/v1/cooperations?partner_ars=057", ""},
			{"/api/v1/cooperations?partner_ars=05515&status=active", "it-kooperation-muenster-lwl"},
		} {
			// pages of two, so that keyset paging runs under the filter
			if got := strings.Join(sorted(e.allSlugs(t, tc.path+"&limit=2", "")), " "); got != tc.want {
				t.Errorf("%s:\n got %s\nwant %s", tc.path, got, tc.want)
			}
		}
		// the statistics, the timeline and the exports take the filter too
		if b := e.stats(t, "partner_ars=057&group_by=category", "controlling"); lines(b) != "network|Netze|1|10.00|null|null" {
			t.Errorf("stats: %s", lines(b))
		}
		r := e.get("/api/v1/stats/timeline?partner_ars=055&interval=year", "")
		mustStatus(t, r, 200)
		r = e.get("/api/v1/exports/projects?partner_ars=057&format=csv", "")
		mustStatus(t, r, 200)
		if body := string(r.Body); !strings.Contains(body, "regio") || strings.Contains(body, "dips-kommunal") {
			t.Errorf("export: %s", body)
		}
		r = e.get("/api/v1/exports/partners?ars=05566&format=csv", "")
		mustStatus(t, r, 200)
		if body := string(r.Body); !strings.Contains(body, "KommIT Steinfurt") || strings.Contains(body, "Bielefeld") {
			t.Errorf("partner export: %s", body)
		}
		// digits only, ARS at most 12, AGS at most 8, at most 20 values: 400
		for _, bad := range []string{
			"/api/v1/partners?ars=05x", "/api/v1/partners?ars=0551500000001", "/api/v1/partners?ags=055150001",
			"/api/v1/partners?ars=%EF%BC%90%EF%BC%95", "/api/v1/partners?ars=05%20515", "/api/v1/partners?ags=-1",
			"/api/v1/projects?partner_ars=055%25", "/api/v1/projects?partner_ars=_55", "/api/v1/cooperations?partner_ars=0551500000000",
			"/api/v1/stats/projects?partner_ars=x", "/api/v1/projects?partner_ars=" + strings.Repeat("05,", 21) + "05",
		} {
			r := e.getInvalid(bad, "")
			mustStatus(t, r, 400)
			if strings.Contains(string(r.Body), "%") || strings.Contains(string(r.Body), "_55") {
				t.Errorf("%s: the value comes back: %s", bad, r.Body)
			}
		}
		mustStatus(t, e.get("/api/v1/projects?partner_ars="+strings.Repeat("05,", 19)+"05", ""), 200)
	})
}

// TestProjectFilterParamsAgree: every operation that takes the project filters
// documents the same ones alike in api/openapi.json (the swag blocks repeat them), and
// so do the partner and the cooperation filters.
func TestProjectFilterParamsAgree(t *testing.T) {
	raw, err := os.ReadFile("../../api/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string            `json:"operationId"`
			Parameters  []json.RawMessage `json:"parameters"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	params := map[string]map[string]map[string]any{} // operation → name → schema and style
	for _, ops := range doc.Paths {
		for _, op := range ops {
			m := map[string]map[string]any{}
			for _, p := range op.Parameters {
				var x map[string]any
				if err := json.Unmarshal(p, &x); err != nil {
					t.Fatal(err)
				}
				if x["in"] == "query" {
					m[x["name"].(string)] = map[string]any{"schema": x["schema"], "style": x["style"], "explode": x["explode"], "required": x["required"]}
				}
			}
			params[op.OperationID] = m
		}
	}
	// the filters each group shares (descriptions and examples may say more where a
	// sub-resource fixes one)
	groups := []struct {
		ops     []string
		filters []string
	}{
		{[]string{"listProjects", "listPartnerProjects", "listCooperationProjects", "listSolutionProjects", "exportProjects",
			"projectStats", "statsTimeline", "leadTimes"},
			[]string{"status", "category", "cooperation", "solution", "partner", "partner_ars", "role", "tag", "started_from", "started_to",
				"q", "updated_since", "as_of"}},
		{[]string{"listPartners", "exportPartners"}, []string{"type", "state", "parent", "ars", "ags", "q", "updated_since"}},
		{[]string{"listCooperations", "exportCooperations"}, []string{"status", "legal_form", "partner", "partner_ars", "q", "updated_since"}},
	}
	fixed := map[string]string{"listPartnerProjects": "partner", "listCooperationProjects": "cooperation", "listSolutionProjects": "solution"}
	for _, g := range groups {
		first := g.ops[0]
		for _, op := range g.ops {
			if params[op] == nil {
				t.Errorf("%s: no such operation", op)
				continue
			}
			for _, name := range g.filters {
				if fixed[op] == name {
					if _, ok := params[op][name]; ok {
						t.Errorf("%s documents %s, which its path fixes", op, name)
					}
					continue
				}
				got, want := params[op][name], params[first][name]
				if got == nil {
					t.Errorf("%s: filter %s not documented", op, name)
					continue
				}
				// enums and bounds alike; a sub-resource's own wording aside
				if a, b := fmt.Sprint(got), fmt.Sprint(want); a != b && !(name == "status" && op == "statsTimeline") {
					t.Errorf("%s %s:\n %s\nwant (as %s) %s", op, name, a, first, b)
				}
			}
		}
	}
}
