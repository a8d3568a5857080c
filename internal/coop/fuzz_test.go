package coop_test

import (
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// FuzzPartialDate: no input panics, and a parsed date formats back to its input.
func FuzzPartialDate(f *testing.F) {
	for _, s := range []string{"2016", "2016-11", "2016-11-15", "2024-13-45", "2024-02-30", "0000", "2016-1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := coop.ParsePartialDate(s)
		if err == nil && d.String() != s {
			t.Fatalf("%q parsed as %q", s, d.String())
		}
	})
}

// FuzzMoney: no input panics, and a parsed amount formats to an equal amount.
func FuzzMoney(f *testing.F) {
	for _, s := range []string{"125000.00", "0.1", "-3", "12.345", "1e3", "9999999999.99", "10000000000.00", "999999999999999.99", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := coop.ParseMoney(s)
		if err != nil {
			return
		}
		again, err := coop.ParseMoney(c.String())
		if err != nil || again != c {
			t.Fatalf("%q → %s → %v, %v", s, c, again, err)
		}
	})
}

// FuzzIdentifiers: the identifier checks never panic, and a Leitweg-ID whose check
// digits are recomputed is always valid.
func FuzzIdentifiers(f *testing.F) {
	for _, s := range []string{"04011000-1234512345-06", "991-33333TEST-33", "05515000", "055150000000", "lwl-it", "a@b.de", "https://x.de"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		coop.ValidAGS(s)
		coop.ValidARS(s)
		coop.ValidSlug(s)
		coop.ValidEmail(s)
		coop.ValidURL(s)
		if coop.ValidLeitwegID(s) == "" {
			return
		}
		if body := leitwegBody(s); body != "" {
			id := s[:len(s)-2] + twoDigits(coop.LeitwegCheckDigits(body))
			if got := coop.ValidLeitwegID(id); got != "" && got != "pattern" {
				t.Fatalf("%q with recomputed check digits is %s", id, got)
			}
		}
	})
}

// leitwegBody returns coarse+fine part of a structurally plausible ID ("" if not).
func leitwegBody(s string) string {
	if len(s) < 5 || s[len(s)-3] != '-' {
		return ""
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s)-3; i++ {
		if s[i] != '-' {
			out = append(out, s[i])
		}
	}
	return string(out)
}

func twoDigits(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }
