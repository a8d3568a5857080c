// Package export writes tables for controlling: CSV (for German Excel or RFC 4180) and
// XLSX with typed cells. Both stream row by row, so memory does not grow with the
// number of rows. The package knows nothing of databases or HTTP.
package export

import (
	"io"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// Column is one column of a table: its header and its width in characters (XLSX; 0
// leaves the default).
type Column struct {
	Header string
	Width  float64
}

// kind says how a cell is typed.
type kind uint8

const (
	kindEmpty kind = iota
	kindText
	kindDate
	kindMoney
	kindInt
	kindHundredths
)

// Cell is one typed value of a row. Build it with Text, Date, Money or Int; the zero
// Cell is empty.
type Cell struct {
	kind  kind
	text  string
	date  coop.PartialDate
	money coop.Sum
	num   int64
}

// Text is a text cell ("" is empty).
func Text(s string) Cell {
	if s == "" {
		return Cell{}
	}
	return Cell{kind: kindText, text: s}
}

// Date is a date cell keeping its precision (the zero date is empty). XLSX stores its
// first day as a date shown with the known precision; CSV writes it as sent
// ("2016", "2016-11", "2016-11-15").
func Date(d coop.PartialDate) Cell {
	if d.IsZero() {
		return Cell{}
	}
	return Cell{kind: kindDate, date: d}
}

// Money is an amount in euro (nil is empty).
func Money(c *coop.Cents) Cell {
	if c == nil {
		return Cell{}
	}
	return Cell{kind: kindMoney, money: c.Sum()}
}

// MoneySum is a sum of amounts in euro, exact whatever its size.
func MoneySum(s coop.Sum) Cell { return Cell{kind: kindMoney, money: s} }

// Int is a whole number (nil is empty).
func Int(n *int64) Cell {
	if n == nil {
		return Cell{}
	}
	return Cell{kind: kindInt, num: *n}
}

// Hundredths is a decimal number with two fraction digits, given in hundredths
// (30328 is 303.28; nil is empty): an area in km², say.
func Hundredths(n *int64) Cell {
	if n == nil {
		return Cell{}
	}
	return Cell{kind: kindHundredths, num: *n}
}

// Writer is a table being written: a header (written by the constructor), then rows.
// Close finishes the file; a Writer must not be used after Close.
type Writer interface {
	// WriteRow writes one row; cells beyond the columns are an error.
	WriteRow(cells []Cell) error
	// Flush hands the rows written so far on to the destination (and flushes it, if it
	// can be flushed) where the format allows it.
	Flush() error
	// Close finishes the file and writes what remains.
	Close() error
}

// flush flushes w if it can be flushed (an HTTP response, a bufio.Writer).
func flush(w io.Writer) error {
	switch f := w.(type) {
	case interface{ Flush() error }:
		return f.Flush()
	case interface{ Flush() }:
		f.Flush()
	}
	return nil
}
