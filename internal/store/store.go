// Package store implements the coop services with GORM on PostgreSQL or on the
// embedded pure-Go SQLite: versioned migrations, one transaction per write with its
// change-log record, keyset-paginated lists, and database errors translated once.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/search"
)

//go:embed migrations
var migrations embed.FS

// Dialect names the database behind a DB.
type Dialect string

// The two supported dialects.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// DB is the store: the coop services on one database.
type DB struct {
	gorm    *gorm.DB
	sql     *sql.DB
	dialect Dialect
	now     func() time.Time
	// replicas are the read replicas' pools (replicas.go); empty without them.
	replicas []*sql.DB
	// search is the full-text search (search.go).
	search search.Engine
	// nextReplica is the round-robin position of the reads that bypass GORM (readPool).
	nextReplica atomic.Uint64
	// gates queue the native reads for each PostgreSQL pool in arrival order (fifogate.go).
	gates map[*sql.DB]fifoGate
	// statements counts the statements sent to the database (see Statements).
	statements atomic.Int64
}

// Options tune Open.
type Options struct {
	MaxOpenConns int // PostgreSQL pool size (fixed: idle = open); default 16
	Logger       *slog.Logger
	// ReplicaURLs are PostgreSQL read replicas (postgres://…): reads go to them, writes
	// and reads that must be current to the primary (see replicas.go).
	ReplicaURLs []string
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
		TranslateError:         true,
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
	switch {
	case dialect == SQLite && strings.Contains(dsn, ":memory:"):
		// Every connection to ":memory:" is a database of its own: keep exactly one.
		sqlDB.SetMaxOpenConns(1)
	case dialect == SQLite:
		sqlDB.SetMaxOpenConns(8)
		sqlDB.SetMaxIdleConns(8)
	default:
		n := opt.MaxOpenConns
		if n <= 0 {
			n = 16
		}
		// A fixed pool: opening connections under load costs more than keeping them.
		sqlDB.SetMaxOpenConns(n)
		sqlDB.SetMaxIdleConns(n)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	db := &DB{gorm: g, sql: sqlDB, dialect: dialect, now: func() time.Time { return time.Now().UTC() }}
	if err := db.newSearch(DefaultSearchCacheEntries); err != nil {
		_ = db.Close()
		return nil, err
	}
	if dialect == Postgres {
		db.addGate(sqlDB, int(sqlDB.Stats().MaxOpenConnections))
	}
	if err := db.countStatements(); err != nil {
		_ = db.Close()
		return nil, err
	}
	if err := db.useReplicas(opt.ReplicaURLs, opt.MaxOpenConns); err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
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

// countStatements counts every statement GORM runs (the executors of read.go
// count their own), for Statements.
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

// Statements is the number of statements the store has sent to the database (BEGIN
// and COMMIT not counted; statements pipelined in one round trip count once), through
// GORM or natively through pgx; tests and benchmarks reset it to count the statements
// of an operation.
func (db *DB) Statements() *atomic.Int64 { return &db.statements }

// Dialect tells which database this is.
func (db *DB) Dialect() Dialect { return db.dialect }

// Gorm exposes the GORM handle for the store's own tools (generator, tests).
func (db *DB) Gorm() *gorm.DB { return db.gorm }

// SQL exposes the pool, e.g. for its statistics.
func (db *DB) SQL() *sql.DB { return db.sql }

// Close closes the pools.
func (db *DB) Close() error { return errors.Join(db.sql.Close(), db.closeReplicas()) }

// Ping checks that the database (and every read replica) answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := errors.Join(db.sql.PingContext(ctx), db.pingReplicas(ctx)); err != nil {
		return &coop.Error{Code: coop.EUnavailable, Message: "Datenbank nicht erreichbar / database unavailable"}
	}
	return nil
}

// Migrate applies every pending migration of this dialect. On PostgreSQL it holds an
// advisory lock meanwhile, so replicas starting together migrate once.
func (db *DB) Migrate(ctx context.Context) error {
	sub, err := fs.Sub(migrations, "migrations/"+string(db.dialect))
	if err != nil {
		return err
	}
	var opts []goose.ProviderOption
	dialect := goose.DialectSQLite3
	if db.dialect == Postgres {
		dialect = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, db.sql, sub, opts...)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	// Search documents are computed in Go, so SQL migrations cannot write them: index
	// every resource without a current one (see reindexSearch).
	if _, err := db.reindexSearch(ctx); err != nil {
		return err
	}
	return nil
}

// tx runs fn in one transaction; on PostgreSQL it first takes a transaction-scoped
// advisory lock so that change-log ids commit in the order they were drawn (the feed
// never skips an id that commits later). Writes to a directory are rare; this costs
// them concurrency, not readers.
func (db *DB) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	err := db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		lock := "SELECT pg_advisory_xact_lock(7245001)"
		if db.dialect == SQLite {
			// Take the write lock first, waiting up to busy_timeout: a transaction that
			// reads first cannot wait for it later (SQLITE_BUSY at once). The driver
			// ignores _txlock=immediate when _time_format is set too.
			lock = "UPDATE changes SET id = id WHERE 0"
		}
		if err := tx.Exec(lock).Error; err != nil {
			return err
		}
		return fn(tx)
	})
	return translate(err)
}

// translate maps database errors to coop errors once, for both drivers.
func translate(err error) error {
	if err == nil {
		return nil
	}
	var ce *coop.Error
	if errors.As(err, &ce) {
		return err
	}
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return coop.Errorf(coop.ENotFound, "Nicht gefunden / not found")
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return &coop.Error{Code: coop.EConflict, Message: "Der Slug ist schon vergeben / slug already taken",
			Fields: []coop.FieldError{{Field: "slug", Code: "unique", Message: "Der Slug ist schon vergeben"}}}
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return coop.Errorf(coop.EConflict, "Ein Verweis fehlt oder wird noch gebraucht / a reference is missing or still in use")
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded),
		strings.Contains(err.Error(), "interrupted (9)"): // SQLITE_INTERRUPT: the driver's cancellation
		return &coop.Error{Code: coop.EUnavailable, Message: "Zeitüberschreitung / timed out"}
	case isConnError(err):
		return &coop.Error{Code: coop.EUnavailable, Message: "Datenbank nicht erreichbar / database unavailable"}
	}
	return err
}

// isConnError recognises a lost or refused database connection, and a server that
// cannot take the request just now (shutting down, starting up, out of connections):
// the caller may try again later (503), it is not a fault of the service (500).
func isConnError(err error) bool {
	if errors.Is(err, sql.ErrConnDone) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) {
		return true
	}
	var (
		netErr     net.Error
		connectErr *pgconn.ConnectError
		pgErr      *pgconn.PgError
	)
	switch {
	case errors.As(err, &netErr), errors.As(err, &connectErr), pgconn.SafeToRetry(err):
		return true
	case errors.As(err, &pgErr):
		// Class 08: connection exception; 57P01–57P03: shutting down, crashed, starting
		// up; 53300: too many connections.
		return strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "57P") || pgErr.Code == "53300"
	}
	s := err.Error()
	for _, m := range []string{"connection refused", "broken pipe", "connection reset", "failed to connect", "conn closed", "unexpected EOF", "i/o timeout", "no such host", "server closed", "database is closed", "bad connection"} {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}

// DB implements everything the HTTP layer needs.
var _ coop.Directory = (*DB)(nil)
