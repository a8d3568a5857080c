package store_test

import (
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

func TestFindChanges(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		before, err := db.FindChanges(w.ctx, coop.ChangeFilter{})
		if err != nil || len(before) != 5 { // four partners and the cooperation
			t.Fatalf("changes of the world: %d %v", len(before), err)
		}
		ctx := coop.WithRequestID(w.ctx, "req-42")
		p, err := db.CreateProject(ctx, draft("p"))
		if err != nil {
			t.Fatal(err)
		}
		d := draft("p")
		d.Title = "Neu"
		steps := []func() error{
			func() error { _, err := db.UpdateProject(ctx, "p", d, 1); return err },
			func() error {
				_, err := db.TransitionProject(ctx, "p", coop.Transition{To: "in_progress", EffectiveOn: "2018"}, 2)
				return err
			},
			func() error { return db.DeleteProject(ctx, "p", 3) },
			func() error { _, err := db.RestoreProject(ctx, "p", 4); return err },
		}
		for _, step := range steps {
			if err := step(); err != nil {
				t.Fatal(err)
			}
		}
		all, err := db.FindChanges(w.ctx, coop.ChangeFilter{After: before[len(before)-1].ID})
		if err != nil || len(all) != 5 {
			t.Fatalf("changes %+v %v", all, err)
		}
		wantActions := []string{coop.ActionCreate, coop.ActionUpdate, coop.ActionTransition, coop.ActionDelete, coop.ActionRestore}
		for i, c := range all {
			if c.Action != wantActions[i] || c.Version != i+1 || c.ResourceType != coop.TypeProject || c.ResourceID != p.ID ||
				c.Actor.Type != coop.ActorToken || c.Actor.ID != "tok-1" || c.Actor.Name != "Pflege-Token" || c.RequestID != "req-42" ||
				c.At.IsZero() || (i > 0 && (c.ID <= all[i-1].ID || c.At.Before(all[i-1].At))) {
				t.Errorf("change %d: %+v", i, c)
			}
		}
		if c := all[1].Changes["title"]; c.Old != "Vorhaben p" || c.New != "Neu" || len(all[1].Changes) != 1 {
			t.Errorf("update changes %+v", all[1].Changes)
		}
		if b, _ := json.Marshal(all[0].Changes["participants"].New); string(b) != `[{"partner":{"id":"`+w.partners["citeq"].ID+
			`","name":"citeq","slug":"citeq"},"role":"partner","since":null,"until":null},{"partner":{"id":"`+w.partners["lwl-it"].ID+
			`","name":"LWL.IT Service Abteilung","slug":"lwl-it"},"role":"partner","since":null,"until":null}]` {
			t.Errorf("create participants as JSON: %s", b)
		}

		for _, c := range []struct {
			f    coop.ChangeFilter
			want []int64
		}{
			{coop.ChangeFilter{ResourceType: coop.TypeProject}, ids(all)},
			{coop.ChangeFilter{ResourceType: coop.TypeCooperation}, []int64{before[4].ID}},
			{coop.ChangeFilter{ResourceID: p.ID, Limit: 2}, ids(all[:2])},
			{coop.ChangeFilter{ResourceID: p.ID, After: all[2].ID}, ids(all[3:])},
			{coop.ChangeFilter{After: all[4].ID}, nil},
			// by slug, newest first, paging backwards
			{coop.ChangeFilter{ResourceID: p.Slug, Limit: 2}, ids(all[:2])},
			{coop.ChangeFilter{ResourceID: p.Slug, ResourceType: coop.TypePartner}, nil},
			{coop.ChangeFilter{ResourceID: "kein-solcher-slug"}, nil},
			{coop.ChangeFilter{ResourceID: p.ID, Desc: true, Limit: 2}, []int64{all[4].ID, all[3].ID}},
			{coop.ChangeFilter{ResourceID: p.ID, Desc: true, After: all[3].ID}, []int64{all[2].ID, all[1].ID, all[0].ID}},
		} {
			got, err := db.FindChanges(w.ctx, c.f)
			if err != nil || !slices.Equal(ids(got), c.want) {
				t.Errorf("%+v: %v %v, want %v", c.f, ids(got), err, c.want)
			}
		}
		if latest, err := db.LatestChangeID(w.ctx); err != nil || latest != all[4].ID {
			t.Errorf("LatestChangeID = %d %v, want %d", latest, err, all[4].ID)
		}

		if n, err := db.PruneChanges(w.ctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
			t.Errorf("prune nothing: %d %v", n, err)
		}
		if n, err := db.PruneChanges(w.ctx, time.Now().Add(time.Hour)); err != nil || n != 10 {
			t.Errorf("prune all: %d %v", n, err)
		}
		if got, _ := db.FindChanges(w.ctx, coop.ChangeFilter{}); len(got) != 0 {
			t.Errorf("after pruning: %d changes", len(got))
		}
		if latest, err := db.LatestChangeID(w.ctx); err != nil || latest != 0 {
			t.Errorf("LatestChangeID of an empty log = %d %v", latest, err)
		}
	})
}

func ids(list []coop.Change) []int64 {
	var out []int64
	for _, c := range list {
		out = append(out, c.ID)
	}
	return out
}

// TestRacingWriters: of 20 writers holding the same version exactly one wins; the
// others get EPrecondition, on every database (and on SQLite with a pool too).
func TestRacingWriters(t *testing.T) {
	run := func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		p := w.mustProject(t, "race", nil)
		const writers = 20
		errs := make([]error, writers)
		var wg sync.WaitGroup
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				d := draft("race")
				d.Title = "Schreiber " + string(rune('A'+i))
				_, errs[i] = db.UpdateProject(w.ctx, p.ID, d, 1)
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case coop.ErrorCode(err) != coop.EPrecondition:
				t.Errorf("loser's error: %v", err)
			}
		}
		got, _ := db.FindProject(w.ctx, p.ID)
		changes, _ := db.FindChanges(w.ctx, coop.ChangeFilter{ResourceID: p.ID})
		if won != 1 || got.Version != 2 || len(changes) != 2 {
			t.Errorf("%d writers won, version %d, %d changes", won, got.Version, len(changes))
		}

		// Without If-Match, racing transitions still never both win: the machine refuses
		// the second planned → in_progress.
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = db.TransitionProject(w.ctx, p.ID, coop.Transition{To: "in_progress"}, 0)
			}()
		}
		wg.Wait()
		won = 0
		for _, err := range errs {
			var ce *coop.Error
			switch {
			case err == nil:
				won++
			case !errors.As(err, &ce) || ce.Code != coop.EConflict:
				t.Errorf("loser's error: %v", err)
			}
		}
		if h, _ := db.ProjectHistory(w.ctx, p.ID); won != 1 || len(h) != 2 {
			t.Errorf("%d transitions won, history %d", won, len(h))
		}
	}
	storetest.ForEachDB(t, run)
	t.Run("sqlite-file", func(t *testing.T) { run(t, storetest.MustOpenSQLiteFile(t)) })
}
