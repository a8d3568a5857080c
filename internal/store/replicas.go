package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/plugin/dbresolver"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// Read replicas (PostgreSQL streaming replicas, Options.ReplicaURLs) take the reads;
// the primary keeps everything that must be current. The routing is gorm's dbresolver
// plugin plus three rules of this store:
//
//   - writes (Create, Update, Delete, Exec) and every statement of a transaction go to
//     the primary — dbresolver does that by itself, and every write of the store runs
//     in a transaction (db.tx), its reads included;
//   - reads of a request that writes (coop.WithFreshReads, set by the HTTP layer for
//     every POST, PATCH and DELETE) go to the primary: the current version read before
//     an update, the answer read after it;
//   - the change feed (FindChanges, see primary) and the API tokens (primaryTables)
//     are read on the primary: a portal that wrote something finds its change in the
//     feed at once, and a revoked token is refused with the next request.
//
// A replica is expected to lag by milliseconds; every other read may be that old.
//
// The reads of the resources bypass GORM (read.go) and take their pool from readPool,
// which applies the same rules: round robin over the replicas, the primary for fresh
// reads or without replicas.

// primaryTables are read on the primary even with replicas configured.
var primaryTables = []any{"api_tokens"}

// replicaPoolMax bounds a replica's pool when Options.MaxOpenConns is not set.
const replicaPoolMax = 16

// useReplicas opens a pool per replica URL and routes reads to them.
func (db *DB) useReplicas(urls []string, maxOpen int) error {
	if len(urls) == 0 {
		return nil
	}
	if db.dialect != Postgres {
		return errors.New("read replicas need PostgreSQL")
	}
	if maxOpen <= 0 {
		maxOpen = replicaPoolMax
	}
	dialectors := make([]gorm.Dialector, 0, len(urls))
	for i, u := range urls {
		cfg, err := pgx.ParseConfig(u)
		if err != nil {
			return fmt.Errorf("replica %d: %w", i+1, err)
		}
		pool := stdlib.OpenDB(*cfg)
		pool.SetMaxOpenConns(maxOpen)
		pool.SetMaxIdleConns(maxOpen)
		pool.SetConnMaxIdleTime(5 * time.Minute)
		db.replicas = append(db.replicas, pool)
		db.addGate(pool, maxOpen)
		dialectors = append(dialectors, postgres.New(postgres.Config{Conn: pool}))
	}
	resolver := dbresolver.Register(dbresolver.Config{Replicas: dialectors, Policy: dbresolver.StrictRoundRobinPolicy()}).
		Register(dbresolver.Config{}, primaryTables...)
	// dbresolver opens the replicas with the primary's config, which pings at once and
	// without a time limit; the caller checks them with a deadline instead (Ping).
	ping := db.gorm.DisableAutomaticPing
	db.gorm.DisableAutomaticPing = true
	err := db.gorm.Use(resolver)
	db.gorm.DisableAutomaticPing = ping
	if err != nil {
		return fmt.Errorf("read replicas: %w", err)
	}
	// Fresh reads: whether this runs before or after dbresolver's own callback, it
	// re-resolves the statement as a write, so the primary's pool executes it.
	cb := db.gorm.Callback()
	for _, err := range []error{
		cb.Query().Before("gorm:query").Register("ikz:fresh_reads", freshReads),
		cb.Row().Before("gorm:row").Register("ikz:fresh_reads", freshReads),
		cb.Raw().Before("gorm:raw").Register("ikz:fresh_reads", freshReads),
	} {
		if err != nil {
			return fmt.Errorf("read replicas: %w", err)
		}
	}
	return nil
}

// freshReads sends a statement to the primary when its context asks for fresh reads
// (dbresolver.Write marks it and resolves its pool again; inside a transaction it
// changes nothing).
func freshReads(tx *gorm.DB) {
	if ctx := tx.Statement.Context; ctx != nil && coop.FreshReads(ctx) {
		dbresolver.Write.ModifyStatement(tx.Statement)
	}
}

// readPool returns the pool a read with ctx goes to outside GORM: the next replica in
// turn, or the primary when ctx asks for fresh reads or there are no replicas.
func (db *DB) readPool(ctx context.Context) *sql.DB {
	if len(db.replicas) == 0 || coop.FreshReads(ctx) {
		return db.sql
	}
	n := db.nextReplica.Add(1) - 1
	return db.replicas[n%uint64(len(db.replicas))]
}

// primary makes q read on the primary database even with replicas configured (a
// no-op without them).
func primary(q *gorm.DB) *gorm.DB { return q.Clauses(dbresolver.Write) }

// Replicas returns the pools of the read replicas (none without
// Options.ReplicaURLs), e.g. for their statistics.
func (db *DB) Replicas() []*sql.DB { return db.replicas }

// pingReplicas checks that every replica answers.
func (db *DB) pingReplicas(ctx context.Context) error {
	for _, r := range db.replicas {
		if err := r.PingContext(ctx); err != nil {
			return err
		}
	}
	return nil
}

// closeReplicas closes the replicas' pools.
func (db *DB) closeReplicas() error {
	var errs []error
	for _, r := range db.replicas {
		errs = append(errs, r.Close())
	}
	return errors.Join(errs...)
}
