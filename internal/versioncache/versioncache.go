// Package versioncache keeps answers in the process for the directory's current data
// version only: what search answers for popular words, what statistics compute of the
// register (population served).
//
// The data version is a count of the writes (table data_versions, kept by a trigger
// in the transaction of every write; migration 00021). A reader reads it with every
// request (a sum over 16 rows at most) and is answered from the cache only with what
// was computed at exactly that version: every instance serves fresh answers right
// after any write, its own or another's. Every commit raises it, and what one snapshot
// sees of the commits is what every snapshot with the same sum sees, so a version
// names one state of the data. A reader reads the version before (or in the same
// snapshot as) what it computes, and keeps the answer under that version: a lagging
// read replica never files old data under a newer version.
//
// Keys are SHA-256 digests of whatever identifies an answer: whatever a client sends,
// a key is 32 bytes, and nothing of it reaches a metric label.
package versioncache

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"sync"
	"sync/atomic"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/sync/singleflight"
)

// Key identifies an answer.
type Key [sha256.Size]byte

// Cache is an LRU of answers of one data version, with at most one computation in
// flight per key and version (singleflight).
type Cache[V any] struct {
	size    int
	clone   func(V) V  // copies what a caller could change; nil: answers are not changed
	mu      sync.Mutex // guards version and the purge that follows its change
	version int64      // the newest data version seen; entries are of it
	lru     *lru.Cache[Key, entry[V]]
	flight  singleflight.Group

	hits, misses atomic.Uint64
}

type entry[V any] struct {
	version int64
	val     V
}

// New returns a cache of at most size answers (size > 0). clone copies an answer
// before it is handed out, so that no caller changes a kept one; nil where callers
// only read.
func New[V any](size int, clone func(V) V) *Cache[V] {
	l, err := lru.New[Key, entry[V]](size)
	if err != nil {
		panic("versioncache: " + err.Error()) // size > 0 is checked by New
	}
	return &Cache[V]{size: size, clone: clone, lru: l}
}

// Stats reports the answers found in the cache, those computed, and the size.
func (c *Cache[V]) Stats() (hits, misses uint64, size int) {
	return c.hits.Load(), c.misses.Load(), c.size
}

// advance empties the cache when version is newer than its entries and reports
// whether version is the newest (an older one is a lagging replica's).
func (c *Cache[V]) advance(version int64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if version > c.version {
		c.version = version
		c.lru.Purge()
	}
	return version == c.version
}

func (c *Cache[V]) out(v V) V {
	if c.clone == nil {
		return v
	}
	return c.clone(v)
}

// Do answers key at version from the cache, or runs compute once for all requests that
// ask for it at the same time (an answer that becomes popular right after a write is
// computed once). compute returns the answer and the data version it was read at; the
// answer is kept if that is still the newest version. On an error the answer is V's
// zero value.
func (c *Cache[V]) Do(ctx context.Context, key Key, version int64, compute func() (V, int64, error)) (V, error) {
	var zero V
	if c.advance(version) {
		if e, ok := c.lru.Get(key); ok && e.version == version {
			c.hits.Add(1)
			return c.out(e.val), nil
		}
	}
	var fk [len(key) + 8]byte
	copy(fk[:], key[:])
	binary.BigEndian.PutUint64(fk[len(key):], uint64(version))
	leader := false
	ch := c.flight.DoChan(string(fk[:]), func() (any, error) {
		leader = true
		c.misses.Add(1)
		val, v, err := compute()
		if err == nil && c.advance(v) {
			c.lru.Add(key, entry[V]{version: v, val: val})
		}
		return val, err
	})
	select {
	case r := <-ch:
		if r.Err != nil && !leader {
			// The request that computed failed (its client may have gone away): try
			// ourselves.
			c.misses.Add(1)
			val, _, err := compute()
			if err != nil {
				return zero, err
			}
			return val, nil
		}
		if r.Err != nil {
			return zero, r.Err
		}
		if !leader {
			c.hits.Add(1)
		}
		return c.out(r.Val.(V)), nil
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}
