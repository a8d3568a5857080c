package store_test

import (
	"maps"
	"slices"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// TestLiveSlugs: the import asks which of a chunk's slugs exist — live ones only, of
// the asked type only, and slugs that need quoting are taken as written.
func TestLiveSlugs(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		w.mustProject(t, "lebt", nil)
		w.mustProject(t, "geloescht", nil)
		if err := db.DeleteProject(w.ctx, "geloescht", 1); err != nil {
			t.Fatal(err)
		}
		ask := []string{"lebt", "geloescht", "citeq", "gibt-es-nicht", `a"b`, "lebt"}
		got, err := db.LiveSlugs(w.ctx, coop.TypeProject, ask)
		if err != nil {
			t.Fatal(err)
		}
		if keys := slices.Sorted(maps.Keys(got)); !slices.Equal(keys, []string{"lebt"}) {
			t.Errorf("live projects of %q: %q, want [lebt]", ask, keys)
		}
		got, err = db.LiveSlugs(w.ctx, coop.TypePartner, ask)
		if err != nil {
			t.Fatal(err)
		}
		if keys := slices.Sorted(maps.Keys(got)); !slices.Equal(keys, []string{"citeq"}) {
			t.Errorf("live partners of %q: %q, want [citeq]", ask, keys)
		}
		if _, err := db.LiveSlugs(w.ctx, "solution; DROP TABLE projects", ask); coop.ErrorCode(err) != coop.EInvalid {
			t.Errorf("unknown type: %v, want invalid", err)
		}
	})
}
