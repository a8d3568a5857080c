package coop_test

import (
	"math"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// TestMoneyBound: amounts are accepted up to ±9,999,999,999.99 EUR (coop.MaxAmount),
// not a cent more.
func TestMoneyBound(t *testing.T) {
	for _, s := range []string{"9999999999.99", "-9999999999.99", "9999999999", "0000000001.5"} {
		c, err := coop.ParseMoney(s)
		if err != nil || c > coop.MaxAmount || c < -coop.MaxAmount {
			t.Errorf("%q: %v, %v", s, c, err)
		}
	}
	for _, s := range []string{"10000000000", "10000000000.00", "-10000000000", "99999999999.99", "999999999999999.99"} {
		if c, err := coop.ParseMoney(s); err == nil {
			t.Errorf("%q accepted as %v", s, c)
		}
	}
}

// TestSum: sums are exact beyond 64 bits; the parts the databases sum join exactly,
// negative ones too.
func TestSum(t *testing.T) {
	var s coop.Sum
	if s.String() != "0.00" {
		t.Errorf("zero = %s", s)
	}
	for range 93 {
		s = s.AddCents(coop.Cents(math.MaxInt64))
	}
	if got := s.String(); got != "8577735994274941500.51" {
		t.Errorf("93 × MaxInt64 cents = %s", got)
	}
	if _, ok := s.Cents(); ok {
		t.Error("a sum beyond 64 bits fits Cents")
	}
	for _, tc := range []struct {
		hi, lo int64
		want   string
	}{
		{0, 5, "0.05"}, {0, -5, "-0.05"}, {1, 0, "10000000.00"}, {-1, -999999999, "-19999999.99"},
		{3, -2, "29999999.98"}, {92233720368, 547758070, "922337203685477580.70"},
	} {
		if got := coop.SumParts(tc.hi, tc.lo).String(); got != tc.want {
			t.Errorf("SumParts(%d, %d) = %s, want %s", tc.hi, tc.lo, got, tc.want)
		}
	}
	for _, tc := range []struct {
		in   string
		ok   bool
		want string
	}{
		{"0", true, "0.00"}, {"-1", true, "-0.01"}, {"9299999999999999990", true, "92999999999999999.90"},
		{"1.0e+19", false, ""}, {"12.5", false, ""}, {"", false, ""},
	} {
		s, ok := coop.ParseSum(tc.in)
		if ok != tc.ok || (ok && s.String() != tc.want) {
			t.Errorf("ParseSum(%q) = %s, %v", tc.in, s, ok)
		}
	}
	if a, b := coop.SumParts(0, 7), coop.Cents(7).Sum(); !a.Equal(b) || a.Plus(b).String() != "0.14" {
		t.Errorf("Equal/Plus: %s, %s", a, b)
	}
}
