package storetest

import (
	"database/sql"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/sqldb"
)

// cores are the database cores of the stores Open opened, until their test ends.
var cores sync.Map // *store.DB → *sqldb.DB

// Open opens the store on dsn as store.Open does, closed when the test ends, and
// keeps its core for Core, Gorm, SQL and Statements.
func Open(tb testing.TB, dsn string, opt store.Options) (*store.DB, error) {
	tb.Helper()
	core, err := sqldb.Open(dsn, opt)
	if err != nil {
		return nil, err
	}
	db, err := store.New(core)
	if err != nil {
		_ = core.Close()
		return nil, err
	}
	cores.Store(db, core)
	tb.Cleanup(func() {
		cores.Delete(db)
		_ = db.Close()
	})
	return db, nil
}

// Core returns the database core of a store opened by this package.
func Core(db *store.DB) *sqldb.DB {
	core, ok := cores.Load(db)
	if !ok {
		panic("storetest: the store was not opened by storetest")
	}
	return core.(*sqldb.DB)
}

// Gorm returns a GORM handle on db's primary, outside the store's queue, for raw SQL
// in tests.
func Gorm(db *store.DB) *gorm.DB { return Core(db).Gorm() }

// SQL returns the primary's connection pool of db.
func SQL(db *store.DB) *sql.DB { return Core(db).Pools()[0] }

// Counter counts the statements a store sends (sqldb.DB.Statements: BEGIN and COMMIT
// not counted, statements pipelined in one round trip once), from its last Reset.
type Counter struct {
	core  *sqldb.DB
	start int64
}

// Statements returns a counter of the statements db sends from now on.
func Statements(db *store.DB) *Counter {
	c := &Counter{core: Core(db)}
	c.Reset()
	return c
}

// Reset starts counting again.
func (c *Counter) Reset() { c.start = c.core.Statements() }

// N is the number of statements sent since the last Reset.
func (c *Counter) N() int64 { return c.core.Statements() - c.start }
