package web_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// TestDashboard: controlling sees every chart with its table and can download each
// table as XLSX; a filter narrows them; readers get 403, anonymous callers the sign-in.
func TestDashboard(t *testing.T) {
	forEachWeb(t, func(t *testing.T, e *webEnv) {
		if p := e.browser().get("/controlling"); p.Status != http.StatusSeeOther || !strings.Contains(p.Header.Get("Location"), "/anmelden?weiter=") {
			t.Errorf("anonymous: %d %s", p.Status, p.Header.Get("Location"))
		}
		r := e.browser()
		r.signIn("reader")
		if p := r.get("/controlling"); p.Status != http.StatusForbidden {
			t.Errorf("reader: %d", p.Status)
		}
		b := e.browser()
		b.signIn("controlling")
		p := b.get("/controlling")
		if p.Status != http.StatusOK {
			t.Fatalf("dashboard: %d", p.Status)
		}
		if n := strings.Count(p.Body, `<svg class="chart"`); n != 7 {
			t.Errorf("%d charts, want 7 (every one but the lead times, which the seed cannot give)", n)
		}
		if n := strings.Count(p.Body, `<table`); n != 7 {
			t.Errorf("%d tables, want 7", n)
		}
		p = b.get("/controlling?status=operational&category=archiving")
		if !strings.Contains(p.Body, "Auswertung über 1 Vorhaben") {
			t.Errorf("the filter does not narrow the dashboard")
		}
		req, _ := http.NewRequest(http.MethodGet, e.url+"/controlling/daten.xlsx?chart=category&status=operational", nil)
		x := b.do(req)
		if x.Status != http.StatusOK {
			t.Fatalf("xlsx: %d %s", x.Status, x.Body)
		}
		f, err := excelize.OpenReader(bytes.NewReader([]byte(x.Body)))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows(f.GetSheetList()[0])
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 4 || rows[0][0] != "Gruppe" || rows[0][1] != "Vorhaben" {
			t.Errorf("xlsx rows: %q", rows)
		}
	})
}

// TestDashboardCoverage: the money charts say how many projects each sum leaves out
// ("6 von 6 Vorhaben ohne Budget") instead of a silent zero, and a group where no
// project has an amount shows "–", not 0,00 €.
func TestDashboardCoverage(t *testing.T) {
	forEachWeb(t, func(t *testing.T, e *webEnv) {
		b := e.browser()
		b.signIn("controlling")
		p := b.get("/controlling")
		for _, want := range []string{"6 von 6 Vorhaben ohne Budget", "6 von 6 Vorhaben ohne Ist-Kosten", "6 von 6 Vorhaben ohne geschätzte Einsparung"} {
			if !strings.Contains(p.Body, want) {
				t.Errorf("the dashboard of the seed (no money) does not say %q", want)
			}
		}
		if strings.Contains(p.Body, "0,00\u00a0€") {
			t.Errorf("a sum over projects without amounts is shown as 0,00 €")
		}
		ctx := coop.WithActor(context.Background(), coop.System)
		pr, err := e.db.FindProject(ctx, "it-hotline")
		if err != nil {
			t.Fatal(err)
		}
		budget := "1000.00"
		d := coop.ProjectDraft{Slug: pr.Slug, Title: pr.Title, Cooperation: pr.Cooperation.Slug, Category: pr.Category,
			Finance: &coop.FinanceDraft{BudgetPlanned: &budget, Currency: "EUR"}}
		for _, pa := range pr.Participants {
			d.Participants = append(d.Participants, coop.ParticipantDraft{Partner: pa.Partner.Slug, Role: pa.Role})
		}
		if _, err := e.db.UpdateProject(ctx, pr.ID, d, pr.Version); err != nil {
			t.Fatal(err)
		}
		p = b.get("/controlling")
		if !strings.Contains(p.Body, "5 von 6 Vorhaben ohne Budget") || !strings.Contains(p.Body, "6 von 6 Vorhaben ohne Ist-Kosten") ||
			!strings.Contains(p.Body, "1.000,00\u00a0€") {
			t.Errorf("after a budget on one project the coverage is not 5 of 6")
		}
		if p := b.get("/en/controlling"); !strings.Contains(p.Body, "5 of 6 projects without a budget") {
			t.Errorf("no English coverage hint")
		}
	})
}
