// Package search is the directory's full-text search across partners, cooperations,
// projects and solutions, the same on PostgreSQL and on the embedded SQLite.
//
// All linguistic work happens in Go (package textsearch: folding, stems, German
// derivations, compound parts, typing errors); the databases store and compare plain
// [a-z0-9] tokens. The store calls Index in every write transaction; Search answers
// GET /api/v1/search, Filter the q parameter of the lists. The SQL of each dialect
// lives in sql/DIALECT/*.sql, runnable in psql and sqlite3 for EXPLAIN; postgres.go
// and sqlite.go bind it.
//
// A search reads the bands of its ranking best first, each only when the better ones
// leave the page unfilled, and counts every match once by type, status and category
// (sql/postgres/search.sql). Answers are kept for the directory's current data version
// (cache.go): a popular word costs one query per write, not one per request.
package search

import (
	"context"
	"database/sql"
	"fmt"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// Conn runs SQL: *sql.DB, *sql.Tx, *sql.Conn and gorm's ConnPool (the
// Statement.ConnPool of a transaction) are Conns.
type Conn interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Engine finds resources by text and keeps their search documents.
type Engine interface {
	// Index writes the search documents of the resources of type typ (one of
	// coop.SearchTypes) with the given ids, built from their rows as tx sees them.
	// Call it in the write's transaction, after the rows are written. Soft deletes,
	// restores and status changes need no call: triggers mirror them.
	Index(ctx context.Context, tx Conn, typ string, ids ...string) error
	// Write writes the search document of one resource from r, what its row holds as
	// the write left it (one statement on PostgreSQL): the write path's Index, without
	// reading back what the write has in hand.
	Write(ctx context.Context, tx Conn, r Resource) error
	// Reindex indexes every resource without a current document, in batches, each
	// in a transaction that inTx runs (the store's write transaction); see
	// DocVersion. It returns how many it indexed.
	Reindex(ctx context.Context, inTx func(ctx context.Context, fn func(tx Conn) error) error) (int, error)
	// Search implements coop.SearchService.
	Search(ctx context.Context, q coop.SearchQuery) (coop.SearchResult, error)
	// Filter returns an SQL subquery (GORM placeholders, with its arguments) of the
	// ids of the live resources of type typ that text finds, matched as Search
	// matches, for a list's q filter: "alias.id IN (" + sql + ")".
	Filter(ctx context.Context, typ, text string) (string, []any, error)
	// Stats tells what the engine did since it was made.
	Stats() Stats
}

// Stats counts an engine's work.
type Stats struct {
	Statements   uint64 // statements sent to the database
	CacheHits    uint64 // answers from the result cache (waiting for the same query included)
	CacheMisses  uint64 // searches that ran their query
	CacheEntries int    // answers the cache keeps (0: off)
}

// Config tells New where the data is.
type Config struct {
	// Dialect is "postgres" or "sqlite".
	Dialect string
	// Read returns the database a search in ctx reads from: a read replica, or the
	// primary when ctx asks for fresh reads (coop.FreshReads) or there is none.
	Read func(ctx context.Context) Conn
	// Primary is the primary database: the result cache reads the data version there,
	// so that every instance answers from fresh data right after any write.
	Primary Conn
	// CacheEntries is the number of answers the result cache keeps; 0 turns it off.
	CacheEntries int
}

// DefaultCacheEntries is the result cache's size unless Config says otherwise. An
// entry is one answer: up to a page of hits with snippets and the facets, a few kB.
const DefaultCacheEntries = 1000

// DocVersion is the version of the documents Index writes. Raise it when textsearch
// or what a resource contributes (documents.go) changes: Reindex, which runs after the
// migrations, then rebuilds every older document.
const DocVersion = 2

// New returns the engine of cfg.Dialect.
func New(cfg Config) (Engine, error) {
	var b backend
	switch cfg.Dialect {
	case "postgres":
		b = postgres{}
	case "sqlite":
		b = sqlite{}
	default:
		return nil, fmt.Errorf("search: unknown dialect %q", cfg.Dialect)
	}
	if cfg.Read == nil || cfg.Primary == nil {
		return nil, fmt.Errorf("search: Config.Read and Config.Primary are required")
	}
	if cfg.CacheEntries < 0 {
		return nil, fmt.Errorf("search: CacheEntries %d < 0", cfg.CacheEntries)
	}
	known, err := lru.New[string, struct{}](knownWords)
	if err != nil {
		return nil, err
	}
	e := &engine{b: b, read: cfg.Read, primary: cfg.Primary, known: known}
	if cfg.CacheEntries > 0 {
		e.cache = newCache(cfg.CacheEntries)
	}
	return e, nil
}
