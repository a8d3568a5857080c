package region

import (
	"slices"
	"strings"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/textsearch"
)

// findScan is Find as it was before the index: a scan over every region, each hit's
// sort values as strings, a full sort. TestFindIndexed holds Find to its answers.
func (reg *Register) findScan(q Query) (Page, error) {
	limit := q.Limit
	if limit == 0 {
		limit = DefaultLimit
	}
	if limit < 1 || limit > MaxLimit {
		return Page{}, coop.Errorf(coop.EInvalid, "limit")
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
			return Page{}, coop.Errorf(coop.EInvalid, "sort")
		}
	}
	sig := sortSignature(keys)
	var after []string
	if q.Cursor != "" {
		c, err := decodeCursor(q.Cursor)
		if err != nil || c.Sort != sig || len(c.Vals) != len(keys)+1 {
			return Page{}, coop.Errorf(coop.EInvalid, "cursor")
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
		tier, ok := scanMatch(m, reg, x)
		if !ok {
			continue
		}
		hits = append(hits, hit{i, scanSortValues(x, keys, tier)})
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

func scanSortValues(x *Region, keys []coop.SortKey, tier int) []string {
	out := make([]string, 0, len(keys)+1)
	for _, k := range keys {
		switch k.Field {
		case "name":
			out = append(out, x.folded+"\x00"+x.Name)
		case "ars":
			out = append(out, x.Key)
		case "population":
			out = append(out, fmtPadded(x.Population))
		case "relevance":
			out = append(out, string(rune('0'+tier))+fmtPadded(999_999_999_999_999-x.Population)+x.folded)
		}
	}
	return append(out, x.Key)
}

func fmtPadded(n int64) string {
	s := strings.Repeat("0", 15) + itoa(n)
	return s[len(s)-15:]
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func scanMatch(m matcher, reg *Register, x *Region) (int, bool) {
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
