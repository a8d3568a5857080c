// Package sqldb is the store's database core: the connection pools of the primary and
// of its read replicas, the routing of reads between them, a queue in front of every
// pool, write transactions, the executors of the store's own statements (built with
// Query) and the translation of the drivers' errors into coop errors. It knows nothing
// of the directory's tables: the services of package store, and the bulk loader, are
// built on it.
//
// Every statement reaches the database through one of three doors, and each takes its
// connection the same way (acquire: the pool the context is routed to, then its turn
// in that pool's queue): Read with the dialect's executor, Session with a GORM session,
// and Tx with a GORM transaction on the primary (tx.go: on PostgreSQL the transaction
// is the service's own, so that statements whose outcome a write does not read go to
// the server together, ExecLater).
package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names the database behind a DB.
type Dialect string

// The two supported dialects.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// Options tune Open.
type Options struct {
	// MaxOpenConns is the size of each PostgreSQL pool (fixed: idle = open); 16 if not
	// set.
	MaxOpenConns int
	// MaxWriters is how many write transactions run at once on PostgreSQL
	// (DefaultMaxWriters if not set, at most MaxOpenConns); the others wait in order
	// (Tx). Reads keep the rest of the pool.
	MaxWriters int
	// ReplicaURLs are PostgreSQL read replicas (postgres://…): reads go to them (see
	// route.go), writes and the reads that must be current to the primary.
	ReplicaURLs []string
}

// DefaultMaxWriters is Options.MaxWriters if not set. Write transactions beyond what
// the database server's cores run at once do not write more, they wait inside it: on
// two cores, 16 writers on a pool of 10 made 246–393 creates/s with a p99 of 300–440
// ms, on 4 connections 373–463/s with a p99 of 99–115 ms (BENCHMARKS.md, "Write
// transactions at once"). Four keeps a small server busy; a larger one may take more.
const DefaultMaxWriters = 4

// DB is the database core.
type DB struct {
	gorm    *gorm.DB // on the primary's pool; sessions are moved onto acquired connections
	dialect Dialect
	primary pool
	// writer is the pool of write transactions: the primary's, except on a SQLite
	// file, where it is one connection of its own (openWriter).
	writer *pool
	// writers admits write transactions (Tx) in order, MaxWriters at once; nil on
	// SQLite, whose writer pool already holds one connection.
	writers  gate
	replicas []pool
	// nextReplica is the round-robin position of the reads.
	nextReplica atomic.Uint64
	// statements counts the statements sent (see Statements).
	statements atomic.Int64
	closed     atomic.Bool
}

// pool is a connection pool with its queue (gate.go).
type pool struct {
	db   *sql.DB
	gate gate
}

// Open connects to dsn: "postgres://…"/"postgresql://…" selects PostgreSQL,
// "sqlite:PATH" the embedded SQLite ("sqlite::memory:" in memory).
func Open(dsn string, opt Options) (*DB, error) {
	var (
		dialector gorm.Dialector
		dialect   Dialect
	)
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		dialect = Postgres
		dialector = postgres.New(postgres.Config{DSN: dsn})
	case strings.HasPrefix(dsn, "sqlite:"):
		dialect = SQLite
		dialector = sqlite.Open(sqliteDSN(strings.TrimPrefix(dsn, "sqlite:")))
	default:
		return nil, fmt.Errorf("unsupported database URL: want postgres://… or sqlite:PATH")
	}
	g, err := gorm.Open(dialector, &gorm.Config{
		SkipDefaultTransaction: true,
		PrepareStmt:            false,
		Logger:                 logger.Discard,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, err
	}
	size := opt.MaxOpenConns
	if size <= 0 {
		size = 16
	}
	switch {
	case dialect == SQLite && strings.Contains(dsn, ":memory:"):
		// Every connection to ":memory:" is a database of its own: keep exactly one.
		size = 1
	case dialect == SQLite:
		size = 8
	}
	db := &DB{gorm: g, dialect: dialect, primary: newPool(sqlDB, size)}
	db.writer = &db.primary
	if dialect == Postgres {
		writers := opt.MaxWriters
		if writers <= 0 {
			writers = DefaultMaxWriters
		}
		db.writers = make(gate, min(writers, size))
	}
	if dialect == SQLite && size > 1 {
		if err := db.openWriter(strings.TrimPrefix(dsn, "sqlite:")); err != nil {
			_ = db.Close()
			return nil, err
		}
	}
	if err := db.countStatements(); err != nil {
		_ = db.Close()
		return nil, err
	}
	if err := db.openReplicas(opt.ReplicaURLs, size); err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
}

// newPool fixes the pool's size (idle = open: opening connections under load costs
// more than keeping them) and puts a queue of that size in front of it.
func newPool(db *sql.DB, size int) pool {
	db.SetMaxOpenConns(size)
	db.SetMaxIdleConns(size)
	db.SetConnMaxIdleTime(5 * time.Minute)
	return pool{db: db, gate: make(gate, size)}
}

// openWriter opens the one connection that writes to a SQLite file. SQLite commits one
// write at a time anyway; with one writer connection the others wait in its queue (in
// order, without polling), not in SQLite's busy handler, which sleeps and retries, and
// readers keep their own connections (WAL: they never wait for the writer).
func (db *DB) openWriter(path string) error {
	w, err := sql.Open("sqlite", sqliteDSN(path))
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	p := newPool(w, 1)
	db.writer = &p
	return nil
}

// openReplicas opens a pool per replica URL (the primary's size each).
func (db *DB) openReplicas(urls []string, size int) error {
	if len(urls) > 0 && db.dialect != Postgres {
		return errors.New("read replicas need PostgreSQL")
	}
	for i, u := range urls {
		cfg, err := pgx.ParseConfig(u)
		if err != nil {
			return fmt.Errorf("replica %d: %w", i+1, err)
		}
		db.replicas = append(db.replicas, newPool(stdlib.OpenDB(*cfg), size))
	}
	return nil
}

// sqliteDSN adds what the embedded SQLite always runs with: foreign keys, WAL, a busy
// timeout, immediate write transactions (no lock upgrades that fail under load) and
// a sortable time format.
func sqliteDSN(path string) string {
	if path == ":memory:" {
		path = "file::memory:"
	}
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "busy_timeout(10000)")
	if !strings.Contains(path, ":memory:") {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(NORMAL)")
	}
	q.Add("_time_format", "sqlite")
	q.Add("_txlock", "immediate")
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + q.Encode()
}

// countStatements counts every statement GORM runs; the executors count their own.
func (db *DB) countStatements() error {
	count := func(tx *gorm.DB) {
		if !tx.DryRun {
			db.statements.Add(1)
		}
	}
	cb := db.gorm.Callback()
	return errors.Join(
		cb.Query().Before("*").Register("ikz:count", count),
		cb.Row().Before("*").Register("ikz:count", count),
		cb.Raw().Before("*").Register("ikz:count", count),
		cb.Create().Before("*").Register("ikz:count", count),
		cb.Update().Before("*").Register("ikz:count", count),
		cb.Delete().Before("*").Register("ikz:count", count))
}

// Statements is the number of statements sent to the database since Open (BEGIN,
// COMMIT and ROLLBACK not counted; a statement sent in the round trip of another, as
// the write lock with BEGIN and ExecLater's, counts as one), through GORM or natively;
// tests and benchmarks take differences of it.
func (db *DB) Statements() int64 { return db.statements.Load() }

// Count adds n statements sent past the core (e.g. by the search engine on the
// core's pools) to Statements.
func (db *DB) Count(n int64) { db.statements.Add(n) }

// Dialect tells which database this is.
func (db *DB) Dialect() Dialect { return db.dialect }

// Gorm is the GORM handle on the primary's pool, outside the queue: for migrations,
// tools and tests. The services read with Read and Session and write with Tx.
func (db *DB) Gorm() *gorm.DB { return db.gorm }

// Pools returns the primary's pool followed by the replicas', e.g. for their
// statistics.
func (db *DB) Pools() []*sql.DB {
	out := []*sql.DB{db.primary.db}
	for _, r := range db.replicas {
		out = append(out, r.db)
	}
	return out
}

// Close closes the pools. Later reads and writes fail as unavailable.
func (db *DB) Close() error {
	db.closed.Store(true)
	errs := []error{db.primary.db.Close()}
	if db.writer != nil && db.writer != &db.primary {
		errs = append(errs, db.writer.db.Close())
	}
	for _, r := range db.replicas {
		errs = append(errs, r.db.Close())
	}
	return errors.Join(errs...)
}

// Ping checks that the database (and every read replica) answers.
func (db *DB) Ping(ctx context.Context) error {
	for _, p := range db.Pools() {
		if err := p.PingContext(ctx); err != nil {
			return Translate(errUnreachable)
		}
	}
	return nil
}
