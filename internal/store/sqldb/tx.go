package sqldb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

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
// (the store's write lock). On PostgreSQL lock goes to the server in one round trip
// with BEGIN: every write saves a turn between the service and the database.
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
	begin := "BEGIN"
	if lock != "" {
		begin += "; " + lock
		db.statements.Add(1)
	}
	// Without arguments pgx sends a statement by the simple protocol, which takes
	// several at once; BEGIN, COMMIT and ROLLBACK go to pgx directly, which tells a
	// COMMIT the server answered with ROLLBACK (an aborted transaction) from one that
	// committed.
	if _, err := pgExec(ctx, conn, begin); err != nil {
		return err
	}
	ended := false
	defer func() {
		if ended {
			return
		}
		// on a context of its own: ctx may be what ended the transaction
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if _, err := pgExec(rctx, conn, "ROLLBACK"); err != nil {
			discard(conn) // a connection in an unknown state must not serve another request
		}
	}()
	q.Statement.ConnPool = pgTx{conn}
	if err := fn(q); err != nil {
		return err
	}
	tag, err := pgExec(ctx, conn, "COMMIT")
	if err != nil {
		return err
	}
	ended = true
	if tag.String() == "ROLLBACK" {
		return errAborted
	}
	return nil
}

// errAborted is a COMMIT of a transaction in which a statement had failed.
var errAborted = errors.New("sqldb: the transaction was aborted by an earlier error and rolled back")

// pgTx is the GORM connection of a PostgreSQL transaction begun by transaction: its
// statements go to the transaction's connection, and GORM, which sees a transaction
// (Commit and Rollback), makes a nested Transaction a savepoint. transaction alone
// ends it.
type pgTx struct{ *sql.Conn }

func (pgTx) Commit() error { return errors.New("sqldb: a transaction ends when its function returns") }
func (pgTx) Rollback() error {
	return errors.New("sqldb: a transaction ends when its function returns")
}

// pgExec runs stmt (without arguments) on conn's pgx connection.
func pgExec(ctx context.Context, conn *sql.Conn, stmt string) (tag pgconn.CommandTag, err error) {
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("PostgreSQL transactions need pgx's database/sql driver, not %T", dc)
		}
		tag, err = c.Conn().Exec(ctx, stmt)
		return err
	})
	return tag, err
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
