package region

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/textsearch"
)

// Paging limits, as for every list of the directory.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// SortFields are the fields regions can be sorted by: name (folded: Münster beside
// Muenster), ars (by key: enclosing regions before the regions in them), population;
// relevance only with a name search (whole-name matches first, then whole words, then
// word beginnings; larger places first).
var SortFields = []string{"ars", "name", "population", "relevance"}

// Query selects regions. Every filter given must hold; a list filter holds if any of
// its values does. Paging is keyset: Cursor is a NextCursor of the same query.
type Query struct {
	// Q searches names (German folding: "Munster" and "Muenster" find Münster; every
	// word of Q must begin a word of the name); digits only search ARS and AGS prefixes.
	Q      string
	Levels []string
	Kinds  []string
	States []string // ISO 3166-2
	ARS    []string // prefixes of the 12-digit ARS (12 digits: that ARS)
	AGS    []string // prefixes of the 8-digit AGS
	Parent string   // key: only the regions directly in it
	Sort   []coop.SortKey
	Limit  int
	Cursor string
}

// Page is one page of regions, the number of all matches and the next page's cursor
// ("" on the last).
type Page struct {
	Items      []Region
	Total      int
	NextCursor string
}

type cursor struct {
	Sort string   `json:"s"`
	Vals []string `json:"v"`
}

// Find lists the regions q selects, one page. Errors are coop.EInvalid: a bad limit,
// sort field or cursor.
func (reg *Register) Find(q Query) (Page, error) {
	limit := q.Limit
	if limit == 0 {
		limit = DefaultLimit
	}
	if limit < 1 || limit > MaxLimit {
		return Page{}, coop.Errorf(coop.EInvalid, "limit muss zwischen 1 und %d liegen", MaxLimit)
	}
	m, err := newMatcher(q)
	if err != nil {
		return Page{}, err
	}
	keys := q.Sort
	if len(keys) == 0 {
		keys = []coop.SortKey{{Field: "name"}}
		if m.words != nil {
			keys = []coop.SortKey{{Field: "relevance"}}
		}
	}
	for _, k := range keys {
		if !slices.Contains(SortFields, k.Field) || (k.Field == "relevance" && m.words == nil) {
			return Page{}, coop.Errorf(coop.EInvalid, "Unbekanntes Sortierfeld %q; erlaubt: ars, name, population (relevance nur mit q)", k.Field)
		}
	}
	sig := sortSignature(keys)
	var after []string
	if q.Cursor != "" {
		c, err := decodeCursor(q.Cursor)
		if err != nil || c.Sort != sig || len(c.Vals) != len(keys)+1 {
			return Page{}, coop.Errorf(coop.EInvalid, "Ungültiger cursor / invalid cursor")
		}
		after = c.Vals
	}
	type hit struct {
		i    int
		vals []string
	}
	var hits []hit
	for i := range reg.regions {
		x := &reg.regions[i]
		tier, ok := m.match(reg, x)
		if !ok {
			continue
		}
		hits = append(hits, hit{i, sortValues(x, keys, tier)})
	}
	cmp := func(a, b []string) int {
		for j, k := range keys {
			if c := strings.Compare(a[j], b[j]); c != 0 {
				if k.Desc {
					return -c
				}
				return c
			}
		}
		return strings.Compare(a[len(keys)], b[len(keys)])
	}
	slices.SortFunc(hits, func(a, b hit) int { return cmp(a.vals, b.vals) })
	page := Page{Total: len(hits)}
	start := 0
	if after != nil {
		start, _ = slices.BinarySearchFunc(hits, after, func(h hit, t []string) int {
			if cmp(h.vals, t) <= 0 {
				return -1
			}
			return 1
		})
	}
	end := min(start+limit, len(hits))
	for _, h := range hits[start:end] {
		page.Items = append(page.Items, reg.regions[h.i])
	}
	if end < len(hits) {
		page.NextCursor = encodeCursor(cursor{Sort: sig, Vals: hits[end-1].vals})
	}
	return page, nil
}

// sortValues are x's values for keys as comparable strings, then its key (the
// tie-breaker).
func sortValues(x *Region, keys []coop.SortKey, tier int) []string {
	out := make([]string, 0, len(keys)+1)
	for _, k := range keys {
		switch k.Field {
		case "name":
			out = append(out, x.folded+"\x00"+x.Name)
		case "ars":
			out = append(out, x.Key)
		case "population":
			out = append(out, fmt.Sprintf("%015d", x.Population))
		case "relevance":
			out = append(out, fmt.Sprintf("%d%015d%s", tier, 999_999_999_999_999-x.Population, x.folded))
		}
	}
	return append(out, x.Key)
}

// matcher holds a query's filters prepared for a scan over the register.
type matcher struct {
	q      Query
	words  []string // folded words of a name search; nil without one
	whole  string   // the folded search as one string
	digits string   // a search by key prefix
}

func newMatcher(q Query) (matcher, error) {
	m := matcher{q: q}
	for _, l := range q.Levels {
		if keyLen[l] == 0 {
			return m, coop.Errorf(coop.EInvalid, "level: unbekannter Wert %q", l)
		}
	}
	for _, lists := range [][]string{q.ARS, q.AGS} {
		for _, p := range lists {
			if !digits(p) {
				return m, coop.Errorf(coop.EInvalid, "ars/ags: nur Ziffern erlaubt, nicht %q", p)
			}
		}
	}
	s := strings.TrimSpace(q.Q)
	switch {
	case s == "":
	case digits(s):
		m.digits = s
	default:
		m.words = textsearch.Tokens(s)
		if len(m.words) == 0 {
			return m, coop.Errorf(coop.EInvalid, "q: kein Suchwort")
		}
		m.whole = strings.Join(m.words, " ")
	}
	return m, nil
}

// match reports whether x passes every filter and, for a name search, its tier: 0 the
// whole name (before a designation such as ", Stadt"), 1 whole words, 2 word beginnings.
func (m matcher) match(reg *Register, x *Region) (int, bool) {
	q := m.q
	if len(q.Levels) > 0 && !slices.Contains(q.Levels, x.Level) ||
		len(q.Kinds) > 0 && !slices.Contains(q.Kinds, x.Kind) ||
		len(q.States) > 0 && !slices.Contains(q.States, x.State()) {
		return 0, false
	}
	if q.Parent != "" && (x.parent < 0 || reg.regions[x.parent].Key != q.Parent) {
		return 0, false
	}
	if len(q.ARS) > 0 && !slices.ContainsFunc(q.ARS, x.arsHasPrefix) ||
		len(q.AGS) > 0 && !slices.ContainsFunc(q.AGS, x.agsHasPrefix) {
		return 0, false
	}
	if m.digits != "" && !x.arsHasPrefix(m.digits) && !x.agsHasPrefix(m.digits) {
		return 0, false
	}
	if m.words == nil {
		return 0, true
	}
	tier := 1
	for _, w := range m.words {
		found, whole := wordPrefix(x.folded, w)
		if !found {
			return 0, false
		}
		if !whole {
			tier = 2
		}
	}
	if base, _, _ := strings.Cut(x.Name, ","); textsearch.Fold(base) == m.whole {
		tier = 0
	}
	return tier, true
}

// wordPrefix reports whether w begins a word of the folded text s, and whether it is
// a whole word there (at its best place).
func wordPrefix(s, w string) (found, whole bool) {
	for i := 0; i+len(w) <= len(s); {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return found, false
		}
		j += i
		if j == 0 || s[j-1] == ' ' {
			found = true
			if end := j + len(w); end == len(s) || s[end] == ' ' {
				return true, true
			}
		}
		i = j + 1
	}
	return found, false
}

// arsHasPrefix reports whether x.ARS() begins with p, without building the ARS (a
// scan over the register asks it 16,000 times).
func (x *Region) arsHasPrefix(p string) bool { return paddedHasPrefix(x.Key, 12, p) }

// agsHasPrefix is arsHasPrefix for x.AGS().
func (x *Region) agsHasPrefix(p string) bool {
	switch x.Level {
	case RegionLevel, Association:
		return false
	case Municipality:
		if len(p) <= 5 {
			return x.Key[:len(p)] == p
		}
		return len(p) <= 8 && x.Key[:5] == p[:5] && strings.HasPrefix(x.Key[9:], p[5:])
	}
	return paddedHasPrefix(x.Key, 8, p)
}

// paddedHasPrefix reports whether key, padded with zeros to n digits, begins with p.
func paddedHasPrefix(key string, n int, p string) bool {
	if len(p) > n {
		return false
	}
	if len(p) <= len(key) {
		return key[:len(p)] == p
	}
	return strings.HasPrefix(p, key) && strings.Trim(p[len(key):], "0") == ""
}

func sortSignature(keys []coop.SortKey) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k.Field
		if k.Desc {
			parts[i] = "-" + k.Field
		}
	}
	return strings.Join(parts, ",")
}

func encodeCursor(c cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return c, err
	}
	return c, json.Unmarshal(b, &c)
}
