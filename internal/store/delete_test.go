package store_test

import (
	"strings"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// mustConflictNaming fails unless err is a 409 whose message names what blocks it.
func mustConflictNaming(t *testing.T, err error, name string) *coop.Error {
	t.Helper()
	ce := mustCode(t, err, coop.EConflict)
	if !strings.Contains(ce.Message, name) {
		t.Errorf("conflict %q does not name %q", ce.Message, name)
	}
	return ce
}

func TestDeleteRestoreProject(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		p := w.mustProject(t, "del", nil)
		if err := db.DeleteProject(w.ctx, "del", 1); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindProject(w.ctx, "del"); coop.ErrorCode(err) != coop.ENotFound {
			t.Errorf("deleted project found: %v", err)
		}
		if _, err := db.ProjectHistory(w.ctx, p.ID); coop.ErrorCode(err) != coop.ENotFound {
			t.Errorf("history of a deleted project: %v", err)
		}
		if _, err := db.TransitionProject(w.ctx, "del", coop.Transition{To: "in_progress"}, 0); coop.ErrorCode(err) != coop.ENotFound {
			t.Errorf("transition of a deleted project: %v", err)
		}
		mustCode(t, db.DeleteProject(w.ctx, "del", 0), coop.ENotFound)
		if l, _ := db.FindProjects(w.ctx, coop.ProjectFilter{}); l.Total != 0 {
			t.Errorf("deleted project listed: %v", slugsOf(l.Items))
		}
		if c := lastChange(t, db, p.ID); c.Action != coop.ActionDelete || c.Version != 2 || c.Changes["deleted_at"].New == nil {
			t.Errorf("delete change %+v", c)
		}
		_, err := db.RestoreProject(w.ctx, "del", 1)
		mustCode(t, err, coop.EPrecondition)
		got, err := db.RestoreProject(w.ctx, "del", 2)
		if err != nil || got.Version != 3 || got.DeletedAt != nil || got.ID != p.ID || len(got.Participants) != 2 {
			t.Fatalf("restored %+v %v", got, err)
		}
		if c := lastChange(t, db, p.ID); c.Action != coop.ActionRestore || c.Version != 3 || c.Changes["deleted_at"].New != nil {
			t.Errorf("restore change %+v", c)
		}
		_, err = db.RestoreProject(w.ctx, "del", 0)
		mustCode(t, err, coop.ENotFound)

		// The slug was taken meanwhile.
		if err := db.DeleteProject(w.ctx, "del", 0); err != nil {
			t.Fatal(err)
		}
		newer := w.mustProject(t, "del", nil)
		_, err = db.RestoreProject(w.ctx, p.ID, 0)
		mustCode(t, err, coop.EConflict)
		if got, err := db.FindProject(w.ctx, "del"); err != nil || got.ID != newer.ID {
			t.Errorf("after a refused restore: %+v %v", got.Meta, err)
		}
		// By slug, the most recently deleted one comes back.
		if err := db.DeleteProject(w.ctx, "del", 0); err != nil {
			t.Fatal(err)
		}
		if got, err := db.RestoreProject(w.ctx, "del", 0); err != nil || got.ID != newer.ID {
			t.Errorf("restore by slug: %+v %v", got.Meta, err)
		}
	})
}

func TestDeleteBlockedAndRestoreRefused(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		if _, err := db.CreatePartner(w.ctx, coop.PartnerDraft{Slug: "extra", Name: "Extra", Type: "company"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateCooperation(w.ctx, coop.CooperationDraft{Slug: "k3", Title: "K3", LegalForm: "other",
			Members: []coop.MemberDraft{{Partner: "lwl", Role: "party"}, {Partner: "citeq", Role: "party"}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateSolution(w.ctx, coop.SolutionDraft{Slug: "sol", Name: "Sol", Developers: []string{"lwl"}}); err != nil {
			t.Fatal(err)
		}
		p := w.mustProject(t, "p", func(d *coop.ProjectDraft) {
			d.Cooperation, d.Solution = "k3", "sol"
			d.Participants = append(d.Participants, coop.ParticipantDraft{Partner: "extra", Role: "funder"})
		})

		blockers := func(err error) []coop.Blocker {
			return mustCode(t, err, coop.EConflict).BlockedBy
		}
		want := coop.Blocker{Type: "project", ID: p.ID, Slug: "p"}
		if b := blockers(db.DeleteCooperation(w.ctx, "k3", 0)); len(b) != 1 || b[0] != want {
			t.Errorf("cooperation blocked by %+v", b)
		}
		if b := blockers(db.DeleteSolution(w.ctx, "sol", 0)); len(b) != 1 || b[0] != want {
			t.Errorf("solution blocked by %+v", b)
		}
		mustCode(t, db.DeletePartner(w.ctx, "extra", 0), coop.EConflict)

		// Once the project is deleted, nothing blocks; restoring it then is refused.
		if err := db.DeleteProject(w.ctx, "p", 0); err != nil {
			t.Fatal(err)
		}
		for _, del := range []func() error{
			func() error { return db.DeleteCooperation(w.ctx, "k3", 1) },
			func() error { return db.DeleteSolution(w.ctx, "sol", 1) },
			func() error { return db.DeletePartner(w.ctx, "extra", 1) },
		} {
			if err := del(); err != nil {
				t.Fatal(err)
			}
		}
		_, err := db.RestoreProject(w.ctx, "p", 0)
		mustConflictNaming(t, err, "k3")
		if _, err := db.RestoreCooperation(w.ctx, "k3", 2); err != nil {
			t.Fatal(err)
		}
		_, err = db.RestoreProject(w.ctx, "p", 0)
		mustConflictNaming(t, err, "sol")
		if _, err := db.RestoreSolution(w.ctx, "sol", 0); err != nil {
			t.Fatal(err)
		}
		_, err = db.RestoreProject(w.ctx, "p", 0)
		mustConflictNaming(t, err, "extra")
		if _, err := db.RestorePartner(w.ctx, "extra", 0); err != nil {
			t.Fatal(err)
		}
		if got, err := db.RestoreProject(w.ctx, "p", 0); err != nil || got.Cooperation.Slug != "k3" || got.Solution.Slug != "sol" {
			t.Fatalf("restore with every reference back: %+v %v", got, err)
		}

		// A cooperation or solution whose partner is deleted cannot come back either.
		if err := db.DeleteProject(w.ctx, "p", 0); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteCooperation(w.ctx, "k3", 0); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteSolution(w.ctx, "sol", 0); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreatePartner(w.ctx, coop.PartnerDraft{Slug: "gone", Name: "Gone", Type: "company"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateCooperation(w.ctx, coop.CooperationDraft{Slug: "k4", Title: "K4", LegalForm: "other",
			Members: []coop.MemberDraft{{Partner: "lwl", Role: "party"}, {Partner: "gone", Role: "party"}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateSolution(w.ctx, coop.SolutionDraft{Slug: "s2", Name: "S2", Developers: []string{"gone"}}); err != nil {
			t.Fatal(err)
		}
		for _, err := range []error{db.DeleteCooperation(w.ctx, "k4", 0), db.DeleteSolution(w.ctx, "s2", 0), db.DeletePartner(w.ctx, "gone", 0)} {
			if err != nil {
				t.Fatal(err)
			}
		}
		_, err = db.RestoreCooperation(w.ctx, "k4", 0)
		mustConflictNaming(t, err, "gone")
		_, err = db.RestoreSolution(w.ctx, "s2", 0)
		mustConflictNaming(t, err, "gone")
	})
}
