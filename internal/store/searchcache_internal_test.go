package store

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

func answer(total int64) coop.SearchResult {
	return coop.SearchResult{Items: []coop.SearchHit{}, Total: total}
}

// The cache keeps at most max answers, dropping the least recently used, and only
// those of the newest data version it has seen.
func TestSearchCacheBoundsAndVersions(t *testing.T) {
	c := newSearchCache(2)
	total := func(key string, version int64) int64 {
		res, ok := c.get(key, version)
		if !ok {
			return -1
		}
		return res.Total
	}
	c.put("a", 5, answer(1))
	c.put("b", 5, answer(2))
	if total("a", 5) != 1 { // a is now used last
		t.Fatal("a not kept")
	}
	c.put("c", 5, answer(3)) // evicts b
	if total("b", 5) != -1 || total("a", 5) != 1 || total("c", 5) != 3 || c.lru.Len() != 2 {
		t.Errorf("after eviction: b %d, a %d, c %d, %d entries", total("b", 5), total("a", 5), total("c", 5), c.lru.Len())
	}
	// an older version (a lagging replica's answer) neither hits nor clears
	c.put("d", 4, answer(4))
	if total("a", 4) != -1 || total("d", 5) != -1 || total("a", 5) != 1 {
		t.Errorf("older version: a@4 %d, d@5 %d, a@5 %d", total("a", 4), total("d", 5), total("a", 5))
	}
	// a newer one empties the cache
	if total("a", 6) != -1 || total("a", 5) != -1 || c.lru.Len() != 0 {
		t.Errorf("newer version: a@6 %d, a@5 %d, %d entries", total("a", 6), total("a", 5), c.lru.Len())
	}
	c.put("a", 7, answer(7)) // an answer computed at a newer version than looked up
	if total("a", 7) != 7 || total("a", 6) != -1 {
		t.Errorf("answer of version 7 not kept under 7")
	}
}

// Concurrent misses of one key and version run the query once; when it fails, the
// waiting requests run their own.
func TestSearchCacheOneQueryInFlight(t *testing.T) {
	c := newSearchCache(10)
	ctx := context.Background()
	for _, fail := range []bool{false, true} {
		var calls atomic.Int32
		release := make(chan struct{})
		query := func() (coop.SearchResult, int64, error) {
			if calls.Add(1) == 1 {
				<-release
				if fail {
					return coop.SearchResult{}, 0, errors.New("client went away")
				}
			}
			return answer(42), 9, nil
		}
		const n = 8
		var wg sync.WaitGroup
		errs := make([]error, n)
		results := make([]coop.SearchResult, n)
		var started sync.WaitGroup
		started.Add(n)
		for i := range n {
			wg.Go(func() {
				started.Done()
				results[i], errs[i] = c.do(ctx, "k", 9, query)
			})
		}
		started.Wait()
		time.Sleep(50 * time.Millisecond) // let them all queue behind the first
		close(release)
		wg.Wait()
		failed := 0
		for i := range n {
			switch {
			case errs[i] != nil:
				failed++
			case results[i].Total != 42:
				t.Errorf("fail=%v: answer %d", fail, results[i].Total)
			}
		}
		if !fail && (calls.Load() != 1 || failed != 0) {
			t.Errorf("%d queries for %d concurrent misses (%d failed), want 1", calls.Load(), n, failed)
		}
		if fail && (failed != 1 || calls.Load() != n) {
			t.Errorf("after a failed query: %d failed, %d queries, want 1 and %d", failed, calls.Load(), n)
		}
		c = newSearchCache(10)
	}
}
