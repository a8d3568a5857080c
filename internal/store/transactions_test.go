package store_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/sqldb"
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

// A transaction that ends midway — its request ends between statements, in one, or
// while it waits for the write lock another session holds, or the lock's wait runs
// into a lock_timeout — leaves its connection clean: on a pool of one connection the
// next write runs, sees nothing of the ended one, and no session stays idle in a
// transaction.
func TestWriteTransactionEndedLeavesItsConnectionClean(t *testing.T) {
	db, url := poolOfOne(t)
	background := context.Background()
	probeTable(t, db)
	core := storetest.Core(db)
	// another session holds the write lock exclusively (as the search reindex does)
	other, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	holder, err := other.Conn(background)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	for _, when := range []string{"between statements", "in a statement", "waiting for its lock", "after lock_timeout"} {
		ctx, cancel := context.WithCancel(background)
		waits := strings.Contains(when, "lock")
		if waits {
			if _, err := holder.ExecContext(background, "SELECT pg_advisory_lock(7245001)"); err != nil {
				t.Fatal(err)
			}
		}
		switch when {
		case "waiting for its lock":
			time.AfterFunc(300*time.Millisecond, cancel)
		case "after lock_timeout": // set by a DBA: the lock fails, the request goes on
			if _, err := storetest.SQL(db).Exec("SET lock_timeout = '300ms'"); err != nil {
				t.Fatal(err)
			}
		}
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
		if waits {
			if _, err := holder.ExecContext(background, "SELECT pg_advisory_unlock(7245001)"); err != nil {
				t.Fatal(err)
			}
		}
		cancel()
		err = core.Tx(background, func(tx *gorm.DB) error {
			return tx.Exec("INSERT INTO tx_probe (n) VALUES (2)").Error
		})
		if err != nil {
			t.Fatalf("the next write after one ended %s: %v", when, err)
		}
		// A connection the ended transaction left broken is closed, and its server
		// session ends when it reads the close: it may show for a moment, not stay.
		var idle int
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			if err := other.QueryRow(`SELECT count(*) FROM pg_stat_activity
				WHERE datname = current_database() AND state LIKE 'idle in transaction%'`).Scan(&idle); err != nil {
				t.Fatal(err)
			}
			if idle == 0 || time.Now().After(deadline) {
				break
			}
		}
		if idle != 0 {
			t.Errorf("%d sessions stay idle in a transaction after one ended %s", idle, when)
		}
	}
	var ones, twos int
	if err := storetest.SQL(db).QueryRow("SELECT count(*) FILTER (WHERE n = 1), count(*) FILTER (WHERE n = 2) FROM tx_probe").Scan(&ones, &twos); err != nil {
		t.Fatal(err)
	}
	if ones != 0 || twos != 4 {
		t.Errorf("rows of the ended transactions %d (want 0), of the next ones %d (want 4)", ones, twos)
	}
}

// A statement a write leaves for later (sqldb.ExecLater: on PostgreSQL sent with the
// next statement or the commit) runs in its place: the next statement sees what it
// wrote, and when it fails the write fails and nothing of it is kept.
func TestWriteTransactionStatementsLeftForLater(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		probeTable(t, db)
		core, ctx := storetest.Core(db), context.Background()
		err := core.Tx(ctx, func(tx *gorm.DB) error {
			if err := sqldb.ExecLater(tx, "INSERT INTO tx_probe (n) VALUES (1)"); err != nil {
				return err
			}
			var n int
			if err := tx.Raw("SELECT count(*) FROM tx_probe").Scan(&n).Error; err != nil {
				return err
			}
			if n != 1 {
				t.Errorf("the statement after one left for later saw %d rows, want 1", n)
			}
			if err := sqldb.ExecLater(tx, "INSERT INTO tx_probe (n) VALUES (2)"); err != nil {
				return err
			}
			// the store's own reads see it too (on PostgreSQL it goes with the read)
			if _, err := sqldb.QueryRow(ctx, core.InTx(tx), sqldb.Raw("SELECT count(*) FROM tx_probe"), &n); err != nil {
				return err
			}
			if n != 2 {
				t.Errorf("the store's read after a statement left for later saw %d rows, want 2", n)
			}
			return nil
		})
		if err != nil || probeRows(t, db) != 2 {
			t.Fatalf("statements left for later: %v, %d rows; want both", err, probeRows(t, db))
		}
		err = core.Tx(ctx, func(tx *gorm.DB) error {
			if err := sqldb.ExecLater(tx, "INSERT INTO tx_probe (n) VALUES (NULL)"); err != nil {
				return err
			}
			var n int
			_, err := sqldb.QueryRow(ctx, core.InTx(tx), sqldb.Raw("SELECT count(*) FROM tx_probe"), &n)
			if err == nil {
				t.Errorf("the store's read after a failing statement left for later succeeded (%d rows)", n)
			}
			return err
		})
		if err == nil || probeRows(t, db) != 2 {
			t.Errorf("a failing statement left for later, then a read: %v, %d rows; want an error and the 2 of before", err, probeRows(t, db))
		}
		err = core.Tx(ctx, func(tx *gorm.DB) error {
			if err := tx.Exec("INSERT INTO tx_probe (n) VALUES (3)").Error; err != nil {
				return err
			}
			return sqldb.ExecLater(tx, "INSERT INTO tx_probe (n) VALUES (NULL)") // fails: n is NOT NULL
		})
		if err == nil || probeRows(t, db) != 2 {
			t.Errorf("a failing statement left for later: %v, %d rows; want an error and the 2 of before", err, probeRows(t, db))
		}
	})
}

// refuseKaputtChanges makes db refuse every change-log record that mentions "Kaputt"
// (a trigger): the write it belongs to fails at its end.
func refuseKaputtChanges(t *testing.T, db *store.DB) {
	t.Helper()
	refuse := `CREATE FUNCTION refuse_kaputt() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN RAISE EXCEPTION 'kaputt'; END $$;
		CREATE TRIGGER refuse_kaputt BEFORE INSERT ON changes FOR EACH ROW
		WHEN (NEW.changes LIKE '%Kaputt%') EXECUTE FUNCTION refuse_kaputt()`
	if db.Dialect() != "postgres" {
		refuse = `CREATE TRIGGER refuse_kaputt BEFORE INSERT ON changes
			WHEN NEW.changes LIKE '%Kaputt%' BEGIN SELECT RAISE(ABORT, 'kaputt'); END`
	}
	if _, err := storetest.SQL(db).Exec(refuse); err != nil {
		t.Fatal(err)
	}
}

// A write whose change-log record fails (here by a trigger that refuses one partner's)
// writes nothing; in a batch, where every write is a savepoint, it is undone alone
// and the batch's other writes are kept. On PostgreSQL the record goes to the server
// with the commit, or in a batch at once.
func TestWriteWithAFailingChangeRecord(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		refuseKaputtChanges(t, db)
		ctx := context.Background()
		partner := func(ctx context.Context, slug, name string) error {
			_, err := db.CreatePartner(ctx, coop.PartnerDraft{Slug: slug, Name: name, Type: "company"})
			return err
		}
		if err := partner(ctx, "kaputt", "Kaputt GmbH"); err == nil {
			t.Error("a create whose change record failed succeeded")
		}
		err := db.Batch(ctx, func(ctx context.Context) error {
			for _, p := range [][2]string{{"eins", "Eins GmbH"}, {"kaputt", "Kaputt GmbH"}, {"drei", "Drei GmbH"}} {
				if err := partner(ctx, p[0], p[1]); (p[0] == "kaputt") != (err != nil) {
					t.Errorf("%s in the batch: %v", p[0], err)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for slug, want := range map[string]bool{"eins": true, "kaputt": false, "drei": true} {
			_, err := db.FindPartner(ctx, slug)
			if found := err == nil; found != want {
				t.Errorf("partner %s found: %v (%v), want %v", slug, found, err, want)
			}
		}
	})
}

// A project created with a slug another project has is refused as a conflict on the
// slug, and nothing of it is written: no second project, no change record, no search
// document (on PostgreSQL the row goes to the server only with the commit).
func TestProjectCreateWithATakenSlug(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		w.mustProject(t, "doppelt", nil)
		before, err := db.FindChanges(w.ctx, coop.ChangeFilter{})
		if err != nil {
			t.Fatal(err)
		}
		d := draft("doppelt")
		d.Title = "Zweites Vorhaben Einzigartigwort"
		_, err = db.CreateProject(w.ctx, d)
		ce := mustCode(t, err, coop.EConflict)
		if len(ce.Fields) != 1 || ce.Fields[0].Field != "slug" {
			t.Errorf("conflict on %+v, want the slug", ce.Fields)
		}
		after, err := db.FindChanges(w.ctx, coop.ChangeFilter{})
		if err != nil || len(after) != len(before) {
			t.Errorf("change records %d -> %d (%v): the refused create wrote one", len(before), len(after), err)
		}
		hits, err := db.Search(w.ctx, coop.SearchQuery{Q: "Einzigartigwort"})
		if err != nil || hits.Total != 0 {
			t.Errorf("search finds the refused create: %+v %v", hits, err)
		}
	})
}

// A PostgreSQL write transaction holds its lock from its first statement on, whether
// that statement goes through GORM or the store's own executor, and a transaction that
// fails before its first statement leaves its connection as it found it.
func TestWriteTransactionLockedFromItsFirstStatement(t *testing.T) {
	db, _ := poolOfOne(t)
	ctx := context.Background()
	core := storetest.Core(db)
	const held = `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()`
	failed := errors.New("refused before any statement")
	if err := core.LockedTx(ctx, lockOf(db), func(*gorm.DB) error { return failed }); !errors.Is(err, failed) {
		t.Fatalf("a transaction failing before its first statement: %v", err)
	}
	for _, first := range []string{"gorm", "executor"} {
		var locks int
		err := core.LockedTx(ctx, lockOf(db), func(tx *gorm.DB) error {
			if first == "gorm" {
				return tx.Raw(held).Scan(&locks).Error
			}
			_, err := sqldb.QueryRow(ctx, core.InTx(tx), sqldb.Raw(held), &locks)
			return err
		})
		if err != nil || locks != 1 {
			t.Errorf("first statement through %s: %d advisory locks held (%v), want 1", first, locks, err)
		}
	}
}

// A write reads its resource only once it holds the resource's row: an update waits
// for another transaction that holds the row, then applies to the version that one
// committed (on PostgreSQL the lock goes to the server with the write's read, and the
// version bump with its commit).
func TestWriteWaitsForTheRowOfItsResource(t *testing.T) {
	db, url := poolOfOne(t)
	w := mustWorld(t, db)
	p := w.mustProject(t, "gesperrt", nil)
	other, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	holder, err := other.BeginTx(w.ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = holder.Rollback() }()
	if _, err := holder.Exec("UPDATE projects SET description = 'von nebenan', version = version + 1 WHERE id = $1", p.ID); err != nil {
		t.Fatal(err)
	}
	done := waitingWrite(t, other, "the update", func() (coop.Project, error) {
		d := draft("gesperrt")
		d.Title = "Nach dem Warten"
		return db.UpdateProject(w.ctx, p.ID, d, 0)
	})
	if err := holder.Commit(); err != nil {
		t.Fatal(err)
	}
	r := <-done
	if r.err != nil || r.p.Version != 3 || r.p.Title != "Nach dem Warten" {
		t.Fatalf("the update after the wait: version %d, title %q, %v; want version 3 (after the other's 2)", r.p.Version, r.p.Title, r.err)
	}
}

// A project create shows its partners as they are when it commits: it reads them
// locked against renames (FOR SHARE), so a create that names a partner another
// transaction is renaming waits for that rename and is stored with the new name — its
// brief refs are not checked again once written (migration 00062), and the rename's
// trigger, which ran before the create's project existed, could not have refreshed it.
func TestProjectCreateWaitsForARenameOfItsPartner(t *testing.T) {
	db, url := poolOfOne(t)
	w := mustWorld(t, db)
	other, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	renaming, err := other.BeginTx(w.ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = renaming.Rollback() }()
	if _, err := renaming.Exec("UPDATE partners SET name = 'citeq (umbenannt)' WHERE slug = 'citeq'"); err != nil {
		t.Fatal(err)
	}
	done := waitingWrite(t, other, "the create", func() (coop.Project, error) {
		return db.CreateProject(w.ctx, draft("nach-umbenennung"))
	})
	if err := renaming.Commit(); err != nil {
		t.Fatal(err)
	}
	r := <-done
	if r.err != nil || len(r.p.Participants) != 2 || r.p.Participants[0].Partner.Name != "citeq (umbenannt)" {
		t.Fatalf("the create after the rename: %+v, %v; want citeq by its new name", r.p.Participants, r.err)
	}
	stored, err := db.FindProject(w.ctx, "nach-umbenennung")
	if err != nil || stored.Participants[0].Partner.Name != "citeq (umbenannt)" {
		t.Fatalf("the stored project shows %+v (%v); want citeq by its new name", stored.Participants, err)
	}
}

// written is the outcome of a write run by waitingWrite.
type written struct {
	p   coop.Project
	err error
}

// waitingWrite runs write in the background and returns once it waits for a lock
// (pg_stat_activity, read on other), failing the test if write ends first or nothing
// waits within 10 s; the write's outcome arrives on the channel.
func waitingWrite(t *testing.T, other *sql.DB, what string, write func() (coop.Project, error)) <-chan written {
	t.Helper()
	done := make(chan written, 1)
	go func() {
		p, err := write()
		done <- written{p, err}
	}()
	deadline := time.Now().Add(10 * time.Second)
	for waiting := 0; waiting == 0; {
		if err := other.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
			AND wait_event_type = 'Lock'`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		select {
		case r := <-done:
			t.Fatalf("%s did not wait for the lock another transaction holds: %+v, %v", what, r.p, r.err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s does not wait for the lock", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return done
}

// poolOfOne is a fresh migrated PostgreSQL database on a pool of one connection: a
// connection a transaction left in a bad state is the next one's.
func poolOfOne(t *testing.T) (*store.DB, string) {
	t.Helper()
	url := storetest.MustCreatePostgresURL(t)
	db, err := storetest.Open(t, url, store.Options{MaxOpenConns: 1, MaxWriters: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db, url
}
