package sqldb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"
)

// Tx runs fn in one transaction on a connection of the primary (on a SQLite file its
// one write connection, openWriter), after its turn among the writers (at most
// Options.MaxWriters at once on PostgreSQL; a transaction never starts another, so
// the queue cannot deadlock): committed if fn returns nil, rolled back otherwise. A
// transaction PostgreSQL aborted to break a deadlock between writers (each waiting for
// a row the other locked) runs again, a few times at most: it changed nothing. Errors
// are translated.
func (db *DB) Tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return db.LockedTx(ctx, "", fn)
}

// LockedTx is Tx whose transaction first runs lock, a statement without arguments
// (the store's write lock). On PostgreSQL lock goes to the server with BEGIN, in the
// round trip of the transaction's first statement: every write saves a turn between
// the service and the database.
func (db *DB) LockedTx(ctx context.Context, lock string, fn func(tx *gorm.DB) error) error {
	if db.writers != nil {
		if err := db.writers.enter(ctx); err != nil {
			return Translate(err)
		}
		defer db.writers.leave()
	}
	return Translate(db.acquire(ctx, db.writer, func(conn *sql.Conn) error {
		for attempt := 1; ; attempt++ {
			err := db.transaction(ctx, conn, lock, fn)
			if err != nil && ctx.Err() != nil {
				// the request ended (the client went away, the deadline passed): that,
				// not the statement it interrupted, is what went wrong
				return ctx.Err()
			}
			if attempt == 5 || !deadlocked(err) {
				return err
			}
		}
	}))
}

// transaction runs fn in one transaction on conn, lock first.
func (db *DB) transaction(ctx context.Context, conn *sql.Conn, lock string, fn func(tx *gorm.DB) error) error {
	q := db.gorm.WithContext(ctx)
	if db.dialect != Postgres {
		q.Statement.ConnPool = conn
		return q.Transaction(func(tx *gorm.DB) error {
			if lock != "" {
				if err := tx.Exec(lock).Error; err != nil {
					return err
				}
			}
			return fn(tx)
		})
	}
	// BEGIN and the lock wait for the transaction's first turn like the statements of
	// ExecLater: they reach the server in the round trip of its first read, or of its
	// COMMIT, one round trip fewer per write. COMMIT and ROLLBACK go to pgx directly,
	// which tells a COMMIT the server answered with ROLLBACK (an aborted transaction)
	// from one that committed. A lock that failed (its wait cancelled) fails the
	// statement it was sent with and leaves the transaction aborted: it is rolled back
	// like any other.
	later := []laterStmt{{query: "BEGIN"}}
	if lock != "" {
		later = append(later, laterStmt{query: lock})
		db.statements.Add(1)
	}
	p := pgTx{Conn: conn, later: &later, count: &db.statements, after: new([]func())}
	ended := false
	defer func() {
		if ended || !begun(p) {
			return
		}
		// on a context of its own: ctx may be what ended the transaction
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if _, err := pgExec(rctx, conn, "ROLLBACK"); err != nil {
			discard(conn) // a connection in an unknown state must not serve another request
		}
	}()
	q.Statement.ConnPool = p
	if err := fn(q); err != nil {
		return err
	}
	tag, err := p.flush(ctx, "COMMIT")
	if err != nil {
		return err
	}
	ended = true
	if tag.String() == "ROLLBACK" {
		return errAborted
	}
	for _, fn := range *p.after {
		fn()
	}
	return nil
}

// begun reports whether p's BEGIN has been sent: until then it is the first of the
// statements waiting, and there is nothing on the server to roll back.
func begun(p pgTx) bool {
	return len(*p.later) == 0 || (*p.later)[0].query != "BEGIN"
}

// errAborted is a COMMIT of a transaction in which a statement had failed.
var errAborted = errors.New("sqldb: the transaction was aborted by an earlier error and rolled back")

// pgTx is the GORM connection of a PostgreSQL transaction begun by transaction: its
// statements go to the transaction's connection, and GORM, which sees a transaction
// (Commit and Rollback), makes a nested Transaction a savepoint. transaction alone
// ends it. Statements given to ExecLater wait in later and go to the server in the
// round trip of the next statement's turn or of the COMMIT.
type pgTx struct {
	*sql.Conn
	later *[]laterStmt // nil: ExecLater runs at once (Immediate)
	count *atomic.Int64
	after *[]func() // run after the COMMIT; nil in Immediate
}

// AfterCommit runs fn once the transaction has committed, and reports whether it will:
// not for the writes of a batch (Immediate), whose savepoints may roll back alone.
func (p pgTx) AfterCommit(fn func()) bool {
	if p.after == nil {
		return false
	}
	*p.after = append(*p.after, fn)
	return true
}

type laterStmt struct {
	query string
	args  []any
}

func (pgTx) Commit() error { return errors.New("sqldb: a transaction ends when its function returns") }
func (pgTx) Rollback() error {
	return errors.New("sqldb: a transaction ends when its function returns")
}

// ExecLater runs query (placeholders of tx's dialect: $1 on PostgreSQL, ? on SQLite)
// in tx's transaction after every statement before it. On PostgreSQL it is sent with
// the transaction's next statement or with its COMMIT, in one round trip (a pipeline),
// so it suits statements whose outcome the write does not read (its search document,
// its change-log record); its error fails that next statement or the commit, and the
// transaction rolls back. Elsewhere, and in the writes of a savepoint (Immediate), it
// runs at once.
func ExecLater(tx *gorm.DB, query string, args ...any) error {
	if p, ok := tx.Statement.ConnPool.(pgTx); ok {
		p.count.Add(1)
		return p.ExecLater(tx.Statement.Context, query, args...)
	}
	return tx.Exec(query, args...).Error
}

// ExecLater is ExecLater on the transaction's connection, for code that runs its own
// statements on it (the search engine, which counts them itself).
func (p pgTx) ExecLater(ctx context.Context, query string, args ...any) error {
	if p.later == nil {
		_, err := p.ExecContext(ctx, query, args...)
		return err
	}
	*p.later = append(*p.later, laterStmt{query, args})
	return nil
}

// Immediate returns tx for writes that must be undone alone (the savepoints of a
// batch): rolling back to a savepoint must not leave statements of it waiting.
func Immediate(tx *gorm.DB) (*gorm.DB, error) {
	p, ok := tx.Statement.ConnPool.(pgTx)
	if !ok || p.later == nil {
		return tx, nil
	}
	if _, err := p.flush(tx.Statement.Context); err != nil {
		return nil, err
	}
	s := tx.WithContext(tx.Statement.Context)
	s.Statement.ConnPool = pgTx{Conn: p.Conn, count: p.count}
	return s, nil
}

// flush sends the statements waiting in later, in one round trip, with end (COMMIT)
// after them if it is not empty; it answers end's command tag.
func (p pgTx) flush(ctx context.Context, end ...string) (tag pgconn.CommandTag, err error) {
	var waiting []laterStmt
	if p.later != nil {
		waiting, *p.later = *p.later, nil
	}
	if len(waiting) == 0 {
		if len(end) == 0 {
			return tag, nil
		}
		return pgExec(ctx, p.Conn, end[0])
	}
	err = withPgx(p.Conn, func(c *pgx.Conn) error {
		var b pgx.Batch
		for _, s := range waiting {
			b.Queue(s.query, s.args...)
		}
		for _, e := range end {
			b.Queue(e)
		}
		br := c.SendBatch(ctx, &b)
		for range waiting {
			if _, err := br.Exec(); err != nil {
				_ = br.Close()
				return err
			}
		}
		if len(end) > 0 {
			if tag, err = br.Exec(); err != nil {
				_ = br.Close()
				return err
			}
		}
		return br.Close()
	})
	return tag, err
}

// txExecutor is the executor of a PostgreSQL write transaction (DB.InTx): its reads
// run natively on the transaction's pgx connection, each after the statements waiting
// for the transaction's next turn, in one pipelined round trip.
type txExecutor struct{ p pgTx }

func (x txExecutor) Query(ctx context.Context, s Stmt, each func(r Rows) error) error {
	x.p.count.Add(1)
	text, args := s.text(true) // GenericPlan is not for writes: set_config would last to the COMMIT
	var waiting []laterStmt
	if x.p.later != nil {
		waiting, *x.p.later = *x.p.later, nil
	}
	return withPgx(x.p.Conn, func(c *pgx.Conn) error { return pgxQuery(ctx, c, waiting, text, args, each) })
}

func (txExecutor) AnyOf(col string, ids []string) Fragment { return pgxExecutor{}.AnyOf(col, ids) }

// The statements of the transaction's own turns send the waiting ones first.

func (p pgTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if _, err := p.flush(ctx); err != nil {
		return nil, err
	}
	return p.Conn.ExecContext(ctx, query, args...)
}

func (p pgTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if _, err := p.flush(ctx); err != nil {
		return nil, err
	}
	return p.Conn.QueryContext(ctx, query, args...)
}

// QueryRowContext reports a failed flush through the row: the transaction is aborted,
// so the query fails too.
func (p pgTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	_, _ = p.flush(ctx)
	return p.Conn.QueryRowContext(ctx, query, args...)
}

func (p pgTx) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	if _, err := p.flush(ctx); err != nil {
		return nil, err
	}
	return p.Conn.PrepareContext(ctx, query)
}

// pgExec runs stmt (without arguments) on conn's pgx connection.
func pgExec(ctx context.Context, conn *sql.Conn, stmt string) (tag pgconn.CommandTag, err error) {
	err = withPgx(conn, func(c *pgx.Conn) error {
		tag, err = c.Exec(ctx, stmt)
		return err
	})
	return tag, err
}

// withPgx runs fn with conn's pgx connection.
func withPgx(conn *sql.Conn, fn func(c *pgx.Conn) error) error {
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("PostgreSQL transactions need pgx's database/sql driver, not %T", dc)
		}
		return fn(c.Conn())
	})
}

// discard closes conn's database connection instead of returning it to the pool.
func discard(conn *sql.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
}

// deadlocked reports whether err is PostgreSQL's deadlock_detected (40P01) or
// serialization_failure (40001).
func deadlocked(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "40P01" || pgErr.Code == "40001")
}
