package sqldb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"

	gosqlite "github.com/glebarez/go-sqlite"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

var (
	// errClosed is what a read or write of a closed DB fails with.
	errClosed = errors.New("sqldb: closed")
	// errUnreachable is what Ping fails with.
	errUnreachable = errors.New("sqldb: unreachable")
)

// Translate maps the drivers' errors to coop errors, once for both databases, by the
// drivers' own error types and codes (PostgreSQL's SQLSTATE, SQLite's extended result
// codes): a duplicate key is a conflict on the slug, a foreign key a conflict on a
// reference, a cancelled or timed-out statement and a lost or refused connection are
// unavailable (the caller may try again later). Coop errors pass unchanged, others
// too (they are internal errors).
func Translate(err error) error {
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
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return timedOut()
	}
	var (
		pgErr     *pgconn.PgError
		sqliteErr *gosqlite.Error
	)
	switch {
	case errors.As(err, &pgErr):
		switch code := pgErr.Code; {
		case code == "23505": // unique_violation
			return slugTaken()
		case code == "23503": // foreign_key_violation
			return referenceConflict()
		case code == "57014": // query_canceled
			return timedOut()
		// Class 08: connection exception; 57P01–57P03: shutting down, crashed, starting
		// up; 53300: too many connections.
		case strings.HasPrefix(code, "08"), strings.HasPrefix(code, "57P"), code == "53300":
			return unavailable()
		}
	case errors.As(err, &sqliteErr):
		switch sqliteErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return slugTaken()
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return referenceConflict()
		case sqlite3.SQLITE_INTERRUPT: // the driver's cancellation of a statement
			return timedOut()
		}
		if sqliteErr.Code()&0xff == sqlite3.SQLITE_BUSY { // busy_timeout passed without the lock
			return unavailable()
		}
	case lostConnection(err):
		return unavailable()
	}
	return err
}

// lostConnection recognises a lost or refused database connection and a closed DB.
func lostConnection(err error) bool {
	var (
		netErr     net.Error
		connectErr *pgconn.ConnectError
	)
	return errors.Is(err, errClosed) || errors.Is(err, errUnreachable) ||
		errors.Is(err, sql.ErrConnDone) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, pgconn.ErrConnClosed) || errors.As(err, &netErr) || errors.As(err, &connectErr) ||
		pgconn.SafeToRetry(err)
}

func slugTaken() error {
	return &coop.Error{Code: coop.EConflict, Message: "Der Slug ist schon vergeben / slug already taken",
		Fields: []coop.FieldError{{Field: "slug", Code: "unique", Message: "Der Slug ist schon vergeben"}}}
}

func referenceConflict() error {
	return coop.Errorf(coop.EConflict, "Ein Verweis fehlt oder wird noch gebraucht / a reference is missing or still in use")
}

func timedOut() error {
	return &coop.Error{Code: coop.EUnavailable, Message: "Zeitüberschreitung / timed out"}
}

func unavailable() error {
	return &coop.Error{Code: coop.EUnavailable, Message: "Datenbank nicht erreichbar / database unavailable"}
}
