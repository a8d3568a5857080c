package sqldb

import (
	"context"
	"database/sql"
	"sync/atomic"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// The store's own statements run on an executor, and the dialect only decides which:
// on PostgreSQL pgx natively (database/sql would have pgx decode every value into a
// driver.Value and convert it again), inside write transactions too (tx.go:
// txExecutor); on SQLite database/sql. The statements, the scans and what is made of
// them are the same.

// Rows is a result being read. pgx.Rows and *sql.Rows both satisfy it, so one scan
// per resource serves both executors: destinations that both drivers fill (strings,
// numbers, times, pointers to them for NULL, pgtype's nullable types).
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// Executor runs the statements of one read on one connection.
type Executor interface {
	// Query runs s and calls each for every row; an error of each ends the read.
	Query(ctx context.Context, s Stmt, each func(r Rows) error) error
	// AnyOf is the condition "col is one of ids" (uuids).
	AnyOf(col string, ids []string) Fragment
}

// QueryRow runs s, which reads one row, into dest; found is false without a row.
func QueryRow(ctx context.Context, x Executor, s Stmt, dest ...any) (found bool, err error) {
	err = x.Query(ctx, s, func(r Rows) error {
		if found {
			return nil
		}
		found = true
		return r.Scan(dest...)
	})
	return found, err
}

// ReadAll runs s and returns its rows, each scanned into the destinations dest gives
// of a fresh T.
func ReadAll[T any](ctx context.Context, x Executor, s Stmt, dest func(*T) []any) ([]T, error) {
	var (
		out []T
		v   T
	)
	d := dest(&v)
	err := x.Query(ctx, s, func(r Rows) error {
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

func (x pgxExecutor) Query(ctx context.Context, s Stmt, each func(r Rows) error) (err error) {
	x.count.Add(1) // a pipelined batch is one round trip: it counts once
	text, args := s.text(true)
	var before []laterStmt
	if s.GenericPlan {
		before = []laterStmt{{query: forceGenericPlan}}
	}
	return pgxQuery(ctx, x.c, before, text, args, each)
}

// pgxQuery runs the statements before (their results unread) and then the query text
// on c, all in one round trip, and calls each for every row of the query.
func pgxQuery(ctx context.Context, c *pgx.Conn, before []laterStmt, text string, args []any, each func(r Rows) error) (err error) {
	var r pgx.Rows
	if len(before) > 0 {
		b := &pgx.Batch{}
		for _, s := range before {
			b.Queue(s.query, s.args...)
		}
		b.Queue(text, args...)
		br := c.SendBatch(ctx, b)
		defer func() {
			if cerr := br.Close(); err == nil {
				err = cerr
			}
		}()
		for range before {
			if _, err := br.Exec(); err != nil {
				return err
			}
		}
		r, err = br.Query()
	} else {
		r, err = c.Query(ctx, text, args...)
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

// AnyOf passes the ids as one uuid[] parameter in binary (of a []string pgx tries
// binary, fails per element and falls back to text).
func (pgxExecutor) AnyOf(col string, ids []string) Fragment {
	arr := make([]pgtype.UUID, len(ids))
	for i, id := range ids {
		u, err := uuid.Parse(id)
		arr[i] = pgtype.UUID{Bytes: u, Valid: err == nil}
	}
	return Fragment{col + " = ANY(?)", []any{arr}}
}

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

func (x sqlExecutor) Query(ctx context.Context, s Stmt, each func(r Rows) error) error {
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

func (sqlExecutor) AnyOf(col string, ids []string) Fragment {
	return Fragment{col + " IN ?", []any{ids}}
}
