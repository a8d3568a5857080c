package search

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/sync/singleflight"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// The result cache keeps recent answers in the process, for the directory's current
// data version only: portals send the same popular words over and over.
//
// The data version is a count of the writes (table data_versions, kept by a trigger
// in the transaction of every write; migration 00021). Search reads it on the primary
// with every request (a sum over 16 rows at most) and answers from the cache only what
// was computed at exactly that version: every instance serves fresh results right
// after any write, its own or another's (a portal finds what it just wrote). Every
// commit raises it, and what one snapshot sees of the commits is what every snapshot
// with the same sum sees, so a version names one state of the data. The search statement reads the version in its own snapshot and the answer
// is kept under that one, so a lagging read replica never files old data under a
// newer version.
//
// Keys are SHA-256 digests of the compiled query, types, limit and cursor: whatever a
// client sends, a key is 32 bytes, and nothing of it reaches a metric label.

// cacheKey identifies an answer.
type cacheKey [sha256.Size]byte

func newCacheKey(q compiled, types []string, limit int, cur string) cacheKey {
	return sha256.Sum256([]byte(q.key() + "\x00" + strings.Join(types, ",") + "\x00" +
		strconv.Itoa(limit) + "\x00" + cur))
}

// cache is an LRU of answers of one data version, with at most one query in flight
// per key and version (singleflight).
type cache struct {
	size    int
	mu      sync.Mutex // guards version and the purge that follows its change
	version int64      // the newest data version seen; entries are of it
	lru     *lru.Cache[cacheKey, entry]
	flight  singleflight.Group

	hits, misses atomic.Uint64
}

type entry struct {
	version int64
	res     coop.SearchResult
}

func newCache(size int) *cache {
	l, err := lru.New[cacheKey, entry](size)
	if err != nil {
		panic("search: " + err.Error()) // size > 0 is checked by New
	}
	return &cache{size: size, lru: l}
}

// advance empties the cache when version is newer than its entries and reports
// whether version is the newest (an older one is a lagging replica's).
func (c *cache) advance(version int64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if version > c.version {
		c.version = version
		c.lru.Purge()
	}
	return version == c.version
}

// do answers key at version from the cache, or runs query once for all requests that
// ask for it at the same time (a word that becomes popular right after a write is
// ranked once). query returns the answer and the data version it was read at; the
// answer is kept if that is still the newest version.
func (c *cache) do(ctx context.Context, key cacheKey, version int64,
	query func() (coop.SearchResult, int64, error)) (coop.SearchResult, error) {
	if c.advance(version) {
		if e, ok := c.lru.Get(key); ok && e.version == version {
			c.hits.Add(1)
			return clone(e.res), nil
		}
	}
	var fk [len(key) + 8]byte
	copy(fk[:], key[:])
	binary.BigEndian.PutUint64(fk[len(key):], uint64(version))
	leader := false
	ch := c.flight.DoChan(hex.EncodeToString(fk[:]), func() (any, error) {
		leader = true
		c.misses.Add(1)
		res, v, err := query()
		if err == nil && c.advance(v) {
			c.lru.Add(key, entry{version: v, res: res})
		}
		return res, err
	})
	select {
	case r := <-ch:
		if r.Err != nil && !leader {
			// The request that ran the query failed (its client may have gone away):
			// try ourselves.
			c.misses.Add(1)
			res, _, err := query()
			return res, err
		}
		if r.Err != nil {
			return emptyResult(), r.Err
		}
		if !leader {
			c.hits.Add(1)
		}
		return clone(r.Val.(coop.SearchResult)), nil
	case <-ctx.Done():
		return emptyResult(), ctx.Err()
	}
}

// clone copies what a caller could change, so that no caller changes a kept answer.
func clone(r coop.SearchResult) coop.SearchResult {
	r.Items = slices.Clone(r.Items)
	r.Facets = coop.SearchFacets{Type: maps.Clone(r.Facets.Type), Status: maps.Clone(r.Facets.Status),
		Category: maps.Clone(r.Facets.Category)}
	return r
}
