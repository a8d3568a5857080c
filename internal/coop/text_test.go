package coop_test

import (
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

func TestTextProblem(t *testing.T) {
	for _, tc := range []struct {
		s          string
		identifier bool
		want       string
	}{
		{"Stadt Münster", true, ""},
		{"Zeile eins\nZeile zwei\r\n\tEingerückt", false, ""},
		{"ein \uFFFD echtes Ersatzzeichen", true, ""},
		{"ab\x00c", false, coop.TextControl},
		{"\x1b[31mrot", false, coop.TextControl},
		{"\x7f", false, coop.TextControl},
		{"\u0085", false, coop.TextControl},
		{"ab\xffc", false, coop.TextUTF8},
		{"\xc3", false, coop.TextUTF8},
		{"\xed\xa0\x80", false, coop.TextUTF8}, // a surrogate
		{"citeq\u202Eqetic", true, coop.TextBidi},
		{"a\u2066b\u2069", true, coop.TextBidi},
		{"citeq\u202Eqetic", false, ""}, // free text may carry them
		{"\u200F\u200E", true, ""},      // marks, not overrides
	} {
		if got := coop.TextProblem(tc.s, tc.identifier); got != tc.want {
			t.Errorf("TextProblem(%q, %v) = %q, want %q", tc.s, tc.identifier, got, tc.want)
		}
	}
}
