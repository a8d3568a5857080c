package region

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strconv"
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
		return Page{}, coop.Errorf(coop.EInvalid, "limit muss zwischen 1 und %d liegen / limit must be 1..%[1]d", MaxLimit)
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
			return Page{}, coop.Errorf(coop.EInvalid, "Unbekanntes Sortierfeld %q; erlaubt: ars, name, population (relevance nur mit q) / unknown sort field %[1]q; allowed: ars, name, population (relevance only with q)", k.Field)
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
	lists, words, dups := reg.candidates(m)
	var seen []uint64 // the candidates checked, if some may come twice
	if dups {
		seen = make([]uint64, (len(reg.regions)+63)/64)
	}
	var page Page
	top := topK{k: limit + 1, cmp: reg.comparator(keys)}
	var scratch []byte
	check := func(i int32) {
		if seen != nil {
			if seen[i/64]&(1<<(i%64)) != 0 {
				return
			}
			seen[i/64] |= 1 << (i % 64)
		}
		tier, ok := m.match(reg, i)
		if !ok {
			return
		}
		page.Total++
		h := hit{i: i, tier: int8(tier)}
		if after != nil {
			var c int
			if c, scratch = reg.compareWith(scratch, h, keys, after); c <= 0 {
				return
			}
		}
		top.add(h)
	}
	for _, l := range lists {
		for _, i := range l {
			check(i)
		}
	}
	for _, w := range words {
		check(w.i)
	}
	hits := top.sorted()
	end := min(limit, len(hits))
	page.Items = make([]Region, 0, end)
	for _, h := range hits[:end] {
		page.Items = append(page.Items, reg.regions[h.i])
	}
	if end < len(hits) {
		page.NextCursor = encodeCursor(cursor{Sort: sig, Vals: reg.sortValues(hits[end-1], keys)})
	}
	return page, nil
}

// hit is a region a query selects, with its relevance tier.
type hit struct {
	i    int32
	tier int8
}

// Sort fields as comparator codes.
const (
	byName = iota
	byARS
	byPopulation
	byRelevance
)

var sortCodes = map[string]int{"name": byName, "ars": byARS, "population": byPopulation, "relevance": byRelevance}

// comparator orders hits by keys, then by key (the tie-breaker): the order of their
// sortValues, compared as integers through the index's ranks.
func (reg *Register) comparator(keys []coop.SortKey) func(a, b hit) int {
	type field struct {
		code int
		desc bool
	}
	fields := make([]field, len(keys))
	for j, k := range keys {
		fields[j] = field{sortCodes[k.Field], k.Desc}
	}
	ix, rs := &reg.ix, reg.regions
	return func(a, b hit) int {
		for _, f := range fields {
			var c int
			switch f.code {
			case byName:
				c = cmp.Compare(ix.nameRank[a.i], ix.nameRank[b.i])
			case byARS:
				c = cmp.Compare(ix.keyRank[a.i], ix.keyRank[b.i])
			case byPopulation:
				c = cmp.Compare(rs[a.i].Population, rs[b.i].Population)
			case byRelevance:
				c = cmp.Or(cmp.Compare(a.tier, b.tier), cmp.Compare(rs[b.i].Population, rs[a.i].Population),
					cmp.Compare(ix.foldRank[a.i], ix.foldRank[b.i]))
			}
			if c != 0 {
				if f.desc {
					return -c
				}
				return c
			}
		}
		return cmp.Compare(ix.keyRank[a.i], ix.keyRank[b.i])
	}
}

// appendSortValue appends h's value for the sort field as a cursor holds it (strings
// that compare as the field's values do).
func (reg *Register) appendSortValue(b []byte, h hit, field string) []byte {
	x := &reg.regions[h.i]
	switch field {
	case "name":
		b = append(append(append(b, x.folded...), 0), x.Name...)
	case "ars":
		b = append(b, x.Key...)
	case "population":
		b = appendPadded(b, x.Population)
	case "relevance":
		b = append(appendPadded(append(b, byte('0'+h.tier)), 999_999_999_999_999-x.Population), x.folded...)
	}
	return b
}

// appendPadded appends n (≥ 0) with at least 15 digits, zeros first.
func appendPadded(b []byte, n int64) []byte {
	var d [20]byte
	digits := strconv.AppendInt(d[:0], n, 10)
	for range 15 - len(digits) {
		b = append(b, '0')
	}
	return append(b, digits...)
}

// sortValues are h's values for keys, then its key (the tie-breaker): what a cursor
// holds.
func (reg *Register) sortValues(h hit, keys []coop.SortKey) []string {
	out := make([]string, 0, len(keys)+1)
	var b []byte
	for _, k := range keys {
		b = reg.appendSortValue(b[:0], h, k.Field)
		out = append(out, string(b))
	}
	return append(out, reg.regions[h.i].Key)
}

// compareWith compares h with a cursor's values (-1, 0, +1: h sorts before, at or
// after them), using scratch as space for h's values (returned, perhaps grown).
func (reg *Register) compareWith(scratch []byte, h hit, keys []coop.SortKey, vals []string) (int, []byte) {
	for j, k := range keys {
		scratch = reg.appendSortValue(scratch[:0], h, k.Field)
		if c := compareBytes(scratch, vals[j]); c != 0 {
			if k.Desc {
				return -c, scratch
			}
			return c, scratch
		}
	}
	return strings.Compare(reg.regions[h.i].Key, vals[len(keys)]), scratch
}

// compareBytes is strings.Compare(string(b), s) without a copy of b.
func compareBytes(b []byte, s string) int {
	for i := range min(len(b), len(s)) {
		if b[i] != s[i] {
			return cmp.Compare(b[i], s[i])
		}
	}
	return cmp.Compare(len(b), len(s))
}

// topK keeps the k least hits of those added under cmp (a max-heap).
type topK struct {
	k   int
	cmp func(a, b hit) int
	h   []hit
}

func (t *topK) add(x hit) {
	if len(t.h) < t.k {
		t.h = append(t.h, x)
		for i := len(t.h) - 1; i > 0; {
			p := (i - 1) / 2
			if t.cmp(t.h[i], t.h[p]) <= 0 {
				break
			}
			t.h[i], t.h[p] = t.h[p], t.h[i]
			i = p
		}
		return
	}
	if t.cmp(x, t.h[0]) >= 0 {
		return
	}
	t.h[0] = x
	for i := 0; ; {
		c := 2*i + 1
		if c >= len(t.h) {
			return
		}
		if c+1 < len(t.h) && t.cmp(t.h[c+1], t.h[c]) > 0 {
			c++
		}
		if t.cmp(t.h[c], t.h[i]) <= 0 {
			return
		}
		t.h[i], t.h[c] = t.h[c], t.h[i]
		i = c
	}
}

// sorted returns the kept hits in order.
func (t *topK) sorted() []hit {
	slices.SortFunc(t.h, t.cmp)
	return t.h
}

// matcher holds a query's filters, prepared to check the candidates of the index.
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
			return m, coop.Errorf(coop.EInvalid, "level: unbekannter Wert %q / unknown value %[1]q", l)
		}
	}
	for _, lists := range [][]string{q.ARS, q.AGS} {
		for _, p := range lists {
			if !digits(p) {
				return m, coop.Errorf(coop.EInvalid, "ars/ags: nur Ziffern erlaubt, nicht %q / digits only, not %[1]q", p)
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
			return m, coop.Errorf(coop.EInvalid, "q: kein Suchwort / no search word")
		}
		m.whole = strings.Join(m.words, " ")
	}
	return m, nil
}

// match reports whether region i passes every filter and, for a name search, its
// tier: 0 the whole name (before a designation such as ", Stadt"), 1 whole words, 2
// word beginnings.
func (m matcher) match(reg *Register, i int32) (int, bool) {
	q, x := m.q, &reg.regions[i]
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
	if reg.ix.base[i] == m.whole {
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
