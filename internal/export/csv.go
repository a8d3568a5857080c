package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
)

// bom is the UTF-8 byte order mark: Excel reads a CSV file as UTF-8 only with it.
const bom = "\uFEFF"

// CSV writes a table as CSV: a UTF-8 BOM, CRLF line ends and RFC 4180 quoting.
//
// Comma ';' is the flavour for German Excel: money has a decimal comma ("125000,30"),
// which German Excel reads as a number (with a decimal point it would read "12.05" as
// the 12th of May). Comma ',' is RFC 4180 for programs: money as in the API
// ("125000.30"). Dates are ISO 8601 with their precision in both. Text that a
// spreadsheet would take for a formula is prefixed with an apostrophe (neutralise).
// Every CSV the service writes is written here.
type CSV struct {
	w     *csv.Writer
	dst   io.Writer
	comma rune
	cols  int
	rec   []string
}

// NewCSV starts a CSV table on dst with the separator comma (';' or ',') and writes the
// header row.
func NewCSV(dst io.Writer, cols []Column, comma rune) (*CSV, error) {
	if comma != ';' && comma != ',' {
		return nil, fmt.Errorf("export: unsupported CSV separator %q", comma)
	}
	if _, err := io.WriteString(dst, bom); err != nil {
		return nil, err
	}
	w := csv.NewWriter(dst)
	w.Comma, w.UseCRLF = comma, true
	c := &CSV{w: w, dst: dst, comma: comma, cols: len(cols), rec: make([]string, len(cols))}
	for i, col := range cols {
		c.rec[i] = col.Header
	}
	return c, w.Write(c.rec)
}

// WriteRow writes one record; missing trailing cells are empty.
func (c *CSV) WriteRow(cells []Cell) error {
	if len(cells) > c.cols {
		return fmt.Errorf("export: %d cells for %d columns", len(cells), c.cols)
	}
	for i := range c.rec {
		c.rec[i] = ""
		if i < len(cells) {
			c.rec[i] = c.format(cells[i])
		}
	}
	return c.w.Write(c.rec)
}

func (c *CSV) format(x Cell) string {
	switch x.kind {
	case kindText:
		return neutralise(x.text)
	case kindDate:
		return x.date.String()
	case kindMoney:
		s := x.money.String()
		if c.comma == ';' {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s
	case kindInt:
		return strconv.FormatInt(x.num, 10)
	case kindHundredths:
		s := hundredthsText(x.num)
		if c.comma == ';' {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s
	}
	return ""
}

// hundredthsText writes n hundredths as a decimal with two fraction digits: 30328 →
// "303.28", -5 → "-0.05".
func hundredthsText(n int64) string {
	sign := ""
	u := uint64(n)
	if n < 0 {
		sign, u = "-", uint64(-n)
	}
	return fmt.Sprintf("%s%d.%02d", sign, u/100, u%100)
}

// Flush writes the buffered records to dst and flushes dst if it can be flushed.
func (c *CSV) Flush() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return err
	}
	return flush(c.dst)
}

// Close flushes what remains.
func (c *CSV) Close() error { return c.Flush() }

// neutralise prefixes text that a spreadsheet would take for a formula with an
// apostrophe, per OWASP's advice on CSV injection: text starting with =, +, - or @,
// also after leading blanks (spreadsheets skip them), and text starting with a tab or
// a line break. XLSX needs none of this: its text cells are never formulas.
func neutralise(s string) string {
	if s == "" {
		return s
	}
	if strings.ContainsRune("\t\r\n", rune(s[0])) {
		return "'" + s
	}
	if t := strings.TrimLeftFunc(s, unicode.IsSpace); t != "" && strings.ContainsRune("=+-@", rune(t[0])) {
		return "'" + s
	}
	return s
}
