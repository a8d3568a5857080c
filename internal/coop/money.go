package coop

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Cents is an amount of euro cents. Money is never a float anywhere in the service:
// it is parsed from and formatted to decimal strings, stored and summed as integers.
type Cents int64

// MaxAmount bounds every amount the service accepts: at most ±9,999,999,999.99 EUR,
// ten digits before the decimal point. That is far above any public IT project, and
// it keeps each amount exact as a spreadsheet number (Excel holds 15 significant
// digits). Sums of amounts are exact whatever their size (Sum).
const MaxAmount Cents = 999_999_999_999

var moneyRe = regexp.MustCompile(`^(-?)(\d{1,10})(?:\.(\d{1,2}))?$`)

// ParseMoney parses "125000", "125000.5" or "125000.50" (at most two fraction digits,
// at most MaxAmount).
func ParseMoney(s string) (Cents, error) {
	m := moneyRe.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("%q ist kein Geldbetrag: eine Dezimalzahl mit höchstens zwei Nachkommastellen, vom Betrag höchstens 9999999999.99, z. B. \"125000.00\"", s)
	}
	whole, _ := strconv.ParseInt(m[2], 10, 64)
	frac := m[3]
	for len(frac) < 2 {
		frac += "0"
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	c := whole*100 + f
	if m[1] == "-" {
		c = -c
	}
	return Cents(c), nil
}

// String formats c as a decimal string with two fraction digits: "125000.00".
func (c Cents) String() string {
	sign := ""
	v := int64(c)
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// Float is for typed spreadsheet cells only; never compute with it.
func (c Cents) Float() float64 {
	f, _ := strconv.ParseFloat(strings.TrimSpace(c.String()), 64)
	return f
}

// Sum returns c as a Sum.
func (c Cents) Sum() Sum { return Sum{}.AddCents(c) }
