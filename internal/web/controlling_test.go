package web_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
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
