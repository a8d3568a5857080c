package textsearch_test

import (
	"html"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/textsearch"
)

func mustQuery(t testing.TB, q string) []string {
	t.Helper()
	terms, err := textsearch.Query(q)
	if err != nil {
		t.Fatalf("Query(%q): %v", q, err)
	}
	return textsearch.Prefixes(terms)
}

func TestHighlight(t *testing.T) {
	tests := []struct {
		query, text string
		maxLen      int
		want        string
	}{
		{"Hotline", hotline, 0, "IT-<mark>Hotline</mark> (Mitnutzung durch citeq)"},
		{"it hotline", hotline, 0, "<mark>IT</mark>-<mark>Hotline</mark> (Mitnutzung durch citeq)"},
		{"Archivierung", dips, 0, "DiPS.kommunal im Stadtarchiv Münster: elektronische <mark>Langzeitarchivierung</mark> für kommunale Archive"},
		{"Behoerdennetz", "<script>alert(1)</script>\n Behördennetz & Co", 0,
			"&lt;script&gt;alert(1)&lt;/script&gt; <mark>Behördennetz</mark> &amp; Co"},
		{"Rechenzentrum", rechenz, 30, "…von <mark>Rechenzentrenkapazitäten</mark>"},
		{"Hotline", dips, 30, "DiPS.kommunal im Stadtarchiv…"},
		{"Langzeitarchivierung", "Langzeitarchivierung", 8, "<mark>Langzeit</mark>…"},
	}
	for _, tt := range tests {
		if got := textsearch.Highlight(tt.text, mustQuery(t, tt.query), tt.maxLen); got != tt.want {
			t.Errorf("Highlight(%q, %q, %d) =\n %q, want\n %q", tt.text, tt.query, tt.maxLen, got, tt.want)
		}
	}
}

func TestHighlightLength(t *testing.T) {
	terms := mustQuery(t, "Behördennetz")
	for maxLen := 1; maxLen < 120; maxLen++ {
		got := textsearch.Highlight(benchText, terms, maxLen)
		plain := strings.NewReplacer("<mark>", "", "</mark>", "", "…", "").Replace(got)
		if n := utf8.RuneCountInString(html.UnescapeString(plain)); n > maxLen {
			t.Errorf("maxLen %d: %d runes in %q", maxLen, n, got)
		}
		if maxLen >= 20 && !strings.Contains(got, "<mark>Behördennetz</mark>") {
			t.Errorf("maxLen %d: match missing in %q", maxLen, got)
		}
	}
}
