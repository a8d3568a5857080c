// Package storetest opens fresh, migrated databases for tests: an in-memory SQLite
// and, on the local PostgreSQL server, a database created for the test and dropped
// after it. The same tests run on both. It also holds what tests may do that the
// store's API does not offer: raw SQL on a store's database (Gorm, SQL) and counting
// the statements of an operation (Statements).
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx" for CREATE/DROP DATABASE

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
)

// DefaultServerURL is the local PostgreSQL the tests use unless TEST_DATABASE_URL
// names another server (its database part is replaced by a fresh one per test).
const DefaultServerURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// Dialects are the names ForEachDB runs under.
var Dialects = []string{"sqlite", "postgres"}

// ForEachDB runs fn as a subtest on a fresh SQLite and a fresh PostgreSQL database.
func ForEachDB(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Dialects {
		t.Run(d, func(t *testing.T) {
			fn(t, MustOpen(t, d))
		})
	}
}

// MustOpen returns a fresh migrated database of the dialect ("sqlite" or "postgres"),
// closed (and dropped) when the test ends. Without a reachable PostgreSQL the test is
// skipped — or fails when IKZ_REQUIRE_POSTGRES=1, as in CI.
func MustOpen(tb testing.TB, dialect string) *store.DB {
	tb.Helper()
	dsn := "sqlite::memory:"
	if dialect == "postgres" {
		dsn = mustCreatePostgres(tb)
	}
	db, err := Open(tb, dsn, store.Options{MaxOpenConns: 8})
	if err != nil {
		tb.Fatalf("open %s: %v", dialect, err)
	}
	if err := db.Migrate(context.Background()); err != nil {
		tb.Fatalf("migrate %s: %v", dialect, err)
	}
	return db
}

// MustOpenSQLiteFile opens a fresh SQLite database file in a temporary directory
// (for tests that need several connections, e.g. concurrency).
func MustOpenSQLiteFile(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := Open(tb, "sqlite:"+tb.TempDir()+"/test.db", store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	if err := db.Migrate(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return db
}

// MustCreatePostgresURL creates an empty database on the test server, dropped when the
// test ends, and returns its URL — for tests that start the service themselves (a
// child process, a proxy in between). Like MustOpen it skips the test without a
// reachable PostgreSQL, or fails it when IKZ_REQUIRE_POSTGRES=1.
func MustCreatePostgresURL(tb testing.TB) string {
	tb.Helper()
	return mustCreatePostgres(tb)
}

// serverURL is the PostgreSQL server to create test databases on.
func serverURL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultServerURL
}

// mustCreatePostgres creates a database named for the test and returns its URL.
func mustCreatePostgres(tb testing.TB) string {
	tb.Helper()
	base := serverURL()
	admin, err := sql.Open("pgx", base)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = admin.PingContext(ctx)
		cancel()
	}
	if err != nil {
		if os.Getenv("IKZ_REQUIRE_POSTGRES") == "1" {
			tb.Fatalf("PostgreSQL required (IKZ_REQUIRE_POSTGRES=1) but unreachable at %s: %v", redact(base), err)
		}
		tb.Skipf("PostgreSQL unreachable at %s (set IKZ_REQUIRE_POSTGRES=1 to fail instead): %v", redact(base), err)
	}
	name := "ikz_test_" + randomHex(6)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		tb.Fatalf("create database: %v", err)
	}
	tb.Cleanup(func() {
		_, _ = admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		_ = admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func redact(u string) string {
	if i := strings.Index(u, "@"); i > 0 {
		if j := strings.Index(u, "://"); j > 0 && j < i {
			return u[:j+3] + "…" + u[i:]
		}
	}
	return u
}

// Name returns a short unique suffix for slugs made in tests.
func Name(prefix string) string { return fmt.Sprintf("%s-%s", prefix, randomHex(3)) }
