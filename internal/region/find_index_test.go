package region

import (
	"fmt"
	"slices"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// Find through the index answers as the scan over the whole register did: the same
// regions in the same order, the same total, the same cursors (followed to the end),
// for name searches, key prefixes, every filter and sort, alone and combined.
func TestFindIndexed(t *testing.T) {
	reg, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	var qs []Query
	for _, s := range []string{"Munster", "Muenster", "münster", "MÜNSTER stadt", "Münst", "m", "s", "st", "sankt", "bad",
		"neu", "Neustadt", "Frankfurt", "frankfurt main", "am", "Koeln", "Halle Saale", "Region", "kreis", "Berlin", "a b",
		"05", "0", "05515", "055150000000", "05515000", "0551500", "1", "16", "160", "1234567890123", "zzzz", "ß"} {
		qs = append(qs, Query{Q: s}, Query{Q: s, Limit: 3}, Query{Q: s, Levels: []string{Municipality}},
			Query{Q: s, States: []string{"DE-NW", "DE-BY"}}, Query{Q: s, Sort: []coop.SortKey{{Field: "population", Desc: true}}})
	}
	sorts := [][]coop.SortKey{nil, {{Field: "name", Desc: true}}, {{Field: "ars"}}, {{Field: "ars", Desc: true}, {Field: "name"}},
		{{Field: "population"}, {Field: "name", Desc: true}}, {{Field: "population", Desc: true}}}
	for _, f := range []Query{
		{}, {Levels: []string{State}}, {Levels: []string{District, Municipality}}, {Kinds: []string{"independent_city", "amt"}},
		{States: []string{"DE-NW"}}, {States: []string{"DE-HB", "DE-HB", "DE-SL"}}, {ARS: []string{"055", "05", "09162"}},
		{ARS: []string{"055150000000"}}, {ARS: []string{"0551500000001"}}, {AGS: []string{"05515", "091"}}, {AGS: []string{"05515000"}},
		{Parent: "05"}, {Parent: "05515"}, {Parent: "055150000"}, {Parent: "x"}, {Parent: "99"},
		{Levels: []string{Association}, States: []string{"DE-RP"}, Kinds: []string{"collective_municipality"}},
		{ARS: []string{"03"}, AGS: []string{"032"}, Levels: []string{Municipality}},
	} {
		for _, s := range sorts {
			q := f
			q.Sort = s
			qs = append(qs, q)
			if len(f.Levels) > 0 || len(f.Kinds) > 0 || f.Parent != "" {
				q.Q = "Ober"
				qs = append(qs, q)
			}
		}
	}
	qs = append(qs, Query{Q: "berg", Sort: []coop.SortKey{{Field: "relevance", Desc: true}, {Field: "ars", Desc: true}}},
		Query{Q: "bach", Sort: []coop.SortKey{{Field: "name"}, {Field: "relevance"}}})
	for _, q := range qs {
		name := fmt.Sprintf("%+v", q)
		for _, limit := range []int{0, 1, 7, 500} {
			q := q
			if q.Limit == 0 {
				q.Limit = limit
			}
			for page := 0; ; page++ {
				got, err1 := reg.Find(q)
				want, err2 := reg.findScan(q)
				if (err1 == nil) != (err2 == nil) {
					t.Fatalf("%s: error %v, the scan's %v", name, err1, err2)
				}
				if got.Total != want.Total || got.NextCursor != want.NextCursor || !slices.EqualFunc(got.Items, want.Items,
					func(a, b Region) bool { return a.Key == b.Key }) {
					t.Fatalf("%s limit %d page %d: total %d next %q items %v;\nthe scan: total %d next %q items %v", name, q.Limit, page,
						got.Total, got.NextCursor, regionKeys(got.Items), want.Total, want.NextCursor, regionKeys(want.Items))
				}
				// Follow a few pages, up to ten of 500.
				if got.NextCursor == "" || page == 2 && q.Limit < 500 || page == 9 {
					break
				}
				q.Cursor = got.NextCursor
			}
		}
	}
}

func regionKeys(list []Region) []string {
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = x.Key
	}
	return out
}
