package httpapi_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/imports"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
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

// TestImportXLSXRoundTrip: the XLSX export imported again changes nothing; one cell
// changed in Excel's place (excelize) is exactly that change.
func TestImportXLSXRoundTrip(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		// money, so that the amounts per inhabitant are in the export too
		mustStatus(t, e.do("PATCH", "/api/v1/projects/it-hotline", req{as: "admin",
			body: map[string]any{"finance": map[string]any{"cost_actual": "315293.00", "budget_planned": "1000.00"}}}), 200)
		for _, resource := range []string{"projects", "partners", "cooperations"} {
			for _, format := range []string{"xlsx", "csv", "csv&delimiter=comma"} {
				x := e.get("/api/v1/exports/"+resource+"?format="+format, "admin")
				mustStatus(t, x, http.StatusOK)
				ctype := xlsxType
				if format != "xlsx" {
					ctype = csvType
				}
				mark := e.latestChange()
				rep := e.importFile("admin", "resource="+resource, ctype, x.Body)
				if rep.Status != "succeeded" || rep.Unchanged != rep.RowsTotal || rep.RowsTotal == 0 || e.latestChange() != mark {
					t.Fatalf("%s as %s: re-import of the export: %+v", resource, format, rep)
				}
			}
		}
		// The computed columns are read past: a changed population or cost per
		// inhabitant changes nothing and is no error; the regions a partner serves are
		// its own data and are imported.
		x := e.get("/api/v1/exports/partners?format=csv&delimiter=comma", "admin")
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(x.Body, []byte("\uFEFF")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		col := map[string]int{}
		for i, h := range recs[0] {
			col[h] = i
		}
		for _, h := range []string{"Versorgte Gebiete", "Einwohner", "Einwohner Stand", "Fläche km²"} {
			if _, ok := col[h]; !ok {
				t.Fatalf("partner export without %q: %q", h, recs[0])
			}
		}
		var lwl []string
		for _, r := range recs[1:] {
			if r[col["Slug"]] == "lwl" {
				lwl = r
			}
		}
		if lwl == nil || lwl[col["Versorgte Gebiete"]] != "055000000000; 057000000000; 059000000000" ||
			lwl[col["Einwohner"]] != "8260917" || lwl[col["Einwohner Stand"]] != "2019-12-31" || lwl[col["Fläche km²"]] == "" {
			t.Fatalf("LWL in the partner export: %q", lwl)
		}
		lwl[col["Einwohner"]], lwl[col["Fläche km²"]] = "1", "2.50"
		lwl[col["Versorgte Gebiete"]] = "55000000000; 057000000000" // a leading zero lost, Arnsberg gone
		var edited bytes.Buffer
		w := csv.NewWriter(&edited)
		_ = w.WriteAll(recs)
		mark := e.latestChange()
		rep := e.importFile("admin", "resource=partners", csvType, edited.Bytes())
		if rep.Status != "succeeded" || rep.Updated != 1 || rep.Unchanged != rep.RowsTotal-1 || len(rep.Errors) != 0 ||
			!slices.Equal(rep.Results[0].Fields, []string{"serves"}) {
			t.Fatalf("edited partner export: %+v", rep)
		}
		if got := e.get("/api/v1/partners/lwl", "admin").Obj(t); fmt.Sprint(got["serves"]) != "[055000000000 057000000000]" {
			t.Errorf("LWL serves %v", got["serves"])
		}
		if e.latestChange() != mark+1 {
			t.Errorf("%d changes, want 1", e.latestChange()-mark)
		}
		px := e.get("/api/v1/exports/projects?format=csv&delimiter=comma", "admin")
		precs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(px.Body, []byte("\uFEFF")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range precs[1:] {
			if r[0] == "it-hotline" {
				if r[8] == "" || r[13] == "" {
					t.Fatalf("it-hotline without population served or cost per inhabitant: %q", r)
				}
				r[8], r[13] = "7", "99.99"
			}
		}
		edited.Reset()
		w = csv.NewWriter(&edited)
		_ = w.WriteAll(precs)
		mark = e.latestChange()
		rep = e.importFile("admin", "resource=projects", csvType, edited.Bytes())
		if rep.Status != "succeeded" || rep.Unchanged != rep.RowsTotal || len(rep.Errors) != 0 || e.latestChange() != mark {
			t.Fatalf("computed project columns changed: %+v", rep)
		}

		x = e.get("/api/v1/exports/projects?format=xlsx", "admin")
		f, err := excelize.OpenReader(bytes.NewReader(x.Body))
		if err != nil {
			t.Fatal(err)
		}
		sheet := f.GetSheetList()[0]
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		var cell string
		for i, r := range rows {
			if r[0] == "rechenzentren" {
				cell = fmt.Sprintf("K%d", i+1) // Kosten ist
			}
		}
		if rows[0][10] != "Kosten ist" || cell == "" {
			t.Fatalf("layout: %q", rows[0])
		}
		if err := f.SetCellFloat(sheet, cell, 98000.5, 2, 64); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		mark = e.latestChange()
		// money is written only by who may read it
		rep = e.importFile("editor", "resource=projects", xlsxType, buf.Bytes())
		if rep.Status != "failed" || rep.Failed != rep.RowsTotal || rep.Errors[0].Code != "forbidden" || e.latestChange() != mark {
			t.Fatalf("editor with money: %+v", rep)
		}
		rep = e.importFile("admin", "resource=projects", xlsxType, buf.Bytes())
		if rep.Status != "succeeded" || rep.Updated != 1 || rep.Unchanged != rep.RowsTotal-1 ||
			len(rep.Results) != 1 || rep.Results[0].Slug != "rechenzentren" || !slices.Equal(rep.Results[0].Fields, []string{"finance"}) {
			t.Fatalf("one cell: %+v", rep)
		}
		var feed struct {
			Items []struct {
				ResourceID string `json:"resource_id"`
				Changes    map[string]struct{ Old, New any }
			}
		}
		if err := json.Unmarshal(e.get(fmt.Sprintf("/api/v1/changes?after=%d", mark), "admin").Body, &feed); err != nil {
			t.Fatal(err)
		}
		if len(feed.Items) != 1 || len(feed.Items[0].Changes) != 1 {
			t.Fatalf("changes: %+v", feed.Items)
		}
		fin, _ := feed.Items[0].Changes["finance"].New.(map[string]any)
		if fin["cost_actual"] != "98000.50" {
			t.Fatalf("finance change: %+v", feed.Items[0].Changes)
		}
	})
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// TestImportJobSurvivesRestart: a file that runs as a job is stored; a process that
// took it and died left nothing written; the next process takes it again once the
// lease ran out and applies it whole. A job interrupted too often is failed.
func TestImportJobSurvivesRestart(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		e := mustAPI(t, db, httpapi.Options{PublicRead: true})
		file := csvFile(
			"Slug;Titel;Kategorie;Kooperation;Beteiligte",
			"job-vorhaben;Vorhaben aus dem Auftrag;Sonstiges;it-kooperation-muenster-lwl;citeq:partner",
		)
		r := e.do(http.MethodPost, "/api/v1/imports?resource=projects", req{as: "editor", ctype: csvType, body: file,
			headers: map[string]string{"Prefer": "respond-async"}})
		mustStatus(t, r, http.StatusAccepted)
		loc := r.Header.Get("Location")
		var queued importReport
		_ = json.Unmarshal(r.Body, &queued)
		if queued.Status != "queued" || loc != "/api/v1/imports/"+queued.ID {
			t.Fatalf("202: %s %s", loc, r.Body)
		}
		// another caller does not see it; an admin does
		mustStatus(t, e.get(loc, "editor-lwl"), 404)
		mustStatus(t, e.get(loc, "admin"), 200)
		// a worker takes it and dies at once: its lease runs out, nothing was written
		ctx := context.Background()
		if _, ok, err := db.ClaimImportJob(ctx, -time.Second); err != nil || !ok {
			t.Fatalf("claim: %v %v", ok, err)
		}
		var running importReport
		_ = json.Unmarshal(e.get(loc, "editor").Body, &running)
		if running.Status != "running" {
			t.Fatalf("running: %+v", running)
		}
		mustStatus(t, e.get("/api/v1/projects/job-vorhaben", "admin"), 404)
		// the next process (a new server on the same database) takes it again
		next := httpapi.New(db, httpapi.Options{PublicRead: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		wctx, cancel := context.WithCancel(ctx)
		stopped := make(chan struct{})
		go func() { next.RunImportJobs(wctx); close(stopped) }()
		defer func() { cancel(); <-stopped }()
		var done importReport
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			_ = json.Unmarshal(e.get(loc, "editor").Body, &done)
			if done.Status == "succeeded" || done.Status == "failed" {
				break
			}
		}
		if done.Status != "succeeded" || done.Created != 1 || done.RowsTotal != 1 || done.RowsDone != 1 {
			t.Fatalf("after the restart: %+v", done)
		}
		p := e.get("/api/v1/projects/job-vorhaben", "admin").Obj(t)
		if p["version"] != 1.0 {
			t.Fatalf("project: %v", p)
		}
		var feed struct {
			Items []struct {
				Actor    struct{ Name string }
				ImportID string `json:"import_id"`
			}
		}
		_ = json.Unmarshal(e.get("/api/v1/changes?resource_id=job-vorhaben", "admin").Body, &feed)
		if len(feed.Items) != 1 || feed.Items[0].Actor.Name != "test-editor" || feed.Items[0].ImportID != queued.ID {
			t.Fatalf("change log: %+v", feed.Items)
		}

		// a job whose process dies every time is failed after its attempts, not applied
		cancel()
		<-stopped
		r = e.do(http.MethodPost, "/api/v1/imports?resource=projects", req{as: "admin", ctype: csvType,
			body: bytes.ReplaceAll(file, []byte("job-vorhaben"), []byte("job-zwei")), headers: map[string]string{"Prefer": "respond-async"}})
		mustStatus(t, r, http.StatusAccepted)
		for range store.MaxImportAttempts {
			if _, ok, err := db.ClaimImportJob(ctx, -time.Second); err != nil || !ok {
				t.Fatalf("claim: %v %v", ok, err)
			}
		}
		if _, ok, err := db.ClaimImportJob(ctx, time.Minute); err != nil || ok {
			t.Fatalf("claimed a job beyond its attempts: %v %v", ok, err)
		}
		var failed importReport
		_ = json.Unmarshal(e.get(r.Header.Get("Location"), "admin").Body, &failed)
		if failed.Status != "failed" || len(failed.Errors) != 1 || failed.Errors[0].Code != "interrupted" {
			t.Fatalf("interrupted job: %+v", failed)
		}
		mustStatus(t, e.get("/api/v1/projects/job-zwei", "admin"), 404)
	})
}

// The configured limits (IKZ_IMPORT_MAX_SIZE, IKZ_IMPORT_MAX_ROWS): a larger file is
// 413, one with more rows 422, both problem+json, and nothing is written.
func TestImportLimits(t *testing.T) {
	opt := httpapi.Options{PublicRead: true, ImportMaxBytes: 300, ImportLimits: imports.Limits{MaxRows: 2, MaxColumns: 64, MaxCell: 32_767}}
	forEachAPIWith(t, opt, func(t *testing.T, e *apiEnv) {
		row := func(i int) string { return fmt.Sprintf("limit-%d;Partner %d;Sonstige", i, i) }
		mark := e.latestChange()
		big := csvFile("Slug;Name;Typ", row(1), row(2), strings.Repeat("x", 300))
		r := e.do(http.MethodPost, "/api/v1/imports?resource=partners", req{as: "admin", ctype: csvType, body: big, invalid: true})
		if r.Status != http.StatusRequestEntityTooLarge || r.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("file over the size limit: %d %s", r.Status, r.Body)
		}
		three := csvFile("Slug;Name;Typ", row(1), row(2), row(3))
		r = e.do(http.MethodPost, "/api/v1/imports?resource=partners", req{as: "admin", ctype: csvType, body: three, invalid: true})
		if r.Status != http.StatusUnprocessableEntity || r.Header.Get("Content-Type") != "application/problem+json" ||
			!strings.Contains(string(r.Body), "2") {
			t.Errorf("file over the row limit: %d %s", r.Status, r.Body)
		}
		if e.latestChange() != mark {
			t.Errorf("a refused file wrote %d changes", e.latestChange()-mark)
		}
		// within both limits it is imported
		if rep := e.importFile("admin", "resource=partners", csvType, csvFile("Slug;Name;Typ", row(1), row(2))); rep.Status != "succeeded" || rep.Created != 2 {
			t.Errorf("file within the limits: %+v", rep)
		}
	})
}
