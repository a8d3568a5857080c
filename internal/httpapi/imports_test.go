package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// importReport is the report as a client reads it.
type importReport struct {
	ID, Status, Resource, Mode          string
	DryRun                              bool `json:"dry_run"`
	RowsTotal                           int  `json:"rows_total"`
	RowsDone                            int  `json:"rows_done"`
	Created, Updated, Unchanged, Failed int
	Errors                              []struct {
		Row                          int
		Column, Field, Code, Message string
	}
	Results []struct {
		Row          int
		Slug, Action string
		Fields       []string
	}
}

// cells are the report's errors as "row/column/code".
func (r importReport) cells() []string {
	var out []string
	for _, e := range r.Errors {
		out = append(out, fmt.Sprintf("%d/%s/%s", e.Row, e.Column, e.Code))
	}
	return out
}

const csvType = "text/csv; charset=utf-8"

// importFile posts a file and decodes the report of a 200.
func (e *apiEnv) importFile(as, query, ctype string, body []byte) importReport {
	e.t.Helper()
	r := e.do(http.MethodPost, "/api/v1/imports?"+query, req{as: as, ctype: ctype, body: body})
	mustStatus(e.t, r, http.StatusOK)
	var rep importReport
	if err := json.Unmarshal(r.Body, &rep); err != nil {
		e.t.Fatalf("report: %v: %s", err, r.Body)
	}
	return rep
}

// latestChange is the newest change-log id.
func (e *apiEnv) latestChange() int64 {
	e.t.Helper()
	id, err := e.db.LatestChangeID(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return id
}

func csvFile(lines ...string) []byte { return []byte(strings.Join(lines, "\r\n") + "\r\n") }

func TestImportDryRunReportsEveryBadCell(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		before := e.latestChange()
		file := csvFile(
			"Slug;Titel;Status;Kategorie;Kooperation;Beteiligte;Beginn;Ende;Budget geplant",
			";Ohne Slug;Geplant;Sonstiges;IT-Kooperation Stadt Münster – LWL;citeq (Partner);;;",                         // 2 slug missing
			"Kein Slug;Falscher Slug;Geplant;Sonstiges;IT-Kooperation Stadt Münster – LWL;citeq (Partner);;;",            // 3 slug pattern
			"ohne-titel;;Geplant;Sonstiges;IT-Kooperation Stadt Münster – LWL;citeq (Partner);;;",                        // 4 title missing
			"status-x;Status;Erfunden;Sonstiges;IT-Kooperation Stadt Münster – LWL;citeq (Partner);;;",                   // 5 status enum
			"kategorie-x;Kategorie;Geplant;Quatsch;IT-Kooperation Stadt Münster – LWL;citeq (Partner);;;",                // 6 category enum
			"kooperation-x;Kooperation;Geplant;Sonstiges;Gibt es nicht;citeq (Partner);;;",                               // 7 cooperation unknown
			"partner-x;Partner;Geplant;Sonstiges;IT-Kooperation Stadt Münster – LWL;Niemand (Partner);;;",                // 8 partner unknown
			"rolle-x;Rolle;Geplant;Sonstiges;IT-Kooperation Stadt Münster – LWL;citeq (Chef);;;",                         // 9 role enum
			"datum-x;Datum;Geplant;Sonstiges;IT-Kooperation Stadt Münster – LWL;citeq (Partner);32.13.2016;;",            // 10 date
			"ende-x;Ende;Geplant;Sonstiges;IT-Kooperation Stadt Münster – LWL;citeq (Partner);2018;2017;",                // 11 end before start
			"geld-x;Geld;Geplant;Sonstiges;IT-Kooperation Stadt Münster – LWL;citeq (Partner);;;viel",                    // 12 money
			"text-x;Steuer\u202ezeichen;Geplant;Sonstiges;IT-Kooperation Stadt Münster – LWL;citeq (Partner);;;",         // 13 bidi override
			"gut;Eine gute Zeile;Geplant;Sonstiges;IT-Kooperation Stadt Münster – LWL;citeq (Partner);2019-03;;1.234,50", // 14 fine
		)
		rep := e.importFile("admin", "resource=projects&dry_run=true", csvType, file)
		if rep.Status != "failed" || !rep.DryRun || rep.RowsTotal != 13 || rep.RowsDone != 13 || rep.Failed != 12 || rep.Created != 1 {
			t.Fatalf("report: %+v", rep)
		}
		got := rep.cells()
		t.Logf("%q", got)
		for _, want := range []string{"2/Slug/required", "3/Slug/pattern", "4/Titel/required", "5/Status/enum",
			"6/Kategorie/enum", "7/Kooperation/reference", "8/Beteiligte/reference", "9/Beteiligte/enum", "10/Beginn/date",
			"11/Ende/before_start", "12/Budget geplant/money", "13/Titel/bidi"} {
			if !slices.Contains(got, want) {
				t.Errorf("no error %s in %q", want, got)
			}
		}
		for _, er := range rep.Errors {
			if er.Message == "" || er.Field == "" {
				t.Errorf("error without field or message: %+v", er)
			}
		}
		if e.latestChange() != before {
			t.Fatal("a dry run wrote changes")
		}
		mustStatus(t, e.get("/api/v1/projects/gut", "admin"), 404)
	})
}

func TestImportUpsertAllOrNoneAndIdempotent(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		// partners: a new one, and one whose parent is the row before (by name)
		partners := csvFile(
			"Slug,Name,Typ,Gehört zu,Bundesland",
			"kreis-warendorf,Kreis Warendorf,Kreis,,Nordrhein-Westfalen",
			"kreisarchiv-warendorf,Kreisarchiv Warendorf,Amt/Einrichtung,Kreis Warendorf,Nordrhein-Westfalen",
		)
		rep := e.importFile("admin", "resource=partners", csvType, partners)
		if rep.Status != "succeeded" || rep.Created != 2 || rep.Failed != 0 {
			t.Fatalf("partners: %+v", rep)
		}
		p := e.get("/api/v1/partners/kreisarchiv-warendorf", "admin").Obj(t)
		if parent, _ := p["parent"].(map[string]any); parent == nil || parent["slug"] != "kreis-warendorf" {
			t.Fatalf("parent: %v", p["parent"])
		}
		// the same file again: nothing changes, nothing is logged
		mark := e.latestChange()
		rep = e.importFile("admin", "resource=partners", csvType, partners)
		if rep.Status != "succeeded" || rep.Unchanged != 2 || rep.Created+rep.Updated != 0 || e.latestChange() != mark {
			t.Fatalf("re-import: %+v", rep)
		}

		// projects: merge one column into a seed project (its other fields stay), create one
		// naming the new partner by slug:role
		projects := csvFile(
			"Slug;Beginn",
			"it-hotline;2017-03",
		)
		rep = e.importFile("editor", "resource=projects", csvType, projects)
		if rep.Updated != 1 || len(rep.Results) != 1 || !slices.Equal(rep.Results[0].Fields, []string{"started_on"}) {
			t.Fatalf("merge: %+v", rep)
		}
		hot := e.get("/api/v1/projects/it-hotline", "admin").Obj(t)
		if hot["started_on"] != "2017-03" || hot["title"] != "IT-Hotline (Mitnutzung durch citeq)" || hot["version"] != 2.0 {
			t.Fatalf("merged project: %v", hot)
		}
		mark = e.latestChange()
		// all or none: the second row fails, so the first is not written either
		bad := csvFile(
			"Slug;Titel;Kategorie;Kooperation;Beteiligte",
			"archiv-warendorf;Archiv Warendorf;Archivierung;it-kooperation-muenster-lwl;\"kreisarchiv-warendorf:consumer; lwl:provider\"",
			"it-hotline;;service_desk;it-kooperation-muenster-lwl;\"citeq:consumer; lwl-it:provider\"",
		)
		rep = e.importFile("admin", "resource=projects", csvType, bad)
		if rep.Status != "failed" || rep.Failed != 1 || !slices.Equal(rep.cells(), []string{"3/Titel/required"}) {
			t.Fatalf("all or none: %+v", rep)
		}
		mustStatus(t, e.get("/api/v1/projects/archiv-warendorf", "admin"), 404)
		if e.latestChange() != mark {
			t.Fatal("a failed import wrote changes")
		}
		good := bytes.Replace(bad, []byte("it-hotline;;"), []byte("it-hotline;IT-Hotline (Mitnutzung durch citeq);"), 1)
		rep = e.importFile("admin", "resource=projects", csvType, good)
		if rep.Status != "succeeded" || rep.Created != 1 || rep.Updated != 0 || rep.Unchanged != 1 {
			t.Fatalf("import: %+v", rep)
		}
		arch := e.get("/api/v1/projects/archiv-warendorf", "admin").Obj(t)
		if arch["category"] != "archiving" || len(arch["participants"].([]any)) != 2 {
			t.Fatalf("created project: %v", arch)
		}
		// every change names the importing token and the import
		var feed struct {
			Items []struct {
				Actor    struct{ Name string }
				ImportID string `json:"import_id"`
			}
		}
		if err := json.Unmarshal(e.get(fmt.Sprintf("/api/v1/changes?after=%d", mark), "admin").Body, &feed); err != nil {
			t.Fatal(err)
		}
		if len(feed.Items) != 1 || feed.Items[0].Actor.Name != "test-admin" || feed.Items[0].ImportID != rep.ID {
			t.Fatalf("change log: %+v (import %s)", feed.Items, rep.ID)
		}
	})
}
