// Package store implements the coop services on the database core (package sqldb):
// a service per aggregate — partners, cooperations, projects, solutions, API tokens,
// the change feed, the statistics — each reading through the one reader of its
// resource and writing through the one write sequence (write.go); versioned
// migrations; the seed.
package store

import (
	"context"
	"database/sql"
	"sync/atomic"
	"time"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/search"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/sqldb"
)

// DB is the store: the coop services, one per aggregate, on one database core.
type DB struct {
	*base
	PartnerService
	CooperationService
	ProjectService
	SolutionService
	TokenService
	ChangeService
	StatsService
	SearchService
	RegionService
	WebhookService
	ImportJobService
}

// base is what every service builds on: the database core, the search engine, the
// clock.
type base struct {
	core *sqldb.DB
	// search is the full-text search (search.go).
	search search.Engine
	now    func() time.Time
	// registerNow is the register of territorial units in force as last read
	// (regions.go).
	registerNow atomic.Pointer[inForce]
	demo        demoState // demo.go
	// stats keeps the answers of the statistics per data version (stats_cache.go).
	stats statsCaches
}

// PartnerService implements coop.PartnerService (partners.go, partners_write.go).
type PartnerService struct{ *base }

// CooperationService implements coop.CooperationService (cooperations.go,
// cooperations_write.go).
type CooperationService struct{ *base }

// ProjectService implements coop.ProjectService (projects.go, projects_read.go,
// projects_write.go).
type ProjectService struct{ *base }

// SolutionService implements coop.SolutionService (solutions.go, solutions_write.go).
type SolutionService struct{ *base }

// TokenService keeps the API tokens (tokens.go).
type TokenService struct{ *base }

// ChangeService reads and prunes the change log (changes.go).
type ChangeService struct{ *base }

// StatsService computes the controlling figures (stats.go, stats_timeline.go,
// stats_leadtime.go).
type StatsService struct{ *base }

// SearchService finds resources by text (search.go; the engine is internal/search).
type SearchService struct{ *base }

// Options tune Open.
type Options = sqldb.Options

// Open connects to dsn ("postgres://…"/"postgresql://…" selects PostgreSQL,
// "sqlite:PATH" the embedded SQLite, "sqlite::memory:" in memory) and returns the
// store on it.
func Open(dsn string, opt Options) (*DB, error) {
	core, err := sqldb.Open(dsn, opt)
	if err != nil {
		return nil, err
	}
	db, err := New(core)
	if err != nil {
		_ = core.Close()
		return nil, err
	}
	return db, nil
}

// New returns the store on an open core; closing the store closes the core.
func New(core *sqldb.DB) (*DB, error) {
	// Microseconds, as both databases keep a time: a write's answer built from what it
	// wrote (write.go) equals what a later read returns.
	b := &base{core: core, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
		stats: newStatsCaches()}
	if err := b.newSearch(search.DefaultCacheEntries); err != nil {
		return nil, err
	}
	return &DB{base: b, PartnerService: PartnerService{b}, CooperationService: CooperationService{b},
		ProjectService: ProjectService{b}, SolutionService: SolutionService{b}, TokenService: TokenService{b},
		ChangeService: ChangeService{b}, StatsService: StatsService{b}, SearchService: SearchService{b},
		RegionService: RegionService{b}, ImportJobService: ImportJobService{b},
		WebhookService: WebhookService{b}}, nil
}

// Dialect tells which database this is.
func (db *DB) Dialect() sqldb.Dialect { return db.core.Dialect() }

// Pools returns the primary's connection pool followed by the read replicas', e.g.
// for their statistics.
func (db *DB) Pools() []*sql.DB { return db.core.Pools() }

// Close closes the pools.
func (db *DB) Close() error { return db.core.Close() }

// Ping checks that the database (and every read replica) answers.
func (db *DB) Ping(ctx context.Context) error { return db.core.Ping(ctx) }

// primary is the primary's pool.
func (b *base) primary() *sql.DB { return b.core.Pools()[0] }

// tx runs fn in one write transaction (sqldb.DB.Tx). Writers run in parallel: the
// change feed orders changes by the position each gets after it committed
// (changes.go), the counters are spread over rows (migration 00021), and what a write
// refers to is locked while it runs (refs.go: lockRefs). On PostgreSQL a write holds
// a shared advisory lock, which only the search reindex takes exclusively (it
// rewrites documents from what it read and must not race a write of the same
// resource).
func (b *base) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return b.lockedTx(ctx, "SELECT pg_advisory_xact_lock_shared(7245001)", fn)
}

// exclusiveTx is tx that waits for every other write to end and holds off new ones.
func (b *base) exclusiveTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return b.lockedTx(ctx, "SELECT pg_advisory_xact_lock(7245001)", fn)
}

func (b *base) lockedTx(ctx context.Context, lock string, fn func(tx *gorm.DB) error) error {
	if outer := batchTx(ctx); outer != nil {
		// a write of a batch: a savepoint in the batch's transaction (batch.go)
		return translate(outer.Transaction(fn))
	}
	if b.core.Dialect() == sqldb.SQLite {
		// Take the write lock first, waiting up to busy_timeout for writers of other
		// processes: a transaction that reads first cannot wait for it later
		// (SQLITE_BUSY at once). The driver ignores _txlock=immediate when
		// _time_format is set too.
		lock = "UPDATE changes SET id = id WHERE 0"
	}
	return b.core.LockedTx(ctx, lock, fn)
}

// read runs fn with the executor of a connection the read with ctx is routed to.
func (b *base) read(ctx context.Context, fn func(x sqldb.Executor) error) error {
	if outer := batchTx(ctx); outer != nil {
		return translate(fn(b.core.InTx(outer)))
	}
	return b.core.Read(ctx, fn)
}

// session runs fn with a GORM session on a connection the read with ctx is routed to
// (sqldb.DB.Session).
func (b *base) session(ctx context.Context, fn func(q *gorm.DB) error) error {
	if outer := batchTx(ctx); outer != nil {
		return translate(fn(outer.WithContext(ctx)))
	}
	return b.core.Session(ctx, fn)
}

// translate maps database errors to coop errors (sqldb.Translate).
func translate(err error) error { return sqldb.Translate(err) }

// DB implements everything the HTTP layer needs.
var _ coop.Directory = (*DB)(nil)
