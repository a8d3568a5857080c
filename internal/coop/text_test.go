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

// TestDraftText: every write, however it comes in (API, web pages, import, command
// line), refuses text that may not be stored, first and alone, naming each field.
func TestDraftText(t *testing.T) {
	p := coop.ProjectDraft{Slug: "x", Title: "T\x00", Cooperation: "k", Category: "software", Description: "Zitat \u202b…\u202c",
		Participants: []coop.ParticipantDraft{{Partner: "citeq\xff", Role: "lead"}}, Tags: []string{"ok", "a\u202eb"}}
	got := p.Validate()
	want := []string{"participants[0].partner:utf8", "tags[1]:bidi", "title:control"}
	if len(got) != len(want) {
		t.Fatalf("violations %v, want %v", got, want)
	}
	for i, f := range got {
		if f.Field+":"+f.Code != want[i] {
			t.Errorf("violation %d = %s:%s, want %s", i, f.Field, f.Code, want[i])
		}
	}
	if v := (coop.PartnerDraft{Slug: "x", Name: "N", Type: "other", Parent: "a\x00"}).Validate(); len(v) != 1 || v[0].Field != "parent" {
		t.Errorf("partner: %v", v)
	}
	if v := (coop.Transition{To: "operational", Reason: "Umzug \u202bנ\u202c"}).Validate(); len(v) != 0 {
		t.Errorf("a reason may carry bidirectional formatting: %v", v)
	}
	if v := (coop.Transition{To: "operational\x00"}).Validate(); len(v) != 1 || v[0].Field != "to" {
		t.Errorf("transition: %v", v)
	}
}
