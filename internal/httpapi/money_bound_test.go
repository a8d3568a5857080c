package httpapi_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// TestMoneyAtTheBound: amounts are accepted up to ±9,999,999,999.99 EUR and refused
// beyond; 1,000 projects at the bound answer exact sums in the statistics (from the
// counters and by GROUP BY), the timeline, the CSV and the XLSX export with its
// statistics sheet. Sums beyond 64 bits, from amounts a database may hold from before
// the bound, stay exact too.
func TestMoneyAtTheBound(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		const top, bottom = "9999999999.99", "-9999999999.99"
		atBound := map[string]any{"budget_planned": top, "cost_actual": top, "savings_estimated": bottom}
		e.mustCreate(t, "/api/v1/projects", "admin", projectBody("grenze-0", map[string]any{
			"category": "other", "tags": []string{"grenze"}, "started_on": "2019", "finance": atBound}))
		for _, tooMuch := range []string{"10000000000.00", "-10000000000", "99999999999.99", "999999999999999.99"} {
			r := e.do("POST", "/api/v1/projects", req{as: "admin", invalid: true, body: projectBody("zu-viel", map[string]any{
				"finance": map[string]any{"budget_planned": tooMuch}})})
			mustStatus(t, r, 422)
			if got := fieldErrors(t, r); len(got) != 1 || got[0] != "finance.budget_planned:money" {
				t.Errorf("%s: errors %v", tooMuch, got)
			}
			r = e.do("PATCH", "/api/v1/projects/grenze-0", req{as: "admin", invalid: true,
				body: map[string]any{"finance": map[string]any{"cost_actual": tooMuch}}})
			mustStatus(t, r, 422)
		}
		// 999 more through the bulk loader (the create path's validation and rows)
		recs := make([]store.BulkProject, 999)
		for i := range recs {
			recs[i] = store.BulkProject{At: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), Draft: coop.ProjectDraft{
				Slug: fmt.Sprintf("grenze-%d", i+1), Title: fmt.Sprintf("Grenze %d", i+1), Cooperation: "it-kooperation-muenster-lwl",
				Category: "other", Participants: []coop.ParticipantDraft{{Partner: "citeq", Role: "lead"}}, StartedOn: "2019",
				Tags: []string{"grenze"}, Finance: &coop.FinanceDraft{BudgetPlanned: strp(top), CostActual: strp(top), SavingsEstimated: strp(bottom)},
			}}
		}
		ctx := coop.WithActor(context.Background(), coop.System)
		if _, err := e.db.NewBulkLoader().Projects(ctx, recs); err != nil {
			t.Fatal(err)
		}
		e.mustMoneySums(t, 1000, [3]string{top, top, bottom}, [3]string{"9999999999990.00", "9999999999990.00", "-9999999999990.00"})

		// Sums beyond 64 bits: amounts of 10^17 - 1 cents, as a database may hold them
		// from before the bound.
		// Written past the service, the change must move the data version too (as an
		// operator's SQL must): statistics, search and ETags answer per data version.
		if _, err := storetest.SQL(e.db).ExecContext(ctx, "UPDATE projects SET budget_planned_cents = 99999999999999999,"+
			" savings_estimated_cents = -99999999999999999 WHERE slug LIKE 'grenze-%'"); err != nil {
			t.Fatal(err)
		}
		if _, err := storetest.SQL(e.db).ExecContext(ctx, "UPDATE data_versions SET n = n + 1 WHERE slot = 0"); err != nil {
			t.Fatal(err)
		}
		e.mustMoneySums(t, 1000, [3]string{"999999999999999.99", top, "-999999999999999.99"},
			[3]string{"999999999999999990.00", "9999999999990.00", "-999999999999999990.00"})
	})
}

// mustMoneySums checks the money of the n projects tagged "grenze" (category other),
// all with the same amounts (each: budget, cost, savings), against their sums.
func (e *apiEnv) mustMoneySums(t *testing.T, n int, each, sums [3]string) {
	t.Helper()
	type group struct {
		Key              string
		Count            int
		BudgetPlanned    string `json:"budget_planned"`
		CostActual       string `json:"cost_actual"`
		SavingsEstimated string `json:"savings_estimated"`
	}
	check := func(what string, got group) {
		t.Helper()
		if got.Count != n || [3]string{got.BudgetPlanned, got.CostActual, got.SavingsEstimated} != sums {
			t.Errorf("%s: %+v, want %d projects, %v", what, got, n, sums)
		}
	}
	for _, query := range []string{
		"group_by=category", // from the counters
		"group_by=category&tag=grenze", "group_by=status&tag=grenze", "group_by=partner&tag=grenze",
		"group_by=role&tag=grenze", "group_by=state&tag=grenze", "group_by=year&tag=grenze",
	} {
		r := e.get("/api/v1/stats/projects?"+query, "controlling")
		mustStatus(t, r, 200)
		var st struct {
			Groups []group
			Total  group
		}
		if err := json.Unmarshal(r.Body, &st); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, g := range st.Groups {
			if g.Key == "other" || (query != "group_by=category" && len(st.Groups) == 1) {
				check(query+" group "+g.Key, g)
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no group of the projects: %s", query, r.Body)
		}
		if query != "group_by=category" {
			check(query+" total", st.Total)
		}
		// without finance: counts only
		mustStatus(t, e.get("/api/v1/stats/projects?"+query, ""), 200)
	}
	r := e.get("/api/v1/stats/timeline?from=2019&to=2021&interval=year&tag=grenze", "controlling")
	mustStatus(t, r, 200)
	if !strings.Contains(string(r.Body), fmt.Sprintf(`"planned":%d`, n)) {
		t.Errorf("timeline: %s", r.Body)
	}
	mustStatus(t, e.get("/api/v1/stats/lead-times?tag=grenze", "controlling"), 200)

	for _, tc := range []struct {
		query string
		comma rune
		point string
	}{{"", ';', ","}, {"&delimiter=comma", ',', "."}} {
		r := e.get("/api/v1/exports/projects?tag=grenze"+tc.query, "controlling")
		mustStatus(t, r, 200)
		cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Body, []byte("\uFEFF"))))
		cr.Comma = tc.comma
		recs, err := cr.ReadAll()
		if err != nil || len(recs) != n+1 {
			t.Fatalf("CSV %q: %d records, %v", tc.query, len(recs), err)
		}
		money := slices.Index(recs[0], "Einwohner versorgt") + 1 // the money columns follow it
		for i, want := range each {
			if got := recs[1][money+i]; money == 0 || got != strings.Replace(want, ".", tc.point, 1) {
				t.Errorf("CSV %q: money %q, want %q", tc.query, recs[1][money:], each)
			}
		}
	}

	r = e.get("/api/v1/exports/projects?format=xlsx&tag=grenze", "controlling")
	mustStatus(t, r, 200)
	f, err := excelize.OpenReader(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("Vorhaben", excelize.Options{RawCellValue: true})
	money := slices.Index(rows[0], "Einwohner versorgt") + 1
	if len(rows) != n+1 || money == 0 || spreadsheetAmount(rows[1][money+1]) != each[1] {
		t.Errorf("XLSX: %d rows, first %q", len(rows), rows[1])
	}
	stats, _ := f.GetRows("Statistik", excelize.Options{RawCellValue: true})
	last := stats[len(stats)-1]
	// Summe, projects, population served, then the three sums
	if last[0] != "Summe" || last[1] != fmt.Sprint(n) || [3]string{spreadsheetAmount(last[3]),
		spreadsheetAmount(last[4]), spreadsheetAmount(last[5])} != sums {
		t.Errorf("XLSX Statistik total %q, want %v", last, sums)
	}
}

// spreadsheetAmount turns a spreadsheet cell's raw value (a number, or the exact
// decimal text of a sum too large for one) into a decimal string with two digits.
func spreadsheetAmount(raw string) string {
	if strings.Contains(raw, ".") && len(raw)-strings.Index(raw, ".") == 3 {
		return raw // the text of an exact sum
	}
	var f float64
	if _, err := fmt.Sscan(raw, &f); err != nil {
		return "not a number: " + raw
	}
	return fmt.Sprintf("%.2f", f)
}
