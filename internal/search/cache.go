package search

import (
	"crypto/sha256"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/versioncache"
)

// The result cache keeps recent answers in the process, for the directory's current
// data version only (package versioncache): portals send the same popular words over
// and over. Search reads the version on the primary with every request and answers
// from the cache only what was computed at exactly that version: every instance
// serves fresh results right after any write, its own or another's (a portal finds
// what it just wrote). The search statement reads the version in its own snapshot and
// the answer is kept under that one, so a lagging read replica never files old data
// under a newer version.

// cache is the result cache.
type cache = versioncache.Cache[coop.SearchResult]

func newCache(size int) *cache { return versioncache.New(size, clone) }

// newCacheKey identifies an answer by the compiled query, types, limit and cursor.
func newCacheKey(q compiled, types []string, limit int, cur string) versioncache.Key {
	return sha256.Sum256([]byte(q.key() + "\x00" + strings.Join(types, ",") + "\x00" +
		strconv.Itoa(limit) + "\x00" + cur))
}

// clone copies what a caller could change, so that no caller changes a kept answer.
func clone(r coop.SearchResult) coop.SearchResult {
	r.Items = slices.Clone(r.Items)
	r.Facets = coop.SearchFacets{Type: maps.Clone(r.Facets.Type), Status: maps.Clone(r.Facets.Status),
		Category: maps.Clone(r.Facets.Category)}
	return r
}
