package coop

import (
	"math/big"
	"strings"
)

// Sum is an exact sum of amounts in cents, of any size: no number of projects makes
// a statistic overflow. The zero Sum is 0; a Sum is never changed once made.
type Sum struct{ v *big.Int }

// sumSplit is the divisor of the parts in which the databases sum amounts (SumParts).
const sumSplit = 1_000_000_000

// SumParts is hi·10⁹ + lo: the database sums the quotients (hi) and remainders (lo) of
// the amounts divided by 10⁹ separately, so that neither sum can leave 64 bits (that
// would take some nine billion rows), and this joins them exactly.
func SumParts(hi, lo int64) Sum {
	v := big.NewInt(hi)
	v.Mul(v, big.NewInt(sumSplit))
	return Sum{v.Add(v, big.NewInt(lo))}
}

// ParseSum reads a whole number of cents of any size ("-12345"), as PostgreSQL writes
// a numeric; ok is false for anything else (a fraction, an exponent).
func ParseSum(cents string) (s Sum, ok bool) {
	v, ok := new(big.Int).SetString(cents, 10)
	if !ok {
		return Sum{}, false
	}
	return Sum{v}, true
}

func (s Sum) big() *big.Int {
	if s.v == nil {
		return new(big.Int)
	}
	return s.v
}

// Plus returns s + t.
func (s Sum) Plus(t Sum) Sum { return Sum{new(big.Int).Add(s.big(), t.big())} }

// AddCents returns s + c.
func (s Sum) AddCents(c Cents) Sum { return Sum{new(big.Int).Add(s.big(), big.NewInt(int64(c)))} }

// Cents returns s as Cents and whether it fits.
func (s Sum) Cents() (Cents, bool) {
	v := s.big()
	if !v.IsInt64() {
		return 0, false
	}
	return Cents(v.Int64()), true
}

// Equal reports whether s and t are the same amount.
func (s Sum) Equal(t Sum) bool { return s.big().Cmp(t.big()) == 0 }

// PerHead returns s divided by n, in cents rounded half away from zero, as a decimal
// string with two fraction digits ("0.31"); ok is false for n <= 0.
func (s Sum) PerHead(n int64) (string, bool) {
	q, ok := s.PerHeadSum(n)
	if !ok {
		return "", false
	}
	return q.String(), true
}

// PerHeadSum is PerHead as a Sum (whole cents).
func (s Sum) PerHeadSum(n int64) (Sum, bool) {
	if n <= 0 {
		return Sum{}, false
	}
	num := new(big.Int).Abs(s.big())
	q, r := new(big.Int).QuoRem(num, big.NewInt(n), new(big.Int))
	if r.Mul(r, big.NewInt(2)).Cmp(big.NewInt(n)) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if s.big().Sign() < 0 {
		q.Neg(q)
	}
	return Sum{q}, true
}

// String formats s as a decimal string with two fraction digits: "125000.00".
func (s Sum) String() string {
	v := s.big()
	digits := new(big.Int).Abs(v).String()
	if len(digits) < 3 {
		digits = strings.Repeat("0", 3-len(digits)) + digits
	}
	sign := ""
	if v.Sign() < 0 {
		sign = "-"
	}
	return sign + digits[:len(digits)-2] + "." + digits[len(digits)-2:]
}
