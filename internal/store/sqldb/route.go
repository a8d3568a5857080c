package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// Read replicas (PostgreSQL streaming replicas, Options.ReplicaURLs) take the reads;
// the primary keeps everything that must be current:
//
//   - writes, and every statement of a transaction (Tx);
//   - the reads of a context that asks for fresh reads (coop.WithFreshReads): the HTTP
//     layer sets it for every POST, PATCH and DELETE (the current version read before
//     an update, the answer read after it), and the store for the change feed (a
//     portal that wrote something finds its change at once) and the API tokens (a
//     revoked token is refused with the next request).
//
// Every other read goes to the replicas in turn and may be as old as their lag,
// which is expected to be milliseconds.

// route returns the pool a read with ctx goes to: the next replica in turn, or the
// primary when ctx asks for fresh reads or there are no replicas.
func (db *DB) route(ctx context.Context) *pool {
	if len(db.replicas) == 0 || coop.FreshReads(ctx) {
		return &db.primary
	}
	n := db.nextReplica.Add(1) - 1
	return &db.replicas[n%uint64(len(db.replicas))]
}

// ReadPool returns the pool a read with ctx goes to (route), for code that runs its
// own statements on pools (the search engine); such reads do not queue.
func (db *DB) ReadPool(ctx context.Context) *sql.DB { return db.route(ctx).db }

// acquire runs fn on a connection of p, after its turn in p's queue; the connection
// goes back to the pool when fn returns.
func (db *DB) acquire(ctx context.Context, p *pool, fn func(conn *sql.Conn) error) error {
	if db.closed.Load() {
		return errClosed
	}
	if err := p.gate.enter(ctx); err != nil {
		return err
	}
	defer p.gate.leave()
	conn, err := p.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return fn(conn)
}

// Read runs fn with the dialect's executor on a connection of the pool ctx's reads
// go to (route). The executor is pgx natively on PostgreSQL, database/sql on SQLite.
// Errors are translated.
func (db *DB) Read(ctx context.Context, fn func(x Executor) error) error {
	return Translate(db.acquire(ctx, db.route(ctx), func(conn *sql.Conn) error {
		if db.dialect != Postgres {
			return fn(sqlExecutor{q: conn, count: &db.statements})
		}
		return conn.Raw(func(dc any) error {
			c, ok := dc.(*stdlib.Conn)
			if !ok {
				return fmt.Errorf("native reads need pgx's database/sql driver, not %T", dc)
			}
			return fn(pgxExecutor{c: c.Conn(), count: &db.statements})
		})
	}))
}

// Session runs fn with a GORM session on a connection of the pool ctx's reads go to
// (route); statements that write need the primary: a context with fresh reads
// (coop.WithFreshReads). Errors are translated.
func (db *DB) Session(ctx context.Context, fn func(q *gorm.DB) error) error {
	return Translate(db.acquire(ctx, db.route(ctx), func(conn *sql.Conn) error {
		q := db.gorm.WithContext(ctx)
		q.Statement.ConnPool = conn
		return fn(q)
	}))
}

// InTx returns the executor of the transaction tx, for the reads of a write: on
// PostgreSQL pgx natively on the transaction's connection, the statements waiting for
// its next turn (ExecLater) sent in the read's round trip; on SQLite database/sql.
func (db *DB) InTx(tx *gorm.DB) Executor {
	if p, ok := tx.Statement.ConnPool.(pgTx); ok {
		return txExecutor{p}
	}
	return sqlExecutor{q: tx.Statement.ConnPool.(sqlQueryer), numbered: db.dialect == Postgres, count: &db.statements}
}
