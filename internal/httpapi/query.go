package httpapi

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// query reads list parameters and collects the first problem as a 400.
type query struct {
	v   url.Values
	err error
}

func newQuery(c echo.Context) *query { return &query{v: c.QueryParams()} }

func (q *query) fail(format string, args ...any) {
	if q.err == nil {
		q.err = badRequest(format, args...)
	}
}

// list reads a comma-separated multi-value parameter; with an enum, each value must
// be one of its codes.
func (q *query) list(name string, e coop.Enum) []string {
	raw := q.v.Get(name)
	if raw == "" {
		return nil
	}
	var out []string
	for _, s := range strings.Split(raw, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if e != nil && !e.Has(s) {
			q.fail("%s: unbekannter Wert %q; erlaubt: %s / unknown value %[2]q; allowed: %[3]s", name, s, strings.Join(e.Codes(), ", "))
			return nil
		}
		out = append(out, s)
	}
	return out
}

func (q *query) str(name string, maxLen int) string {
	s := q.v.Get(name)
	if len(s) > maxLen {
		q.fail("%s: höchstens %d Zeichen / at most %[2]d characters", name, maxLen)
	}
	return s
}

func (q *query) date(name string) coop.PartialDate {
	s := q.v.Get(name)
	if s == "" {
		return coop.PartialDate{}
	}
	d, err := coop.ParsePartialDate(s)
	if err != nil {
		q.fail("%s: %s / not a date YYYY, YYYY-MM or YYYY-MM-DD", name, err.Error())
	}
	return d
}

func (q *query) time(name string) *time.Time {
	s := q.v.Get(name)
	if s == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		q.fail("%s: erwartet einen Zeitpunkt nach RFC 3339, z. B. 2026-01-31T12:00:00Z / expected an RFC 3339 time", name)
		return nil
	}
	t = t.UTC()
	return &t
}

func (q *query) intRange(name string, def, lo, hi int) int {
	s := q.v.Get(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		q.fail("%s: erwartet eine ganze Zahl von %d bis %d / expected an integer from %[2]d to %[3]d", name, lo, hi)
		return def
	}
	return n
}

// page reads limit, cursor and sort against the collection's sort whitelist.
func (q *query) page(sortable []string) coop.Page {
	p := coop.Page{Limit: q.intRange("limit", 50, 1, 500), Cursor: q.v.Get("cursor")}
	if len(p.Cursor) > 2048 {
		q.fail("cursor: zu lang / too long")
	}
	if raw := q.v.Get("sort"); raw != "" {
		seen := map[string]bool{}
		for _, f := range strings.Split(raw, ",") {
			k := coop.SortKey{Field: strings.TrimSpace(f)}
			if strings.HasPrefix(k.Field, "-") {
				k.Field, k.Desc = k.Field[1:], true
			}
			if !contains(sortable, k.Field) || seen[k.Field] {
				q.fail("sort: unbekanntes oder doppeltes Feld %q; erlaubt: %s / unknown or repeated field %[1]q; allowed: %[2]s", k.Field, strings.Join(sortable, ", "))
				break
			}
			seen[k.Field] = true
			p.Sort = append(p.Sort, k)
		}
	}
	return p
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// searchText reads q: present but empty or over-long is a 400.
func (q *query) searchText() string {
	if !q.v.Has("q") {
		return ""
	}
	s := strings.TrimSpace(q.v.Get("q"))
	if s == "" {
		q.fail("q: darf nicht leer sein / must not be empty")
	}
	if len([]rune(s)) > maxQueryLen {
		q.fail("q: höchstens %d Zeichen / at most %[1]d characters", maxQueryLen)
	}
	return s
}

// maxQueryLen bounds search input.
const maxQueryLen = 200

// known refuses parameters the endpoint does not know, so typos do not silently
// return everything.
func (q *query) known(names ...string) {
	for k := range q.v {
		if !contains(names, k) {
			q.fail("Unbekannter Parameter %q; erlaubt: %s / unknown parameter %[1]q; allowed: %[2]s", k, strings.Join(names, ", "))
			return
		}
	}
}

// maxKeyPrefixes bounds the values of a regional key filter (ars, ags, partner_ars):
// each is one more range in the query.
const maxKeyPrefixes = 20

// keyPrefixes reads a comma list of regional key prefixes: 1 to maxLen digits each
// (coop.MaxARSLen, coop.MaxAGSLen), at most maxKeyPrefixes of them.
func (q *query) keyPrefixes(name string, maxLen int) []string {
	vals := q.list(name, nil)
	if len(vals) > maxKeyPrefixes {
		q.fail("%s: höchstens %d Werte / at most %[2]d values", name, maxKeyPrefixes)
		return nil
	}
	for _, v := range vals {
		if len(v) > maxLen || strings.Trim(v, "0123456789") != "" {
			q.fail("%s: erwartet den Anfang eines Schlüssels, 1 bis %d Ziffern (z. B. 055 für den Regierungsbezirk Münster) / expected the start of a key, 1 to %[2]d digits", name, maxLen)
			return nil
		}
	}
	return vals
}
