package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync/atomic"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"
)

// The reads of the directory's resources are built with query (query.go), scanned by
// hand into fixed destinations (one column list and one scan per resource) and run by
// an executor. The executor is the only thing the dialect decides: on PostgreSQL
// outside transactions it is pgx natively, on a connection of the pool the read is
// routed to (database/sql would have pgx decode every value into a driver.Value and
// convert it again); on SQLite, and inside write transactions on both databases, it is
// database/sql. The statements, the scans and what is made of them are the same.

// rows is a result being read. pgx.Rows and *sql.Rows both satisfy it, so the scans
// serve both executors.
type rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// stmt is one statement to run: a query, or SQL text with ? placeholders.
type stmt struct {
	q    *query
	sql  string
	args []any
	// genericPlan runs the statement with its generic plan and without sorting where
	// an index gives the order (forceGenericPlan; PostgreSQL's native executor only).
	genericPlan bool
}

// text returns the statement with ? placeholders or (dollar) $1, $2, ….
func (s stmt) text(dollar bool) (string, []any) {
	switch {
	case s.q != nil:
		return s.q.build(dollar)
	case dollar:
		return numbered(s.sql), s.args
	}
	return s.sql, s.args
}

// executor runs the statements of one read on one connection.
type executor interface {
	// query runs s and calls each for every row; an error of each ends the read.
	query(ctx context.Context, s stmt, each func(r rows) error) error
	// anyOf is the condition "col is one of ids" (uuids).
	anyOf(col string, ids []string) fragment
	// skip is a destination that discards columns (any number of them, in one row).
	skip() any
}

// read runs fn with an executor on a connection of the pool a read with ctx goes to
// (readPool), after its turn in the pool's queue (fifogate.go).
func (db *DB) read(ctx context.Context, fn func(x executor) error) error {
	pool := db.readPool(ctx)
	if gate := db.gateFor(pool); gate != nil {
		if err := gate.enter(ctx); err != nil {
			return translate(err)
		}
		defer gate.leave()
	}
	conn, err := pool.Conn(ctx)
	if err != nil {
		return translate(err)
	}
	defer conn.Close()
	if db.dialect != Postgres {
		return translate(fn(sqlExecutor{q: conn, count: &db.statements}))
	}
	return translate(conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("native reads need pgx's database/sql driver, not %T", dc)
		}
		return fn(pgxExecutor{c: c.Conn(), count: &db.statements})
	}))
}

// inTx returns the executor of a write transaction: database/sql on its connection.
func (db *DB) inTx(tx *gorm.DB) executor {
	return sqlExecutor{q: tx.Statement.ConnPool.(sqlQueryer), numbered: db.dialect == Postgres, count: &db.statements}
}

// pgxExecutor runs statements natively on a pgx connection. pgx prepares each
// statement once per connection (its statement cache).
type pgxExecutor struct {
	c     *pgx.Conn
	count *atomic.Int64
}

// forceGenericPlan makes the statements after it in the same transaction run with
// their generic plan, planned without a sort where an index gives the order; sent in
// one pipelined batch with a statement (one Sync, so one implicit transaction), it
// applies to that statement alone and ends with it.
//
// PostgreSQL decides per connection, after five custom plans, whether a prepared
// statement keeps its generic plan; for a keyset page the custom plans' estimated cost
// depends on where the cursor stood in those five, so some connections re-planned the
// page on every execution (half of the page's PostgreSQL CPU) and others never did.
// The generic plan alone is not safe either: it guesses that few rows follow the
// cursor, and with the default cost settings it then sorts every row after the cursor
// (a bitmap scan and a sort instead of the index range), hence no sort.
const forceGenericPlan = "SELECT set_config('plan_cache_mode', 'force_generic_plan', true), set_config('enable_sort', 'off', true)"

func (x pgxExecutor) query(ctx context.Context, s stmt, each func(r rows) error) (err error) {
	x.count.Add(1) // a pipelined batch is one round trip: it counts once
	text, args := s.text(true)
	var r pgx.Rows
	if s.genericPlan {
		b := &pgx.Batch{}
		b.Queue(forceGenericPlan)
		b.Queue(text, args...)
		br := x.c.SendBatch(ctx, b)
		defer func() {
			if cerr := br.Close(); err == nil {
				err = cerr
			}
		}()
		if _, err := br.Exec(); err != nil {
			return err
		}
		r, err = br.Query()
	} else {
		r, err = x.c.Query(ctx, text, args...)
	}
	if err != nil {
		return err
	}
	defer r.Close()
	for r.Next() {
		if err := each(r); err != nil {
			return err
		}
	}
	return r.Err()
}

// anyOf passes the ids as one uuid[] parameter in binary (of a []string pgx tries
// binary, fails per element and falls back to text).
func (pgxExecutor) anyOf(col string, ids []string) fragment {
	arr := make([]pgtype.UUID, len(ids))
	for i, id := range ids {
		u, err := uuid.Parse(id)
		arr[i] = pgtype.UUID{Bytes: u, Valid: err == nil}
	}
	return fragment{col + " = ANY(?)", []any{arr}}
}

// skip: pgx skips the columns of nil destinations.
func (pgxExecutor) skip() any { return nil }

// sqlQueryer is a *sql.Conn or a *sql.Tx.
type sqlQueryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// sqlExecutor runs statements through database/sql.
type sqlExecutor struct {
	q        sqlQueryer
	numbered bool // PostgreSQL's $1, $2, … placeholders
	count    *atomic.Int64
}

func (x sqlExecutor) query(ctx context.Context, s stmt, each func(r rows) error) error {
	x.count.Add(1)
	text, args := s.text(x.numbered)
	r, err := x.q.QueryContext(ctx, text, args...)
	if err != nil {
		return err
	}
	defer r.Close()
	for r.Next() {
		if err := each(r); err != nil {
			return err
		}
	}
	return r.Err()
}

func (sqlExecutor) anyOf(col string, ids []string) fragment {
	return fragment{col + " IN ?", []any{ids}}
}

func (sqlExecutor) skip() any { return new(any) }

// queryRow runs s, which reads one row, into dest; found is false without a row.
func queryRow(ctx context.Context, x executor, s stmt, dest ...any) (found bool, err error) {
	err = x.query(ctx, s, func(r rows) error {
		if found {
			return nil
		}
		found = true
		return r.Scan(dest...)
	})
	return found, err
}

// readAll runs s and returns its rows, each scanned into the destinations dest gives
// of a fresh T.
func readAll[T any](ctx context.Context, x executor, s stmt, dest func(*T) []any) ([]T, error) {
	var (
		out []T
		v   T
	)
	d := dest(&v)
	err := x.query(ctx, s, func(r rows) error {
		var zero T
		v = zero
		if err := r.Scan(d...); err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	return out, err
}
