package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// twoInstances opens the same fresh database twice, as two instances of the service
// would: each with its own search cache.
func twoInstances(t *testing.T, dialect string) (a, b *store.DB) {
	t.Helper()
	dsn := "sqlite:" + t.TempDir() + "/two.db"
	if dialect == "postgres" {
		dsn = storetest.MustCreatePostgresURL(t)
	}
	open := func() *store.DB {
		db, err := store.Open(dsn, store.Options{MaxOpenConns: 4})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Close() })
		return db
	}
	a, b = open(), open()
	if err := a.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return a, b
}

// Every write is seen by the very next search, on the instance that wrote and on
// another one, although both answer repeated searches from their caches.
func TestSearchCacheFollowsWrites(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			a, b := twoInstances(t, dialect)
			w := mustWorld(t, a)
			p1 := w.mustProject(t, "kataster-nord", func(d *coop.ProjectDraft) { d.Title = "Zisternenkataster Nord" })

			// search on both instances; the second time of each from the cache
			search := func(step string, want []string, wantStatus map[string]int64) {
				t.Helper()
				for name, db := range map[string]*store.DB{"a": a, "b": b} {
					for range 2 {
						h0, _ := db.SearchCacheStats()
						res := mustSearch(t, db, w.ctx, coop.SearchQuery{Q: "Zisternen", Types: []string{"project"}})
						var got []string
						for _, h := range res.Items {
							got = append(got, h.Slug)
						}
						slices.Sort(got)
						if !slices.Equal(got, want) || res.Total != int64(len(want)) {
							t.Errorf("%s, instance %s: %v (total %d), want %v", step, name, got, res.Total, want)
						}
						if wantStatus != nil && fmt.Sprint(res.Facets.Status) != fmt.Sprint(wantStatus) {
							t.Errorf("%s, instance %s: status facets %v, want %v", step, name, res.Facets.Status, wantStatus)
						}
						if h1, _ := db.SearchCacheStats(); h1 > h0 {
							break // answered from the cache: it must have been right too
						}
					}
				}
			}
			search("create", []string{"kataster-nord"}, map[string]int64{"planned": 1})
			hits, _ := a.SearchCacheStats()
			if hits == 0 {
				t.Fatalf("repeated searches were not answered from the cache")
			}

			p2 := w.mustProject(t, "kataster-sued", func(d *coop.ProjectDraft) { d.Title = "Zisternenkataster Süd" })
			search("second create", []string{"kataster-nord", "kataster-sued"}, nil)

			d := draft("kataster-nord")
			d.Title = "Regenwasserkataster Nord"
			if _, err := b.UpdateProject(w.ctx, p1.ID, d, 0); err != nil {
				t.Fatal(err)
			}
			search("update on the other instance", []string{"kataster-sued"}, map[string]int64{"planned": 1})

			if _, err := a.TransitionProject(w.ctx, p2.ID, coop.Transition{To: "in_progress"}, 0); err != nil {
				t.Fatal(err)
			}
			search("transition", []string{"kataster-sued"}, map[string]int64{"in_progress": 1})

			if err := b.DeleteProject(w.ctx, p2.ID, 0); err != nil {
				t.Fatal(err)
			}
			search("delete", nil, map[string]int64{})

			if _, err := a.RestoreProject(w.ctx, p2.ID, 0); err != nil {
				t.Fatal(err)
			}
			search("restore", []string{"kataster-sued"}, map[string]int64{"in_progress": 1})
		})
	}
}

// Cached answers equal fresh ones, and callers cannot change the cached answer.
func TestSearchCacheAnswersAsTheDatabase(t *testing.T) {
	forEachSeeded(t, func(t *testing.T, db *store.DB, ctx context.Context) {
		queries := []coop.SearchQuery{{Q: "Münster"}, {Q: "citek"}, {Q: "LWL", Limit: 3}, {Q: "Archivierung", Types: []string{"project", "solution"}}}
		db.SetSearchCache(0)
		var fresh []coop.SearchResult
		for _, q := range queries {
			fresh = append(fresh, mustSearch(t, db, ctx, q))
		}
		db.SetSearchCache(10)
		for range 2 {
			for i, q := range queries {
				res := mustSearch(t, db, ctx, q)
				if fmt.Sprint(res) != fmt.Sprint(fresh[i]) {
					t.Errorf("%+v: cached %v, want %v", q, res, fresh[i])
				}
				// a caller scribbling on its answer
				res.Items[0].Title = "changed"
				res.Facets.Type["partner"] = 99
			}
		}
		if hits, misses := db.SearchCacheStats(); hits != uint64(len(queries)) || misses != uint64(len(queries)) {
			t.Errorf("hits %d, misses %d, want %d each", hits, misses, len(queries))
		}
	})
}

// Pruning the change log never takes the data version back: an import records its
// changes at their past dates, pruning may delete them while keeping older ids, and an
// answer cached before the import must not count as current again.
func TestSearchDataVersionSurvivesPruning(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		if res := mustSearch(t, db, w.ctx, coop.SearchQuery{Q: "Zisternen"}); res.Total != 0 {
			t.Fatalf("total %d before any project", res.Total)
		}
		d := draft("zisterne")
		d.Title = "Zisternenkataster"
		past := time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC)
		if _, err := db.NewBulkLoader().Projects(w.ctx, []store.BulkProject{{Draft: d, At: past}}); err != nil {
			t.Fatal(err)
		}
		n, err := db.PruneChanges(w.ctx, past.AddDate(1, 0, 0))
		if err != nil || n != 1 {
			t.Fatalf("pruned %d (%v), want the import's change", n, err)
		}
		if res := mustSearch(t, db, w.ctx, coop.SearchQuery{Q: "Zisternen"}); res.Total != 1 {
			t.Errorf("after the import and pruning its change: total %d, want 1", res.Total)
		}
	})
}

// An answer from the cache costs one statement (the data version); a fresh one three:
// the version, the vocabulary probe of its long word and the search.
func TestSearchCacheStatements(t *testing.T) {
	forEachSeeded(t, func(t *testing.T, db *store.DB, ctx context.Context) {
		for i, want := range []uint64{3, 1, 1} {
			before := db.SearchStats().Statements
			mustSearch(t, db, ctx, coop.SearchQuery{Q: "Münster"})
			if got := db.SearchStats().Statements - before; got != want {
				t.Errorf("search %d: %d statements, want %d", i+1, got, want)
			}
		}
	})
}
