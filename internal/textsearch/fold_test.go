package textsearch_test

import (
	"slices"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/textsearch"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Behördennetz", "behordennetz"},
		{"BEHOERDENNETZ", "behordennetz"},
		{"Behordennetz", "behordennetz"},
		{"Mu\u0308nster", "munster"}, // decomposed ü
		{"Muenster", "munster"},
		{"Straße", "strasse"},
		{"GROẞ", "gross"},
		{"Café René Ångström", "cafe rene angstrom"},
		{"Bäuerin Baeuerin", "bauerin bauerin"}, // e after a diphthong stays
		{"Steuern Quelle", "steuern quelle"},
		{"Kapazitäten", "kapazitaten"},
		{"Soft\u00ADhyphen", "softhyphen"},
		{"IT-Hotline (Mitnutzung durch citeq)", "it hotline mitnutzung durch citeq"},
		{"DiPS.kommunal", "dips kommunal"},
		{"16.000 Beschäftigte", "16 000 beschaftigte"},
		{"  \t\n", ""},
		{"…!? & <->", ""},
		{"Москва 😀 Köln", "koln"},
	}
	for _, tt := range tests {
		if got := textsearch.Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := textsearch.Fold(textsearch.Fold(tt.in)); got != tt.want {
			t.Errorf("Fold(Fold(%q)) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTokens(t *testing.T) {
	got := textsearch.Tokens("Zugang zum Behördennetz über citeq")
	want := []string{"zugang", "zum", "behordennetz", "uber", "citeq"}
	if !slices.Equal(got, want) {
		t.Errorf("Tokens = %q, want %q", got, want)
	}
	if got := textsearch.Tokens("— !"); len(got) != 0 {
		t.Errorf("Tokens of punctuation = %q, want none", got)
	}
}

func TestSortKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Stadt Köln", "stadt koln"},
		{"Stadt Münster", "stadt munster"},
		{"Stadt Muenster", "stadt munster"},
		{"IT-Kooperation Stadt Münster – LWL", "it kooperation stadt munster lwl"},
		{"Москва", "москва"},
	}
	for _, tt := range tests {
		if got := textsearch.SortKey(tt.in); got != tt.want {
			t.Errorf("SortKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	names := []string{"Zugang", "über", "Ulm", "Öffentlich", "Ost", "Ärzte", "Arbeit", "ARCHIV"}
	slices.SortFunc(names, func(a, b string) int {
		ka, kb := textsearch.SortKey(a), textsearch.SortKey(b)
		switch {
		case ka < kb:
			return -1
		case ka > kb:
			return 1
		}
		return 0
	})
	want := []string{"Arbeit", "ARCHIV", "Ärzte", "Öffentlich", "Ost", "über", "Ulm", "Zugang"}
	if !slices.Equal(names, want) {
		t.Errorf("sorted = %q, want %q", names, want)
	}
}
