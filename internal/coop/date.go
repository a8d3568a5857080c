package coop

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// PartialDate is a calendar date whose precision is kept: a year, a month or a day.
// Month and Day are 0 when unknown. The zero value is "no date".
type PartialDate struct {
	Year, Month, Day int
}

var partialDateRe = regexp.MustCompile(`^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$`)

// ParsePartialDate parses "2016", "2016-11" or "2016-11-15" and checks the calendar.
func ParsePartialDate(s string) (PartialDate, error) {
	m := partialDateRe.FindStringSubmatch(s)
	if m == nil {
		return PartialDate{}, fmt.Errorf("%q ist kein Datum der Form JJJJ, JJJJ-MM oder JJJJ-MM-TT", s)
	}
	d := PartialDate{}
	d.Year, _ = strconv.Atoi(m[1])
	if d.Year < 1000 {
		return PartialDate{}, fmt.Errorf("Jahr %q außerhalb des Bereichs", m[1])
	}
	if m[2] != "" {
		d.Month, _ = strconv.Atoi(m[2])
		if d.Month < 1 || d.Month > 12 {
			return PartialDate{}, fmt.Errorf("Monat %q gibt es nicht", m[2])
		}
	}
	if m[3] != "" {
		d.Day, _ = strconv.Atoi(m[3])
		t := time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
		if d.Day < 1 || t.Day() != d.Day {
			return PartialDate{}, fmt.Errorf("Tag %q gibt es im Monat %s nicht", m[3], m[2])
		}
	}
	return d, nil
}

// MustPartialDate parses s and panics on error; for constants such as the seed.
func MustPartialDate(s string) PartialDate {
	d, err := ParsePartialDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// IsZero reports whether d is "no date".
func (d PartialDate) IsZero() bool { return d.Year == 0 }

// String formats d with its precision ("" for no date).
func (d PartialDate) String() string {
	switch {
	case d.Year == 0:
		return ""
	case d.Month == 0:
		return fmt.Sprintf("%04d", d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	default:
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
	}
}

// First is the first day d covers; sorting and timelines treat a partial date as it.
func (d PartialDate) First() time.Time {
	m, day := d.Month, d.Day
	if m == 0 {
		m = 1
	}
	if day == 0 {
		day = 1
	}
	return time.Date(d.Year, time.Month(m), day, 0, 0, 0, 0, time.UTC)
}

// End is the first day after the period d covers (exclusive upper bound).
func (d PartialDate) End() time.Time {
	switch {
	case d.Month == 0:
		return time.Date(d.Year+1, 1, 1, 0, 0, 0, 0, time.UTC)
	case d.Day == 0:
		return time.Date(d.Year, time.Month(d.Month)+1, 1, 0, 0, 0, 0, time.UTC)
	default:
		return d.First().AddDate(0, 0, 1)
	}
}

// Key is the sortable day form "YYYY-MM-DD" of First (stored beside the precise text).
func (d PartialDate) Key() string {
	if d.IsZero() {
		return ""
	}
	return d.First().Format(time.DateOnly)
}

// Before reports whether d starts before e (by their first days).
func (d PartialDate) Before(e PartialDate) bool { return d.First().Before(e.First()) }

// InFuture reports whether d starts after today.
func (d PartialDate) InFuture(now time.Time) bool {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	return d.First().After(today)
}

// DateFromTime returns the day-precision PartialDate of t.
func DateFromTime(t time.Time) PartialDate {
	t = t.UTC()
	return PartialDate{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}
}
