package search

import (
	"context"
	"strings"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// A key is 32 bytes whatever the query, and an answer handed out is a copy.
func TestCacheKeyBoundedAndAnswersCopied(t *testing.T) {
	long := compiled{fold: strings.Repeat("x", 10_000)}
	if k := newCacheKey(long, []string{"partner"}, 100, strings.Repeat("c", 1024)); len(k) != 32 {
		t.Errorf("key of %d bytes", len(k))
	}
	c := newCache(1)
	q := func() (coop.SearchResult, int64, error) {
		r := emptyResult()
		r.Total = 1
		r.Facets.Type["project"] = 1
		r.Items = []coop.SearchHit{{Slug: "a"}}
		return r, 1, nil
	}
	key := newCacheKey(compiled{fold: "k"}, []string{"project"}, 20, "")
	r, _ := c.Do(context.Background(), key, 1, q)
	r.Facets.Type["project"] = 99
	r.Items[0].Slug = "changed"
	again, _ := c.Do(context.Background(), key, 1, q)
	if again.Facets.Type["project"] != 1 || again.Items[0].Slug != "a" {
		t.Errorf("a caller changed the kept answer: %+v", again)
	}
}

// Cursors round-trip; anything else a client sends as a cursor is refused.
func TestCursor(t *testing.T) {
	c := cursor{Band: 3, Score: 0.7333333333333334, Name: "it hotline", Type: "project", ID: "f050934b-e474-46a2-bc61-9c5e480faa2a", Doc: 7}
	got, err := parseCursor(c.String())
	if err != nil || *got != c {
		t.Errorf("round trip: %+v, %v", got, err)
	}
	for _, bad := range []string{"!", strings.Repeat("a", maxCursorLen+1),
		cursor{Band: 5, Score: 0.5, Type: "project", ID: c.ID, Doc: 1}.String(),
		cursor{Band: 3, Score: 0.5, Type: "project", ID: c.ID}.String(),
		cursor{Band: 3, Score: 2, Type: "project", ID: c.ID}.String(),
		cursor{Band: 3, Score: 0.5, Type: "user", ID: c.ID}.String(),
		cursor{Band: 3, Score: 0.5, Type: "project", ID: "1 OR 1=1"}.String()} {
		if _, err := parseCursor(bad); err == nil {
			t.Errorf("cursor %q accepted", bad)
		}
	}
}
