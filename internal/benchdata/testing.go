package benchdata

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// MustDB returns a fresh database of the dialect ("postgres", or "sqlite" as a file so
// that readers run in parallel) loaded with a directory of the given size (seed 1),
// vacuumed and analysed, for benchmarks. Like storetest.MustOpen it skips without a
// reachable PostgreSQL.
func MustDB(tb testing.TB, dialect string, size Size) *store.DB {
	tb.Helper()
	var db *store.DB
	if dialect == "sqlite" {
		db = storetest.MustOpenSQLiteFile(tb)
	} else {
		db = storetest.MustOpen(tb, dialect)
	}
	start := time.Now()
	if err := Load(context.Background(), db, size, 1, nil); err != nil {
		tb.Fatal(err)
	}
	stmt := "ANALYZE"
	if dialect == "postgres" {
		stmt = "VACUUM (ANALYZE, FREEZE)"
	}
	if err := db.Gorm().Exec(stmt).Error; err != nil {
		tb.Fatal(err)
	}
	tb.Logf("%s: %d projects generated in %s", dialect, size.Projects, time.Since(start).Round(time.Millisecond))
	return db
}

// CountQueries counts the statements db runs from now on, through any GORM callback
// chain (BEGIN and COMMIT are not statements of a chain and not counted).
func CountQueries(db *store.DB) *atomic.Int64 {
	var n atomic.Int64
	count := func(*gorm.DB) { n.Add(1) }
	cb := db.Gorm().Callback()
	name := fmt.Sprintf("benchdata:count:%p", &n)
	_ = cb.Query().Before("*").Register(name, count)
	_ = cb.Row().Before("*").Register(name, count)
	_ = cb.Raw().Before("*").Register(name, count)
	_ = cb.Create().Before("*").Register(name, count)
	_ = cb.Update().Before("*").Register(name, count)
	_ = cb.Delete().Before("*").Register(name, count)
	return &n
}
