package textsearch_test

import (
	"math"
	"slices"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/textsearch"
)

func approx(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

func TestTrigrams(t *testing.T) {
	want := []string{"  c", " ci", "cit", "eq ", "ite", "teq"}
	if got := textsearch.Trigrams("CITEQ"); !slices.Equal(got, want) {
		t.Errorf("Trigrams(CITEQ) = %q, want %q", got, want)
	}
	want = []string{"  a", "  i", " a ", " it", "it "}
	if got := textsearch.Trigrams("it, a it"); !slices.Equal(got, want) {
		t.Errorf("Trigrams = %q, want %q", got, want)
	}
	if got := textsearch.Trigrams("!!"); len(got) != 0 {
		t.Errorf("Trigrams(!!) = %q, want none", got)
	}
}

func TestSimilarity(t *testing.T) {
	tests := []struct {
		a, b     string
		sim, wsm float64 // Similarity(a, b), WordSimilarity(a, b)
	}{
		{"citek", "citeq", 0.5, 4.0 / 6},
		{"lwl", "citeq", 0, 0},
		{"word", "two words", 4.0 / 11, 0.8}, // values from the pg_trgm manual
		{"Münster", "Muenster", 1, 1},
		{"citek", "citeq GmbH", 4.0 / 13, 4.0 / 6},
		{"", "citeq", 0, 0},
		{"citeq", "", 0, 0},
	}
	for _, tt := range tests {
		if got := textsearch.Similarity(tt.a, tt.b); !approx(got, tt.sim) {
			t.Errorf("Similarity(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.sim)
		}
		if got := textsearch.WordSimilarity(tt.a, tt.b); !approx(got, tt.wsm) {
			t.Errorf("WordSimilarity(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.wsm)
		}
	}
}

func TestTypoThresholds(t *testing.T) {
	tests := []struct {
		query, name string
		want        bool
	}{
		{"citek", "citeq", true},
		{"citeq", "citeq", true},
		{"LWL", "Landschaftsverband Westfalen-Lippe (LWL)", true},
		{"Landschaftsverbnd", "Landschaftsverband Westfalen-Lippe (LWL)", true},
		{"Muenstr", "Stadt Münster", true},
		{"lwl", "citeq", false},
		{"citeq", "Stadt Köln", false},
	}
	for _, tt := range tests {
		ws := textsearch.WordSimilarity(tt.query, tt.name)
		if got := ws >= textsearch.WordSimilarityThreshold; got != tt.want {
			t.Errorf("WordSimilarity(%q, %q) = %.3f, passes = %v, want %v", tt.query, tt.name, ws, got, tt.want)
		}
	}
	s := textsearch.Similarity("citek", "citeq")
	if s < textsearch.SimilarityThreshold {
		t.Errorf("Similarity(citek, citeq) = %v below threshold", s)
	}
	if s := textsearch.Similarity("lwl", "citeq"); s >= textsearch.SimilarityThreshold {
		t.Errorf("Similarity(lwl, citeq) = %v reaches threshold", s)
	}
}
