package textsearch_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/textsearch"
)

// benchText is a German description of about 400 characters.
const benchText = "Die Stadt Münster und der Landschaftsverband Westfalen-Lippe (LWL) arbeiten seit 2016 " +
	"in einer IT-Kooperation zusammen. Gemeinsam nutzen citeq und die LWL.IT Service Abteilung " +
	"Rechenzentrenkapazitäten, tauschen sich zur Informationssicherheit und zum E-Government-Gesetz " +
	"NRW aus und betreiben mit DiPS.kommunal die elektronische Langzeitarchivierung für kommunale " +
	"Archive. Der Zugang zum Behördennetz erfolgt über citeq."

func FuzzQuery(f *testing.F) {
	for _, s := range []string{
		"Rechenzentrum", "'; DROP TABLE projects; --", `foo & !bar | (baz:*) <-> "x"`,
		"😀", "", " ", "Mu\u0308nster", "\xff\xfe", "aee", strings.Repeat("ä", 201), benchText[:199],
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		terms, err := textsearch.Query(s)
		if err != nil {
			if !errors.Is(err, textsearch.ErrEmpty) && !errors.Is(err, textsearch.ErrTooLong) &&
				!errors.Is(err, textsearch.ErrNoTerms) {
				t.Fatalf("Query(%q): unexpected error %v", s, err)
			}
			return
		}
		for _, term := range textsearch.Prefixes(terms) {
			if !termRE.MatchString(term) || len(term) > textsearch.MaxTokenLen {
				t.Fatalf("Query(%q): bad term %q", s, term)
			}
		}
		// A text always finds itself.
		if doc := textsearch.Document(s); !textsearch.Matches(doc, terms) {
			t.Fatalf("Query(%q) = %q does not match its own document %q", s, terms, doc)
		}
		if f := textsearch.Fold(s); textsearch.Fold(f) != f {
			t.Fatalf("Fold not idempotent on %q", s)
		}
		_ = textsearch.Highlight(s, textsearch.Prefixes(terms), 40)
		for _, term := range terms {
			// A word is a part of itself as typed: never a typing error of itself.
			if p, edits, ok := textsearch.Correction(term.Word, term.Word); textsearch.MaxEdits(term.Word) > 0 &&
				len(term.Word) <= textsearch.MaxTokenLen && (!ok || edits != 0 || !strings.HasPrefix(term.Word, p)) {
				t.Fatalf("Correction(%q, itself) = %q, %d, %v", term.Word, p, edits, ok)
			}
		}
	})
}

func BenchmarkDocument(b *testing.B) {
	b.SetBytes(int64(len(benchText)))
	var doc string
	for b.Loop() {
		doc = textsearch.Document(benchText)
	}
	b.ReportMetric(float64(len(benchText)), "text-bytes")
	b.ReportMetric(float64(len(doc)), "doc-bytes")
}

func BenchmarkQuery(b *testing.B) {
	for b.Loop() {
		_, _ = textsearch.Query("Langzeitarchivierung kommunale Archive")
	}
}
