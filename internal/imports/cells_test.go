package imports

import (
	"io"
	"testing"
)

func TestCells(t *testing.T) {
	for in, want := range map[string]string{"15.11.2016": "2016-11-15", "1.2.2016": "2016-02-01", "11.2016": "2016-11",
		"2016": "2016", "2016-11": "2016-11", "32.13.2016": "2016-13-32", "bald": "bald"} {
		if got := Date(in); got != want {
			t.Errorf("Date(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"125000,30": "125000.30", "125,000.30 €": "125000.30", "1.234,5 €": "1234.5",
		"125000": "125000", "1.000": "1000", "-5.07 €": "-5.07", "viel": "viel", "12,345,678.9": "12345678.9"} {
		if got := Amount(in); got != want {
			t.Errorf("Amount(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]any{"12": int64(12), "1.200": int64(1200), "12.0": int64(12), "zwölf": "zwölf"} {
		if got := Int(in); got != want {
			t.Errorf("Int(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestCSVReadsTheExportsForms(t *testing.T) {
	data := []byte("\uFEFFSlug,Titel\r\nx,'=1+2\r\n,\r\ny,\"a,b\"\r\n")
	r, err := Open(CSV, data, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var got []Record
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, rec)
	}
	if len(got) != 2 || got[0].Line != 2 || got[0].Cells[1] != "=1+2" || got[1].Line != 4 || got[1].Cells[1] != "a,b" {
		t.Fatalf("%+v", got)
	}
	if _, err := Open(CSV, []byte("A;A\r\n"), Limits{}); err == nil {
		t.Fatal("a column twice")
	}
	r, _ = Open(CSV, []byte("A\r\nx\r\ny\r\n"), Limits{MaxRows: 1, MaxColumns: 5, MaxCell: 10})
	_, _ = r.Next()
	if _, err := r.Next(); err == nil {
		t.Fatal("rows beyond the limit")
	}
}
