package textsearch_test

import (
	"strings"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/textsearch"
)

func TestStem(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Rechenzentrum", "rechenzentr"},
		{"Rechenzentren", "rechenzentr"},
		{"Landschaftsverbandes", "landschaftsverband"},
		{"Landschaftsverband", "landschaftsverband"},
		{"Verbände", "verband"},
		{"Archivierung", "archivier"},
		{"Archivierungen", "archivier"},
		{"Archive", "archiv"},
		{"Archiv", "archiv"},
		{"Hotline", "hotlin"},
		{"Hotlines", "hotlin"},
		{"Kooperation", "kooperation"},
		{"Kooperationen", "kooperation"},
		{"kommunale", "kommunal"},
		{"Behördennetz", "behordennetz"},
		{"Behoerdennetze", "behordennetz"},
		{"Datum", "dat"},
		{"Daten", "dat"},
		{"Häuser", "haus"},
		{"Hauses", "haus"},
		{"Bauern", "bau"},
		{"Steuer", "steu"},
		{"Ämter", "amt"},
		{"zum", "zum"},
		{"it", "it"},
		{"2018", "2018"},
		{"IT-Hotline", "it hotlin"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := textsearch.Stem(tt.in); got != tt.want {
			t.Errorf("Stem(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// A stem is a prefix of its folded word; prefix matching relies on it.
func TestStemIsPrefix(t *testing.T) {
	words := textsearch.Tokens(benchText + " Sicherheit Vereinheitlichung Erfahrungsaustausch " +
		"Tätigkeiten wichtigsten Beständigkeit Ergebnisse Kenntnisse Bayern Frauen Neuerungen")
	for _, w := range words {
		if s := textsearch.Stem(w); !strings.HasPrefix(w, s) || s == "" {
			t.Errorf("Stem(%q) = %q, not a non-empty prefix", w, s)
		}
	}
}
