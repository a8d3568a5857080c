package search

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

func answer(total int64) (coop.SearchResult, int64, error) {
	r := emptyResult()
	r.Total = total
	return r, 0, nil
}

func key(s string) cacheKey { return newCacheKey(compiled{fold: s}, []string{"project"}, 20, "") }

// The cache keeps at most its size of answers, the least recently used leaving first,
// and only answers of the newest data version.
func TestCacheEvictsAndFollowsVersions(t *testing.T) {
	c := newCache(2)
	ctx := context.Background()
	runs := 0
	at := func(v int64, total int64) func() (coop.SearchResult, int64, error) {
		return func() (coop.SearchResult, int64, error) {
			runs++
			r, _, err := answer(total)
			return r, v, err
		}
	}
	for _, k := range []string{"a", "b", "a", "c"} { // c evicts b, the least recently used
		if _, err := c.do(ctx, key(k), 1, at(1, 1)); err != nil {
			t.Fatal(err)
		}
	}
	if runs != 3 {
		t.Errorf("%d queries for a, b, a, c; want 3", runs)
	}
	if _, err := c.do(ctx, key("b"), 1, at(1, 1)); err != nil || runs != 4 {
		t.Errorf("b after eviction: %d queries, %v", runs, err)
	}
	// A newer version empties the cache; an answer read at an older one (a lagging
	// replica) is not kept.
	if _, err := c.do(ctx, key("a"), 2, at(1, 1)); err != nil || runs != 5 {
		t.Fatalf("a at version 2: %d queries, %v", runs, err)
	}
	if _, err := c.do(ctx, key("a"), 2, at(2, 2)); err != nil || runs != 6 {
		t.Fatalf("a at version 2 again: %d queries (the older answer was kept?), %v", runs, err)
	}
	if r, err := c.do(ctx, key("a"), 2, at(2, 3)); err != nil || runs != 6 || r.Total != 2 {
		t.Errorf("a from the cache: total %d after %d queries, %v", r.Total, runs, err)
	}
	if c.hits.Load() != 2 || c.misses.Load() != 6 {
		t.Errorf("hits %d, misses %d; want 2, 6", c.hits.Load(), c.misses.Load())
	}
}

// Requests for the same answer at the same time run one query; when that fails, the
// others run it themselves.
func TestCacheRunsOneQueryForMany(t *testing.T) {
	c := newCache(10)
	var runs atomic.Int32
	release := make(chan struct{})
	query := func() (coop.SearchResult, int64, error) {
		runs.Add(1)
		<-release
		r, _, err := answer(7)
		return r, 1, err
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if r, err := c.do(context.Background(), key("x"), 1, query); err != nil || r.Total != 7 {
				t.Errorf("answer %d, %v", r.Total, err)
			}
		})
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	if n := runs.Load(); n != 1 {
		t.Errorf("%d queries for 8 requests at once, want 1", n)
	}

	failed := errors.New("client gone")
	block := make(chan struct{})
	leader := func() (coop.SearchResult, int64, error) { <-block; return emptyResult(), 0, failed }
	done := make(chan error)
	go func() { _, err := c.do(context.Background(), key("y"), 1, leader); done <- err }()
	time.Sleep(20 * time.Millisecond)
	go func() { close(block) }()
	r, err := c.do(context.Background(), key("y"), 1, func() (coop.SearchResult, int64, error) { return answer(9) })
	if err != nil || r.Total != 9 {
		t.Errorf("follower of a failed query: %d, %v", r.Total, err)
	}
	if err := <-done; !errors.Is(err, failed) {
		t.Errorf("leader: %v", err)
	}
}

// A key is 32 bytes whatever the query, and an answer handed out is a copy.
func TestCacheKeyBoundedAndAnswersCopied(t *testing.T) {
	long := compiled{fold: strings.Repeat("x", 10_000)}
	if k := newCacheKey(long, []string{"partner"}, 100, strings.Repeat("c", 1024)); len(k) != 32 {
		t.Errorf("key of %d bytes", len(k))
	}
	c := newCache(1)
	q := func() (coop.SearchResult, int64, error) {
		r, _, _ := answer(1)
		r.Facets.Type["project"] = 1
		r.Items = []coop.SearchHit{{Slug: "a"}}
		return r, 1, nil
	}
	r, _ := c.do(context.Background(), key("k"), 1, q)
	r.Facets.Type["project"] = 99
	r.Items[0].Slug = "changed"
	again, _ := c.do(context.Background(), key("k"), 1, q)
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
