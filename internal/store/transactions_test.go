package store_test

import (
	"context"
	"errors"
	"testing"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// probeRows is the content of the table tx_probe, made by probeTable.
func probeRows(t *testing.T, db *store.DB) (n int) {
	t.Helper()
	if err := storetest.SQL(db).QueryRow("SELECT count(*) FROM tx_probe").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func probeTable(t *testing.T, db *store.DB) {
	t.Helper()
	if _, err := storetest.SQL(db).Exec("CREATE TABLE tx_probe (n integer NOT NULL)"); err != nil {
		t.Fatal(err)
	}
}

// A write transaction commits what its function wrote, rolls all of it back when the
// function fails, and a nested transaction (a write of a batch) is a savepoint: its
// failure undoes its own statements only.
func TestWriteTransactionCommitsAndRollsBack(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		probeTable(t, db)
		core, ctx := storetest.Core(db), context.Background()
		failed := errors.New("the function failed")
		err := core.Tx(ctx, func(tx *gorm.DB) error {
			if err := tx.Exec("INSERT INTO tx_probe (n) VALUES (1)").Error; err != nil {
				return err
			}
			return failed
		})
		if !errors.Is(err, failed) || probeRows(t, db) != 0 {
			t.Fatalf("a failed transaction: %v, %d rows kept; want its error and none", err, probeRows(t, db))
		}
		err = core.LockedTx(ctx, lockOf(db), func(tx *gorm.DB) error {
			if err := tx.Exec("INSERT INTO tx_probe (n) VALUES (1)").Error; err != nil {
				return err
			}
			inner := tx.Transaction(func(tx *gorm.DB) error {
				if err := tx.Exec("INSERT INTO tx_probe (n) VALUES (2)").Error; err != nil {
					return err
				}
				return failed
			})
			if !errors.Is(inner, failed) {
				t.Errorf("the nested transaction answered %v", inner)
			}
			return tx.Exec("INSERT INTO tx_probe (n) VALUES (3)").Error
		})
		if err != nil {
			t.Fatal(err)
		}
		var kept []int
		if err := storetest.Gorm(db).Raw("SELECT n FROM tx_probe ORDER BY n").Scan(&kept).Error; err != nil {
			t.Fatal(err)
		}
		if len(kept) != 2 || kept[0] != 1 || kept[1] != 3 {
			t.Errorf("rows after a transaction with a failed savepoint: %v, want [1 3]", kept)
		}
	})
}

// lockOf is a statement the store could take as its write lock on db's dialect.
func lockOf(db *store.DB) string {
	if db.Dialect() == "postgres" {
		return "SELECT pg_advisory_xact_lock_shared(7245001)"
	}
	return "UPDATE changes SET id = id WHERE 0"
}

// On PostgreSQL a statement that failed aborts the transaction: a function that
// ignores the error does not get its earlier statements committed, and the caller
// learns that nothing was written.
func TestWriteTransactionAbortedByAFailedStatement(t *testing.T) {
	db := storetest.MustOpen(t, "postgres")
	probeTable(t, db)
	err := storetest.Core(db).Tx(context.Background(), func(tx *gorm.DB) error {
		if err := tx.Exec("INSERT INTO tx_probe (n) VALUES (1)").Error; err != nil {
			return err
		}
		_ = tx.Exec("INSERT INTO tx_probe (n) VALUES (NULL)").Error // fails: n is NOT NULL
		return nil
	})
	if err == nil || probeRows(t, db) != 0 {
		t.Errorf("commit of an aborted transaction: %v, %d rows; want an error and none", err, probeRows(t, db))
	}
}

// A transaction whose request ends midway leaves its connection clean: on a pool of
// one connection the next write runs, sees nothing of the ended one, and no session
// stays idle in a transaction.
func TestWriteTransactionEndedLeavesItsConnectionClean(t *testing.T) {
	db, err := storetest.Open(t, storetest.MustCreatePostgresURL(t), store.Options{MaxOpenConns: 1, MaxWriters: 1})
	if err != nil {
		t.Fatal(err)
	}
	background := context.Background()
	if err := db.Migrate(background); err != nil {
		t.Fatal(err)
	}
	probeTable(t, db)
	core := storetest.Core(db)
	for _, when := range []string{"between statements", "in a statement"} {
		ctx, cancel := context.WithCancel(background)
		err := core.LockedTx(ctx, lockOf(db), func(tx *gorm.DB) error {
			if err := tx.Exec("INSERT INTO tx_probe (n) VALUES (1)").Error; err != nil {
				return err
			}
			if when == "in a statement" {
				go cancel()
				return tx.Exec("SELECT pg_sleep(5)").Error
			}
			cancel()
			return nil
		})
		if err == nil {
			t.Errorf("a transaction ended %s committed", when)
		}
		var idle int
		err = core.Tx(background, func(tx *gorm.DB) error {
			if err := tx.Exec("INSERT INTO tx_probe (n) VALUES (2)").Error; err != nil {
				return err
			}
			return tx.Raw(`SELECT count(*) FROM pg_stat_activity
				WHERE datname = current_database() AND state LIKE 'idle in transaction%'`).Scan(&idle).Error
		})
		if err != nil {
			t.Fatalf("the next write after one ended %s: %v", when, err)
		}
		if idle != 0 {
			t.Errorf("%d sessions idle in a transaction after one ended %s", idle, when)
		}
	}
	var ones, twos int
	if err := storetest.SQL(db).QueryRow("SELECT count(*) FILTER (WHERE n = 1), count(*) FILTER (WHERE n = 2) FROM tx_probe").Scan(&ones, &twos); err != nil {
		t.Fatal(err)
	}
	if ones != 0 || twos != 2 {
		t.Errorf("rows of the ended transactions %d (want 0), of the next ones %d (want 2)", ones, twos)
	}
}
