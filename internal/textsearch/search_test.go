package textsearch_test

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/textsearch"
)

// Texts of the seed (internal/store/seed.go).
const (
	dips        = "DiPS.kommunal im Stadtarchiv Münster: elektronische Langzeitarchivierung für kommunale Archive"
	rechenz     = "Gemeinsame Nutzung von Rechenzentrenkapazitäten"
	lwl         = "Landschaftsverband Westfalen-Lippe (LWL)"
	behnetz     = "Zugang zum Behördennetz über citeq"
	hotline     = "IT-Hotline (Mitnutzung durch citeq)"
	cooperation = "IT-Kooperation Stadt Münster – LWL"
)

var termRE = regexp.MustCompile(`^[a-z0-9]+$`)

func TestSearchMatches(t *testing.T) {
	tests := []struct {
		query, text string
		want        bool
	}{
		{"Archivierung", dips, true},
		{"Archivierungen", dips, true},
		{"Langzeitarchivierung", dips, true},
		{"Langzeitarchivi", dips, true}, // as you type
		{"Archiv", dips, true},
		{"archive kommunal", dips, true},
		{"dips.kommunal", dips, true},
		{"Rechenzentrum", rechenz, true},
		{"Rechenzentren", rechenz, true},
		{"Rechenzentrenk", rechenz, true},
		{"Kapazität", rechenz, true},
		{"zentrum", "Rechenzentrum", true},
		{"Landschaftsverbandes", lwl, true},
		{"Landschaftsverband", lwl, true},
		{"verband", lwl, true},
		{"Westfalen-Lippe", lwl, true},
		{"westfalenlippe", lwl, true},
		{"Behoerdennetz", behnetz, true},
		{"Behördennetz", behnetz, true},
		{"behordennetz", behnetz, true},
		{"BEHÖRDENNETZE", behnetz, true},
		{"netz", behnetz, true},
		{"Hotline", hotline, true},
		{"IT-Hotline", hotline, true},
		{"ithotline", hotline, true},
		{"hot", hotline, true},
		{"Muenster LWL Stadt", cooperation, true},
		{"Munster", cooperation, true},
		{"Kooperationen", cooperation, true},
		{"Koeln", "Stadt Köln", true},
		{"Amt", "Ordnungsamt der Stadt Köln", true},
		// negative cases
		{"Hotline", dips, false},
		{"Rechenzentrum", behnetz, false},
		{"Archivierung", rechenz, false},
		{"Langzeitarchivierung", "Archivierung", false}, // a compound query needs the compound
		{"citek", "citeq", false},                       // typing errors only via Correction
		{"Stadt Hotline", cooperation, false},           // all terms must match
		{"Köln", cooperation, false},
		{"netz", hotline, false},
		{"tadtarchiv", dips, false}, // "Stadtarchiv": parts start after 3 letters
	}
	for _, tt := range tests {
		terms, err := textsearch.Query(tt.query)
		if err != nil {
			t.Fatalf("Query(%q): %v", tt.query, err)
		}
		doc := textsearch.Document("Titel", tt.text)
		if got := textsearch.Matches(doc, terms); got != tt.want {
			t.Errorf("query %q (terms %q) vs %q = %v, want %v\n  doc: %s", tt.query, terms, tt.text, got, tt.want, doc)
		}
	}
}

func TestQuery(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  error
	}{
		{"Rechenzentrum", []string{"rechenzentr"}, nil},
		{"  Behördennetz  über citeq ", []string{"behordennetz", "uber", "citeq"}, nil},
		{"Archiv archive ARCHIV", []string{"archiv"}, nil},
		{"'; DROP TABLE projects; --", []string{"drop", "tabl", "project"}, nil},
		{`foo & !bar | (baz:*) <-> "x"`, []string{"foo", "bar", "baz", "x"}, nil},
		{"Hotline😀🎉", []string{"hotlin"}, nil},
		{"NEAR(a b) AND c OR NOT d", []string{"near", "a", "b", "and", "c", "or", "not", "d"}, nil},
		{strings.Repeat("ä", textsearch.MaxQueryLen), []string{strings.Repeat("a", textsearch.MaxTokenLen)}, nil},
		{"", nil, textsearch.ErrEmpty},
		{" \t\n\u00a0", nil, textsearch.ErrEmpty},
		{strings.Repeat("a", textsearch.MaxQueryLen+1), nil, textsearch.ErrTooLong},
		{"😀🎉", nil, textsearch.ErrNoTerms},
		{"&& || !! :* <-> () \"\" --", nil, textsearch.ErrNoTerms},
	}
	for _, tt := range tests {
		got, err := textsearch.Query(tt.in)
		if !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
			t.Errorf("Query(%.30q) error = %v, want %v", tt.in, err, tt.err)
		}
		var stems []string
		for _, term := range got {
			stems = append(stems, term.Prefixes[0])
		}
		if !slices.Equal(stems, tt.want) {
			t.Errorf("Query(%.30q) = %q, want %q", tt.in, stems, tt.want)
		}
		for _, term := range textsearch.Prefixes(got) {
			if !termRE.MatchString(term) {
				t.Errorf("Query(%.30q) term %q not [a-z0-9]+", tt.in, term)
			}
		}
	}
}

func TestDocument(t *testing.T) {
	got := textsearch.Document("Zugang zum Behördennetz", "Behördennetz über citeq")
	want := "zugang ang zum behordennetz ordennetz rdennetz dennetz ennetz nnetz netz etz uber citeq"
	if got != want {
		t.Errorf("Document =\n %q, want\n %q", got, want)
	}
	if got := textsearch.Document(); got != "" {
		t.Errorf("Document() = %q", got)
	}
	long := textsearch.Document(strings.Repeat("x", 1000))
	for _, tok := range strings.Fields(long) {
		if len(tok) > textsearch.MaxTokenLen {
			t.Fatalf("token of %d bytes", len(tok))
		}
	}
	if n := len(strings.Fields(long)); n > textsearch.MaxTokenLen {
		t.Errorf("%d tokens for one long word", n)
	}
}

func TestMatchesNoTerms(t *testing.T) {
	if textsearch.Matches("a b", nil) {
		t.Error("Matches without terms = true")
	}
}
