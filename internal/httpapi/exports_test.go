package httpapi_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// listedProject is a project of the JSON list, as the exports must show it.
type listedProject struct {
	Slug, Title, Status, Category, StartedOn, EndedOn string
	Cooperation                                       struct{ Name string }
	Participants                                      []struct {
		Partner struct{ Name string }
		Role    string
	}
	Finance *struct{ BudgetPlanned, CostActual, SavingsEstimated *string }
}

var (
	statusDE   = map[string]string{"planned": "Geplant", "in_progress": "In Umsetzung", "operational": "In Betrieb"}
	categoryDE = map[string]string{"archiving": "Archivierung", "network": "Netze"}
	roleDE     = map[string]string{"provider": "Leistungserbringer", "consumer": "Leistungsnehmer"}
)

// populationServed is what the register says of the money specs' participants:
// citeq stands for Stadt Münster (its parent, 315,293), Stadt Köln 1,087,863, the
// LWL's department for the government regions the LWL serves (Münster, Detmold,
// Arnsberg: 8,260,917, Münster inside them counted once).
var populationServed = map[string]int64{"m1": 315_293 + 1_087_863, "m2": 8_260_917, "m3": 315_293}

// perInhabitant divides a decimal amount by n, rounded half away from zero to the cent.
func perInhabitant(amount string, n int64) string {
	if amount == "" {
		return ""
	}
	r, ok := new(big.Rat).SetString(amount)
	if !ok {
		panic(amount)
	}
	r.Quo(r, new(big.Rat).SetInt64(n))
	cents := new(big.Rat).Mul(r, big.NewRat(100, 1))
	q, rem := new(big.Int).QuoRem(cents.Num(), cents.Denom(), new(big.Int))
	if new(big.Int).Mul(new(big.Int).Abs(rem), big.NewInt(2)).Cmp(cents.Denom()) >= 0 {
		q.Add(q, big.NewInt(int64(cents.Sign())))
	}
	return new(big.Rat).SetFrac(q, big.NewInt(100)).FloatString(2)
}

// expectedRows turns the JSON list into the rows an export should hold.
func (e *apiEnv) expectedRows(t *testing.T, query, as string, decimalComma bool) [][]string {
	t.Helper()
	r := e.get("/api/v1/projects?limit=500&"+query, as)
	mustStatus(t, r, 200)
	var l struct{ Items []json.RawMessage }
	if err := json.Unmarshal(r.Body, &l); err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, raw := range l.Items {
		var p listedProject
		var m map[string]any
		_ = json.Unmarshal(raw, &m)
		_ = json.Unmarshal(raw, &p)
		p.StartedOn, _ = m["started_on"].(string)
		p.EndedOn, _ = m["ended_on"].(string)
		var parts []string
		for _, x := range p.Participants {
			parts = append(parts, x.Partner.Name+" ("+roleDE[x.Role]+")")
		}
		sort.Slice(parts, func(i, j int) bool { return strings.ToLower(parts[i]) < strings.ToLower(parts[j]) })
		people, ok := populationServed[p.Slug]
		if !ok {
			t.Fatalf("no population served known for %s", p.Slug)
		}
		row := []string{p.Slug, p.Title, statusDE[p.Status], categoryDE[p.Category], p.Cooperation.Name, strings.Join(parts, "; "),
			p.StartedOn, p.EndedOn, fmt.Sprint(people)}
		if fin, ok := m["finance"].(map[string]any); ok {
			amounts := []string{"budget_planned", "cost_actual", "savings_estimated"}
			var per []string
			for _, k := range amounts {
				v, _ := fin[k].(string)
				row = append(row, v)
				per = append(per, perInhabitant(v, people))
			}
			row = append(row, per...)
			if decimalComma {
				for i := 9; i < len(row); i++ {
					row[i] = strings.Replace(row[i], ".", ",", 1)
				}
			}
		}
		out = append(out, row)
	}
	return out
}

var datedName = regexp.MustCompile(`^attachment; filename="ikz-projekte-\d{4}-\d{2}-\d{2}\.(csv|xlsx)"$`)

func TestExportCSV(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		e.mustProjects(t, "geld", moneySpecs...)
		header := []string{"Slug", "Titel", "Status", "Kategorie", "Kooperation", "Beteiligte", "Beginn", "Ende", "Einwohner versorgt"}
		money := []string{"Budget geplant", "Kosten ist", "Einsparung geschätzt", "Budget je Einwohner", "Kosten je Einwohner",
			"Einsparung je Einwohner"}
		for _, tc := range []struct {
			as, query string
			comma     rune
			money     bool
		}{
			{"controlling", "tag=geld", ';', true},
			{"admin", "tag=geld&delimiter=comma&format=csv", ',', true},
			{"reader", "tag=geld&delimiter=semicolon", ';', false},
			{"editor", "tag=geld&delimiter=comma&sort=-slug", ',', false},
		} {
			r := e.get("/api/v1/exports/projects?"+tc.query, tc.as)
			mustStatus(t, r, 200)
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || !datedName.MatchString(r.Header.Get("Content-Disposition")) {
				t.Errorf("%s: Content-Type %q, Content-Disposition %q", tc.as, ct, r.Header.Get("Content-Disposition"))
			}
			raw := string(r.Body)
			if !strings.HasPrefix(raw, "\uFEFFSlug") || strings.Count(raw, "\n") != strings.Count(raw, "\r\n") || strings.Count(raw, "\r\n") != 4 {
				t.Errorf("%s: want a BOM and 4 CRLF-ended records: %q", tc.as, raw)
			}
			cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(raw, "\uFEFF")))
			cr.Comma = tc.comma
			recs, err := cr.ReadAll()
			if err != nil {
				t.Fatalf("%s: parse with %q: %v", tc.as, tc.comma, err)
			}
			wantHead := header
			if tc.money {
				wantHead = append(slices.Clone(header), money...)
			}
			if !slices.Equal(recs[0], wantHead) {
				t.Errorf("%s: header %q", tc.as, recs[0])
			}
			listQuery := strings.NewReplacer("&delimiter=comma", "", "&delimiter=semicolon", "", "&format=csv", "").Replace(tc.query)
			want := e.expectedRows(t, listQuery, tc.as, tc.comma == ';')
			if len(recs)-1 != len(want) {
				t.Fatalf("%s: %d rows, list has %d", tc.as, len(recs)-1, len(want))
			}
			for i := range want {
				if !slices.Equal(recs[i+1], want[i]) {
					t.Errorf("%s: row %d\n got %q\nwant %q", tc.as, i, recs[i+1], want[i])
				}
			}
			if tc.money && tc.comma == ';' && (recs[1][9] != "0,10" || recs[1][13] != "712,68") {
				t.Errorf("German Excel flavour: budget %q, want 0,10; cost per inhabitant %q, want 712,68", recs[1][9], recs[1][13])
			}
		}
		// exports are open data when reads are public (opendata_test.go); wrong format or
		// parameters are 400
		mustStatus(t, e.get("/api/v1/exports/projects", ""), 200)
		for _, bad := range []string{"format=pdf", "delimiter=tab", "limit=5", "status=lost", "colour=red"} {
			r := e.getInvalid("/api/v1/exports/projects?"+bad, "reader")
			mustStatus(t, r, 400)
			if r.Header.Get("Content-Disposition") != "" {
				t.Errorf("%s: a problem answer with Content-Disposition", bad)
			}
		}
		// an empty result is a header-only file
		r := e.get("/api/v1/exports/projects?tag=nichts", "reader")
		mustStatus(t, r, 200)
		if string(r.Body) != "\uFEFFSlug;Titel;Status;Kategorie;Kooperation;Beteiligte;Beginn;Ende;Einwohner versorgt\r\n" {
			t.Errorf("empty export: %q", r.Body)
		}
		// partners and cooperations: one row per list item
		for _, kind := range []string{"partners", "cooperations"} {
			r := e.get("/api/v1/exports/"+kind+"?delimiter=comma", "reader")
			mustStatus(t, r, 200)
			recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Body, []byte("\uFEFF")))).ReadAll()
			list := e.get("/api/v1/"+kind+"?limit=500", "reader")
			if err != nil || len(recs)-1 != len(slugs(t, list)) || recs[0][0] != "Slug" {
				t.Errorf("%s: %d records (%v), list has %d", kind, len(recs), err, len(slugs(t, list)))
				continue
			}
			for i, s := range slugs(t, list) {
				if recs[i+1][0] != s {
					t.Errorf("%s row %d: %q, want %q", kind, i, recs[i+1][0], s)
				}
			}
		}
	})
}

func TestExportXLSX(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		e.mustProjects(t, "geld", moneySpecs...)
		for _, as := range []string{"controlling", "reader"} {
			r := e.get("/api/v1/exports/projects?format=xlsx&tag=geld", as)
			mustStatus(t, r, 200)
			if ct := r.Header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" ||
				!datedName.MatchString(r.Header.Get("Content-Disposition")) || !strings.HasSuffix(r.Header.Get("Content-Disposition"), `.xlsx"`) {
				t.Errorf("%s: Content-Type %q, Content-Disposition %q", as, ct, r.Header.Get("Content-Disposition"))
			}
			f, err := excelize.OpenReader(bytes.NewReader(r.Body))
			if err != nil {
				t.Fatalf("%s: open back: %v", as, err)
			}
			defer f.Close()
			if got := f.GetSheetList(); !slices.Equal(got, []string{"Vorhaben", "Statistik"}) {
				t.Fatalf("%s: sheets %v", as, got)
			}
			rows, _ := f.GetRows("Vorhaben", excelize.Options{RawCellValue: true})
			want := e.expectedRows(t, "tag=geld", as, false)
			if len(rows)-1 != len(want) || (as == "controlling") != (len(rows[0]) == 15) {
				t.Fatalf("%s: %d rows, header %q; list has %d", as, len(rows)-1, rows[0], len(want))
			}
			for i, w := range want {
				got := rows[i+1]
				if !slices.Equal(got[:6], w[:6]) {
					t.Errorf("%s: row %d text %q, want %q", as, i, got[:6], w[:6])
				}
				if got[8] != w[8] {
					t.Errorf("%s: row %d Einwohner versorgt %q, want %q", as, i, got[8], w[8])
				}
				// dates are date cells: the first day of the partial date
				if w[6] != "" {
					serial, _ := excelize.ExcelDateToTime(mustNumber(t, got[6]), false)
					if first := firstDay(w[6]); !serial.Equal(first) {
						t.Errorf("%s: row %d Beginn %v, want %v", as, i, serial, first)
					}
				}
			}
			if as == "controlling" {
				// m1: budget 0.10 and cost per inhabitant 712.68 as numbers with a euro format
				for cell, want := range map[string]string{"J2": "0.1", "N2": "712.68"} {
					if v, _ := f.GetCellValue("Vorhaben", cell, excelize.Options{RawCellValue: true}); v != want {
						t.Errorf("cell %s = %q, want %s", cell, v, want)
					}
					style, _ := f.GetCellStyle("Vorhaben", cell)
					if st, _ := f.GetStyle(style); st == nil || st.CustomNumFmt == nil || !strings.Contains(*st.CustomNumFmt, "€") {
						t.Errorf("cell %s has no euro format", cell)
					}
				}
			}
			if p, _ := f.GetPanes("Vorhaben"); !p.Freeze || p.YSplit != 1 {
				t.Errorf("%s: header row not frozen: %+v", as, p)
			}
			stats, _ := f.GetRows("Statistik")
			// population served by status: m1 (planned), m3 (in progress), m2 (operational);
			// the total counts Münster once (it lies in the LWL's regions): m2's and Köln
			wantStats := [][]string{{"Status", "Anzahl", "Einwohner versorgt"}, {"Geplant", "1", "1403156"},
				{"In Umsetzung", "1", "315293"}, {"In Betrieb", "1", "8260917"}, {"Summe", "3", fmt.Sprint(8_260_917 + 1_087_863)}}
			if as == "controlling" {
				wantStats[0] = append(wantStats[0], "Budget geplant", "Kosten ist", "Einsparung geschätzt",
					"Budget je Einwohner", "Kosten je Einwohner", "Einsparung je Einwohner")
			}
			if len(stats) != len(wantStats) || !slices.Equal(stats[0], wantStats[0]) {
				t.Fatalf("%s: Statistik = %q", as, stats)
			}
			for i := 1; i < len(wantStats); i++ {
				if !slices.Equal(stats[i][:3], wantStats[i]) || (as == "reader") != (len(stats[i]) == 3) {
					t.Errorf("%s: Statistik row %d = %q, want %q", as, i, stats[i], wantStats[i])
				}
			}
			if as == "controlling" {
				raw, _ := f.GetRows("Statistik", excelize.Options{RawCellValue: true})
				// cents exact in the numbers (Excel keeps 15 significant digits)
				// and per inhabitant: m1's cost 1,000,000,000.01 ÷ 1,403,156 = 712.68
				if raw[1][3] != "0.1" || raw[3][3] != "0.2" || raw[3][4] != "0.99" || raw[3][5] != "-5" || raw[1][7] != "712.68" || raw[2][6] != "31716.53" ||
					len(raw[2]) != 7 { // m3 has no cost: nothing per inhabitant
					t.Errorf("money in Statistik = %q", raw)
				}
			}
		}
		for _, kind := range []string{"partners", "cooperations"} {
			r := e.get("/api/v1/exports/"+kind+"?format=xlsx", "reader")
			mustStatus(t, r, 200)
			f, err := excelize.OpenReader(bytes.NewReader(r.Body))
			if err != nil {
				t.Fatalf("%s: %v", kind, err)
			}
			rows, _ := f.GetRows(f.GetSheetList()[0])
			if len(rows)-1 != len(slugs(t, e.get("/api/v1/"+kind+"?limit=500", "reader"))) {
				t.Errorf("%s: %d rows", kind, len(rows)-1)
			}
			f.Close()
		}
	})
}

func mustNumber(t *testing.T, s string) float64 {
	t.Helper()
	var f float64
	if _, err := fmt.Sscan(s, &f); err != nil {
		t.Fatalf("%q is not a number", s)
	}
	return f
}

// firstDay is the first day of a partial date.
func firstDay(s string) time.Time {
	for _, layout := range []string{"2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}
