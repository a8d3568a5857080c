// Package benchtest opens databases filled by package benchdata for benchmarks. It
// imports testing, so it lives apart from benchdata, which the binary links for
// `seed --demo`.
package benchtest

import (
	"context"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/benchdata"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// MustDB returns a fresh database of the dialect ("postgres", or "sqlite" as a file so
// that readers run in parallel) loaded with a directory of the given size (seed 1),
// vacuumed and analysed, for benchmarks. Like storetest.MustOpen it skips without a
// reachable PostgreSQL.
func MustDB(tb testing.TB, dialect string, size benchdata.Size) *store.DB {
	tb.Helper()
	var db *store.DB
	if dialect == "sqlite" {
		db = storetest.MustOpenSQLiteFile(tb)
	} else {
		db = storetest.MustOpen(tb, dialect)
	}
	start := time.Now()
	if err := benchdata.Load(context.Background(), db, size, 1, nil); err != nil {
		tb.Fatal(err)
	}
	stmt := "ANALYZE"
	if dialect == "postgres" {
		stmt = "VACUUM (ANALYZE, FREEZE)"
	}
	if err := storetest.Gorm(db).Exec(stmt).Error; err != nil {
		tb.Fatal(err)
	}
	tb.Logf("%s: %d projects generated in %s", dialect, size.Projects, time.Since(start).Round(time.Millisecond))
	return db
}

// CountQueries counts the statements db sends from now on, through GORM or natively
// (BEGIN and COMMIT are not counted).
func CountQueries(db *store.DB) *storetest.Counter { return storetest.Statements(db) }
