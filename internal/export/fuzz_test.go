package export_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"unicode"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/export"
)

// FuzzCSV: whatever a text cell holds, the CSV reads back as one record with that
// text (behind an apostrophe where a spreadsheet would take it for a formula), on both
// delimiters, and no cell starts a formula.
func FuzzCSV(f *testing.F) {
	for _, s := range []string{"Stadt Münster", "=1+1", "\t=1+1", "\r=1+1", " @SUM(A1)", "a;b,c\"d", "Zeile\nzwei"} {
		f.Add(s)
	}
	// encoding/csv reads a quoted CR LF as LF and drops a lone CR
	read := strings.NewReplacer("\r\n", "\n", "\r", "")
	f.Fuzz(func(t *testing.T, cell string) {
		for _, comma := range []rune{';', ','} {
			var buf bytes.Buffer
			w, err := export.NewCSV(&buf, []export.Column{{Header: "A"}, {Header: "B"}}, comma)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.WriteRow([]export.Cell{export.Text(cell), export.Text("x")}); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\uFEFF"))))
			r.Comma = comma
			recs, err := r.ReadAll()
			if err != nil || len(recs) != 2 || len(recs[1]) != 2 || recs[1][1] != "x" {
				t.Fatalf("%q with %q: %q, %v", cell, comma, recs, err)
			}
			got := recs[1][0]
			if t0 := strings.TrimLeftFunc(got, unicode.IsSpace); t0 != "" && strings.ContainsRune("=+-@", rune(t0[0])) {
				t.Fatalf("%q with %q: the cell %q starts a formula", cell, comma, got)
			}
			if got != read.Replace(cell) && got != read.Replace("'"+cell) {
				t.Fatalf("%q with %q: read back as %q", cell, comma, got)
			}
		}
	})
}
