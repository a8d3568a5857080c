package store

import (
	"container/list"
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// The search cache keeps recent answers of Search in the process, for the directory's
// current data version only: portals send the same popular words over and over, and a
// frequent word costs a pass over thousands of matches.
//
// The data version is the id of the newest change-log entry (table data_version, kept
// by a trigger in the transaction of every write; migration 00005). Search reads it on
// the primary with every request (one row) and answers from the cache only what was
// computed at exactly that version: every instance serves fresh results right after
// any write, its own or another instance's (a portal finds what it just wrote).
// Writes commit in the order of their change ids (db.tx), so a version read after a
// commit is at least that commit's. The ranking statement reads the version in its own
// snapshot and the answer is stored under that one, so a lagging read replica never
// files old data under a newer version.

// DefaultSearchCacheEntries is the size of the search cache unless SetSearchCache
// says otherwise. An entry is one answer: up to limit hits with snippets and the
// facets, a few kB at the default limit of 20.
const DefaultSearchCacheEntries = 1000

// searchCache is a bounded LRU of answers for one data version, with at most one
// query in flight per key and version.
type searchCache struct {
	max int

	mu      sync.Mutex
	version int64                    // the newest data version seen; entries are of it
	entries map[string]*list.Element // of *searchEntry
	lru     list.List                // front: used last
	flights map[string]*searchFlight // by key and version

	hits, misses atomic.Uint64
}

type searchEntry struct {
	key string
	res coop.SearchResult
}

// searchFlight is a query in flight; done is closed when res and err are set.
type searchFlight struct {
	done chan struct{}
	res  coop.SearchResult
	err  error
}

func newSearchCache(entries int) *searchCache {
	if entries <= 0 {
		return nil
	}
	return &searchCache{max: entries, entries: map[string]*list.Element{}, flights: map[string]*searchFlight{}}
}

// SetSearchCache sets the number of answers the search cache keeps (0 turns it off)
// and empties it. Call it before the store serves requests.
func (db *DB) SetSearchCache(entries int) { db.searchCache = newSearchCache(entries) }

// SearchCacheStats returns how many searches the cache answered (hits, including those
// that waited for the same query of another request) and how many ran the query
// (misses); zero without a cache.
func (db *DB) SearchCacheStats() (hits, misses uint64) {
	if c := db.searchCache; c != nil {
		return c.hits.Load(), c.misses.Load()
	}
	return 0, 0
}

// searchKey identifies an answer: the query as the databases compare it (terms and
// folded text), the types and the limit.
func searchKey(cs compiledSearch, types []string, limit int) string {
	return strings.Join(cs.terms, " ") + "\x00" + cs.fold + "\x00" + strings.Join(types, ",") + "\x00" + strconv.Itoa(limit)
}

// dataVersion reads the data version on the primary (see the outline above), past
// GORM: it is the whole database work of an answer from the cache.
func (db *DB) dataVersion(ctx context.Context) (int64, error) {
	db.statements.Add(1)
	var v int64
	err := db.sql.QueryRowContext(ctx, "SELECT id FROM data_version").Scan(&v)
	return v, translate(err)
}

// get returns the answer for key if it was computed at version.
func (c *searchCache) get(key string, version int64) (coop.SearchResult, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.advance(version)
	if version == c.version {
		if e, ok := c.entries[key]; ok {
			c.lru.MoveToFront(e)
			c.hits.Add(1)
			return cloneSearchResult(e.Value.(*searchEntry).res), true
		}
	}
	return coop.SearchResult{}, false
}

// do runs query for key unless a query for the same key and version is in flight
// already, in which case it waits for that one's answer (a word that becomes popular
// right after a write is ranked once, not by every request at once). query returns
// the answer and the data version it was computed at; the answer is kept if that is
// still the newest version.
func (c *searchCache) do(ctx context.Context, key string, version int64,
	query func() (coop.SearchResult, int64, error)) (coop.SearchResult, error) {
	fk := key + "\x00" + strconv.FormatInt(version, 10)
	c.mu.Lock()
	if f, ok := c.flights[fk]; ok {
		c.mu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			return coop.SearchResult{}, translate(ctx.Err())
		}
		if f.err == nil {
			c.hits.Add(1)
			return cloneSearchResult(f.res), nil
		}
		// The other request failed (its client may have gone away): try ourselves.
		c.misses.Add(1)
		res, _, err := query()
		return res, err
	}
	f := &searchFlight{done: make(chan struct{})}
	c.flights[fk] = f
	c.mu.Unlock()
	c.misses.Add(1)

	res, v, err := query()
	f.res, f.err = res, err
	c.mu.Lock()
	delete(c.flights, fk)
	if err == nil {
		c.put(key, v, res)
	}
	c.mu.Unlock()
	close(f.done)
	if err != nil {
		return res, err
	}
	return cloneSearchResult(res), nil
}

// advance empties the cache when version is newer than its entries. An older version
// (a lagging replica's) leaves it alone.
func (c *searchCache) advance(version int64) {
	if version > c.version {
		c.version = version
		clear(c.entries)
		c.lru.Init()
	}
}

// put keeps res for key at version, evicting the least recently used answer when full.
func (c *searchCache) put(key string, version int64, res coop.SearchResult) {
	c.advance(version)
	if version != c.version {
		return
	}
	if e, ok := c.entries[key]; ok {
		e.Value.(*searchEntry).res = res
		c.lru.MoveToFront(e)
		return
	}
	c.entries[key] = c.lru.PushFront(&searchEntry{key: key, res: res})
	if c.lru.Len() > c.max {
		last := c.lru.Back()
		c.lru.Remove(last)
		delete(c.entries, last.Value.(*searchEntry).key)
	}
}

// cloneSearchResult copies what a caller could change, so that no caller changes the
// cached answer.
func cloneSearchResult(r coop.SearchResult) coop.SearchResult {
	return coop.SearchResult{Items: slices.Clone(r.Items), Total: r.Total,
		Facets: coop.SearchFacets{Type: maps.Clone(r.Facets.Type), Status: maps.Clone(r.Facets.Status),
			Category: maps.Clone(r.Facets.Category)}}
}
