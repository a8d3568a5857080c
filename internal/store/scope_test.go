package store_test

import (
	"context"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// TestEditorScope: an editor bound to citeq writes only where citeq takes part, and
// cannot write citeq out of an entry.
func TestEditorScope(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		other := w.mustProject(t, "other", func(d *coop.ProjectDraft) {
			d.Participants = []coop.ParticipantDraft{{Partner: "lwl", Role: "lead"}}
		})
		ed := coop.WithActor(context.Background(), coop.Actor{Type: coop.ActorToken, ID: "tok-ed", Name: "Redaktion citeq",
			Roles: []string{"editor"}, Partners: []string{w.partners["citeq"].ID}})

		own, err := db.CreateProject(ed, draft("own")) // citeq takes part
		if err != nil {
			t.Fatal(err)
		}
		d := draft("foreign")
		d.Participants = []coop.ParticipantDraft{{Partner: "lwl", Role: "lead"}}
		_, err = db.CreateProject(ed, d)
		mustCode(t, err, coop.EForbidden)

		d = draft("other")
		d.Title = "übernommen"
		_, err = db.UpdateProject(ed, other.ID, d, 0)
		mustCode(t, err, coop.EForbidden)
		mustCode(t, db.DeleteProject(ed, "other", 0), coop.EForbidden)
		_, err = db.TransitionProject(ed, "other", coop.Transition{To: "in_progress"}, 0)
		mustCode(t, err, coop.EForbidden)

		d = draft("own")
		d.Participants = []coop.ParticipantDraft{{Partner: "lwl-it", Role: "lead"}} // writes citeq out
		_, err = db.UpdateProject(ed, own.ID, d, 0)
		mustCode(t, err, coop.EForbidden)
		d.Participants = append(d.Participants, coop.ParticipantDraft{Partner: "citeq", Role: "consumer"})
		_, err = db.UpdateProject(ed, own.ID, d, 0) // changes lwl-it's part
		mustCode(t, err, coop.EForbidden)
		d.Participants = []coop.ParticipantDraft{{Partner: "lwl-it", Role: "partner"}, {Partner: "citeq", Role: "consumer"}}
		if _, err := db.UpdateProject(ed, own.ID, d, 0); err != nil { // changes only citeq's part
			t.Errorf("own project: %v", err)
		}
		d.Participants = d.Participants[1:] // removes lwl-it's part
		_, err = db.UpdateProject(ed, own.ID, d, 0)
		mustCode(t, err, coop.EForbidden)
		if _, err := db.TransitionProject(ed, "own", coop.Transition{To: "in_progress"}, 0); err != nil {
			t.Errorf("own transition: %v", err)
		}
		if _, err := db.TransitionCooperation(ed, "it-kooperation", coop.Transition{To: "suspended"}, 0); err != nil {
			t.Errorf("own cooperation: %v", err)
		}
		_, err = db.CreateCooperation(ed, coop.CooperationDraft{Slug: "k", Title: "K", LegalForm: "other",
			Members: []coop.MemberDraft{{Partner: "lwl", Role: "party"}, {Partner: "lwl-it", Role: "party"}}})
		mustCode(t, err, coop.EForbidden)
		// Solutions are shared by all partners: a bound editor changes none.
		_, err = db.CreateSolution(ed, coop.SolutionDraft{Slug: "s", Name: "S", Developers: []string{"citeq"}})
		mustCode(t, err, coop.EForbidden)
		if _, err := db.CreateSolution(w.ctx, coop.SolutionDraft{Slug: "s", Name: "S", Developers: []string{"citeq"}}); err != nil {
			t.Fatal(err)
		}
		_, err = db.UpdateSolution(ed, "s", coop.SolutionDraft{Slug: "s", Name: "T", Developers: []string{"citeq"}}, 0)
		mustCode(t, err, coop.EForbidden)
		mustCode(t, db.DeleteSolution(ed, "s", 0), coop.EForbidden)
		if got, _ := db.FindProject(w.ctx, other.ID); got.Version != 1 {
			t.Errorf("refused writes changed the other project: %+v", got.Meta)
		}
	})
}
