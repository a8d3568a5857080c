package store_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// feedDBs are a PostgreSQL and a SQLite file database (a write held open on SQLite
// needs a connection of its own beside the store's).
func feedDBs(t *testing.T, fn func(t *testing.T, db *store.DB, dialect string)) {
	t.Run("postgres", func(t *testing.T) { fn(t, storetest.MustOpen(t, "postgres"), "postgres") })
	t.Run("sqlite-file", func(t *testing.T) { fn(t, storetest.MustOpenSQLiteFile(t), "sqlite") })
}

// readFeed reads the feed after cursor until a page is empty, as a portal does, and
// returns what it read and the new cursor.
func readFeed(t *testing.T, db *store.DB, w *world, cursor int64) ([]coop.Change, int64) {
	t.Helper()
	var out []coop.Change
	for {
		page, err := db.FindChanges(w.ctx, coop.ChangeFilter{After: cursor, Limit: 7})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			return out, cursor
		}
		out = append(out, page...)
		cursor = page[len(page)-1].ID
	}
}

// A write whose change-log entry was drawn first but commits last is held open while
// others commit: a portal reading the feed meanwhile never skips it. On PostgreSQL the
// others are served at once (positions are given on commit) and the held one follows
// them once it commits; on SQLite the others wait for it (one write at a time) and
// follow it. Either way every change arrives exactly once, positions strictly
// increase, and the versions of each resource arrive in order.
func TestFeedHeldWriter(t *testing.T) {
	feedDBs(t, func(t *testing.T, db *store.DB, dialect string) {
		w := mustWorld(t, db)
		held := w.mustProject(t, "gehalten", nil)
		_, cursor := readFeed(t, db, w, 0)

		// the held write: a version bump and its change-log entry, not committed
		tx := storetest.Gorm(db).Begin()
		defer tx.Rollback()
		if err := tx.Exec("UPDATE projects SET title = 'gehalten 2', version = 2 WHERE id = ?", held.ID).Error; err != nil {
			t.Fatal(err)
		}
		err := tx.Exec(`INSERT INTO changes (at, actor_type, action, resource_type, resource_id, version, changes)
 VALUES (?, 'system', 'update', 'project', ?, 2, '{"title":{"old":"Vorhaben","new":"gehalten 2"}}')`,
			time.Now().UTC(), held.ID).Error
		if err != nil {
			t.Fatal(err)
		}

		// others write meanwhile: creates, and updates of one project in turn
		others := w.mustProjectLater(t, 6)
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { defer wg.Done(); others.run() }()
		if dialect == "postgres" {
			wg.Wait() // they commit beside the held write
		} else {
			time.Sleep(200 * time.Millisecond) // they wait for it
		}
		seen, cursor2 := readFeed(t, db, w, cursor)
		for _, c := range seen {
			if c.ResourceID == held.ID {
				t.Fatalf("the uncommitted change was served: %+v", c)
			}
		}
		if dialect == "postgres" && len(seen) != others.changes {
			t.Errorf("while the held write is open: %d changes served, want the others' %d", len(seen), others.changes)
		}
		if err := tx.Commit().Error; err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		rest, _ := readFeed(t, db, w, cursor2)
		all := append(seen, rest...)
		if len(all) != others.changes+1 {
			t.Fatalf("%d changes read, want %d", len(all), others.changes+1)
		}
		checkFeedOrder(t, all)
		if !slices.ContainsFunc(all, func(c coop.Change) bool { return c.ResourceID == held.ID && c.Version == 2 }) {
			t.Errorf("the held change never arrived")
		}
		// the held change's entry was drawn before every other one
		if dialect == "postgres" && all[len(all)-1].ResourceID != held.ID {
			t.Errorf("held change not last on PostgreSQL: %+v", all[len(all)-1])
		}
		if dialect == "sqlite" && all[0].ResourceID != held.ID {
			t.Errorf("held change not first on SQLite: %+v", all[0])
		}
	})
}

// Sixteen writers commit in parallel while a portal keeps reading the feed: at the end
// it has read every change exactly once, in strictly increasing positions, each
// resource's versions in order — the replay a portal does.
func TestFeedUnderConcurrentWriters(t *testing.T) {
	feedDBs(t, func(t *testing.T, db *store.DB, dialect string) {
		w := mustWorld(t, db)
		_, cursor := readFeed(t, db, w, 0)
		const writers, each = 16, 6
		projects := make([]coop.Project, writers)
		for i := range projects {
			projects[i] = w.mustProject(t, fmt.Sprintf("parallel-%d", i), nil)
		}
		_, cursor = readFeed(t, db, w, cursor)
		stop := make(chan struct{})
		var read []coop.Change
		readerDone := make(chan struct{})
		go func() {
			defer close(readerDone)
			for {
				select {
				case <-stop:
					return
				default:
				}
				page, err := db.FindChanges(w.ctx, coop.ChangeFilter{After: cursor, Limit: 5})
				if err != nil {
					t.Error(err)
					return
				}
				read = append(read, page...)
				if len(page) > 0 {
					cursor = page[len(page)-1].ID
				}
			}
		}()
		var wg sync.WaitGroup
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := range each {
					var err error
					if n%2 == 0 {
						d := draft(projects[i].Slug)
						d.Title = fmt.Sprintf("Fassung %d", n)
						_, err = db.UpdateProject(w.ctx, projects[i].ID, d, 0)
					} else {
						_, err = db.CreateProject(w.ctx, draft(fmt.Sprintf("neu-%d-%d", i, n)))
					}
					if err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		close(stop)
		<-readerDone
		rest, _ := readFeed(t, db, w, cursor)
		read = append(read, rest...)
		if len(read) != writers*each {
			t.Fatalf("%d changes read, want %d", len(read), writers*each)
		}
		checkFeedOrder(t, read)
	})
}

// checkFeedOrder checks that positions strictly increase, no change comes twice and
// each resource's versions come in order.
func checkFeedOrder(t *testing.T, feed []coop.Change) {
	t.Helper()
	last := map[string]int{}
	for i, c := range feed {
		if i > 0 && c.ID <= feed[i-1].ID {
			t.Errorf("position %d after %d", c.ID, feed[i-1].ID)
		}
		if v, ok := last[c.ResourceID]; ok && c.Version != v+1 {
			t.Errorf("%s: version %d after %d", c.ResourceID, c.Version, v)
		}
		last[c.ResourceID] = c.Version
	}
}

// laterWrites are writes prepared beside a held one: creates and updates.
type laterWrites struct {
	run     func()
	changes int
}

// mustProjectLater prepares n writes: creates of new projects and updates of one of
// them, each a change.
func (w *world) mustProjectLater(t *testing.T, n int) laterWrites {
	return laterWrites{changes: n, run: func() {
		var p coop.Project
		for i := range n {
			var err error
			if i%2 == 0 {
				p, err = w.db.CreateProject(w.ctx, draft(storetest.Name("spaeter")))
			} else {
				d := draft(p.Slug)
				d.Title = fmt.Sprintf("Fassung %d", i)
				p, err = w.db.UpdateProject(w.ctx, p.ID, d, 0)
			}
			if err != nil {
				t.Error(err)
				return
			}
		}
	}}
}
