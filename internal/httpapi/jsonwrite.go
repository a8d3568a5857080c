package httpapi

import (
	"errors"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// jsonAppender is an answer that writes its own JSON instead of going through
// encoding/json's reflection: the hot paths (a page of projects, one project). Its
// bytes must be exactly those encoding/json (HTML escaping off) gives the documented
// DTO; jsonwrite_test.go and FuzzProjectJSON hold it to that.
type jsonAppender interface {
	appendJSON(b []byte) ([]byte, error)
}

// projectJSON is a project as the Project DTO (projectOut), written straight from the
// domain value: no DTO, no formatted dates or amounts on the heap.
type projectJSON struct {
	p       *coop.Project
	finance bool
}

func (x projectJSON) appendJSON(b []byte) ([]byte, error) { return appendProject(b, x.p, x.finance) }

// etagVariant: a project with its finance is a representation of its own.
func (x projectJSON) etagVariant() string { return financeVariant(x.finance) }

// projectsJSON is a page's items as []Project (projectsOut).
type projectsJSON struct {
	list    []coop.Project
	finance bool
}

func (x projectsJSON) appendJSON(b []byte) ([]byte, error) {
	b = append(b, '[')
	var err error
	for i := range x.list {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = appendProject(b, &x.list[i], x.finance); err != nil {
			return b, err
		}
	}
	return append(b, ']'), nil
}

// listJSON is listBody with items that write themselves.
type listJSON struct {
	items jsonAppender
	next  *string
	total int64
}

func (x listJSON) appendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"items":`...)
	b, err := x.items.appendJSON(b)
	if err != nil {
		return b, err
	}
	b = append(b, `,"next_cursor":`...)
	if x.next == nil {
		b = append(b, "null"...)
	} else {
		b = appendJSONString(b, *x.next)
	}
	b = append(b, `,"total":`...)
	b = strconv.AppendInt(b, x.total, 10)
	return append(b, '}'), nil
}

// appendProject writes p in the Project DTO's field order, with its omitempty fields,
// empty lists as [] and finance only when asked for.
func appendProject(b []byte, p *coop.Project, finance bool) ([]byte, error) {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, p.ID)
	b = append(b, `,"slug":`...)
	b = appendJSONString(b, p.Slug)
	b = append(b, `,"title":`...)
	b = appendJSONString(b, p.Title)
	if p.Description != "" {
		b = append(b, `,"description":`...)
		b = appendJSONString(b, p.Description)
	}
	b = append(b, `,"cooperation":`...)
	b = appendRef(b, cooperationsPath, &p.Cooperation)
	b = append(b, `,"solution":`...)
	if p.Solution == nil {
		b = append(b, "null"...)
	} else {
		b = appendRef(b, solutionsPath, p.Solution)
	}
	b = append(b, `,"category":`...)
	b = appendJSONString(b, p.Category)
	b = append(b, `,"status":`...)
	b = appendJSONString(b, p.Status)
	b = append(b, `,"participants":[`...)
	for i := range p.Participants {
		x := &p.Participants[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"partner":`...)
		b = appendRef(b, partnersPath, &x.Partner)
		b = append(b, `,"role":`...)
		b = appendJSONString(b, x.Role)
		b = appendDateField(b, `,"since":`, x.Since)
		b = appendDateField(b, `,"until":`, x.Until)
		b = append(b, '}')
	}
	b = append(b, ']')
	b = appendDateField(b, `,"started_on":`, p.StartedOn)
	b = appendDateField(b, `,"planned_end_on":`, p.PlannedEndOn)
	b = appendDateField(b, `,"ended_on":`, p.EndedOn)
	b = append(b, `,"legal_basis":`...)
	b = appendStrings(b, p.LegalBasis)
	b = append(b, `,"tags":`...)
	b = appendStrings(b, p.Tags)
	b = append(b, `,"sources":[`...)
	for i := range p.Sources {
		s := &p.Sources[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"title":`...)
		b = appendJSONString(b, s.Title)
		if s.URL != "" {
			b = append(b, `,"url":`...)
			b = appendJSONString(b, s.URL)
		}
		b = appendDateField(b, `,"published_on":`, s.PublishedOn)
		b = append(b, '}')
	}
	b = append(b, ']')
	if finance {
		f := &p.Finance
		b = append(b, `,"finance":{"budget_planned":`...)
		b = appendCents(b, f.BudgetPlanned)
		b = append(b, `,"cost_actual":`...)
		b = appendCents(b, f.CostActual)
		b = append(b, `,"savings_estimated":`...)
		b = appendCents(b, f.SavingsEstimated)
		b = append(b, `,"currency":"EUR"}`...) // the DTO's constant, whatever is stored
	}
	b = append(b, `,"created_at":`...)
	b, err := appendTime(b, p.CreatedAt)
	if err != nil {
		return b, err
	}
	b = append(b, `,"updated_at":`...)
	if b, err = appendTime(b, p.UpdatedAt); err != nil {
		return b, err
	}
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, int64(p.Version), 10)
	return append(b, '}'), nil
}

func appendRef(b []byte, path string, r *coop.Ref) []byte {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, r.ID)
	b = append(b, `,"slug":`...)
	b = appendJSONString(b, r.Slug)
	b = append(b, `,"name":`...)
	b = appendJSONString(b, r.Name)
	// path is a constant of ASCII letters and slashes: written as it is before the
	// slug's escaped bytes, the href costs no string of its own (path+slug allocated
	// one per ref: 143 per page of 50)
	b = append(b, `,"href":"`...)
	b = append(b, path...)
	b = appendEscaped(b, r.Slug)
	return append(b, `"}`...)
}

// appendStrings writes a list; nil is [] as nonNil makes it.
func appendStrings(b []byte, list []string) []byte {
	b = append(b, '[')
	for i, s := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

// appendDateField writes an omitempty partial date (the DTO's string is empty exactly
// when the year is 0) with its key.
func appendDateField(b []byte, key string, d coop.PartialDate) []byte {
	if d.Year == 0 {
		return b
	}
	b = append(b, key...)
	// PartialDate.String's %04d and %02d, by hand for the values dates really have.
	if d.Year < 1 || d.Year > 9999 || d.Month < 0 || d.Month > 99 || d.Day < 0 || d.Day > 99 {
		return appendJSONString(b, d.String())
	}
	b = append(b, '"')
	b = appendDigits(b, d.Year, 4)
	if d.Month != 0 {
		b = append(b, '-')
		b = appendDigits(b, d.Month, 2)
		if d.Day != 0 {
			b = append(b, '-')
			b = appendDigits(b, d.Day, 2)
		}
	}
	return append(b, '"')
}

// appendDigits writes 0 ≤ v < 10^width zero-padded to width digits.
func appendDigits(b []byte, v, width int) []byte {
	var d [4]byte
	for i := width - 1; i >= 0; i-- {
		d[i] = byte('0' + v%10)
		v /= 10
	}
	return append(b, d[:width]...)
}

// appendCents writes an amount as centsStr does (Cents.String: "-12.05"), or null.
func appendCents(b []byte, c *coop.Cents) []byte {
	if c == nil {
		return append(b, "null"...)
	}
	v := int64(*c)
	if v == math.MinInt64 { // no positive counterpart; Cents.String's own rendering
		return appendJSONString(b, c.String())
	}
	b = append(b, '"')
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	b = strconv.AppendInt(b, v/100, 10)
	b = append(b, '.')
	b = appendDigits(b, int(v%100), 2)
	return append(b, '"')
}

// appendTime writes t in UTC as time.Time's MarshalJSON does (RFC 3339 with
// nanoseconds, trailing zeros cut), and fails like it on a year outside 0–9999.
func appendTime(b []byte, t time.Time) ([]byte, error) {
	b = append(b, '"')
	n := len(b)
	b = t.UTC().AppendFormat(b, time.RFC3339Nano)
	if b[n+4] != '-' {
		return b, errors.New("Time.MarshalJSON: year outside of range [0,9999]")
	}
	return append(b, '"'), nil
}

const lowerHex = "0123456789abcdef"

// appendJSONString quotes s as encoding/json does without HTML escaping: \" and \\,
// \b \f \n \r \t, other control characters as \u00xx, invalid UTF-8 bytes as \ufffd
// and U+2028, U+2029 as \u2028, \u2029; everything else as it is.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	b = appendEscaped(b, s)
	return append(b, '"')
}

// appendEscaped writes s as the inside of a JSON string (appendJSONString).
func appendEscaped(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		if i+8 <= len(s) && plain8(load8(s[i:])) {
			i += 8
			continue
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', lowerHex[c>>4], lowerHex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', lowerHex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	return append(b, s[start:]...)
}

// plain8 reports whether the eight bytes of x (load8) are ASCII that JSON takes as it
// is (no control character, quote or backslash), testing them at once: the common case
// of a description or title skips the byte-wise checks. The test has no false
// negatives (a word it passes is plain); a false positive only means the bytes are
// checked one by one.
func plain8(x uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	q, bs := x^(ones*'"'), x^(ones*'\\')
	// a byte < 0x20, a zero byte of q (a quote) or of bs (a backslash), or a byte ≥ 0x80
	return ((x-ones*0x20)&^x|(q-ones)&^q|(bs-ones)&^bs|x)&highs == 0
}

// load8 is the first eight bytes of s as one little-endian word (one load).
func load8(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}
