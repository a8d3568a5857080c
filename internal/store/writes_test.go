package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// An update rewrites the search document only when a field search reads changed: after
// a change of the budget alone the document is the one before (a mark put into it
// stays), and search still finds the project by its title; a new title rewrites it and
// is found at once.
func TestSearchDocumentOnlyForSearchedFields(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		p := w.mustProject(t, "regenwasser", func(d *coop.ProjectDraft) { d.Title = "Regenwasserkataster" })
		d := draft(p.Slug)
		d.Title = p.Title
		budget := "1234.00"
		d.Finance = &coop.FinanceDraft{BudgetPlanned: &budget}
		g := storetest.Gorm(db)
		bodyLen := func() (n int) {
			t.Helper()
			if err := g.Raw("SELECT body_len FROM search_documents WHERE resource_id = ?", p.ID).Scan(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}
		if err := g.Exec("UPDATE search_documents SET body_len = -1 WHERE resource_id = ?", p.ID).Error; err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateProject(w.ctx, p.ID, d, 0); err != nil {
			t.Fatal(err)
		}
		if n := bodyLen(); n != -1 {
			t.Errorf("a budget change rewrote the search document (body_len %d)", n)
		}
		if res := mustSearch(t, db, w.ctx, coop.SearchQuery{Q: "Regenwasserkataster"}); res.Total != 1 {
			t.Errorf("after a budget change: %d found, want 1", res.Total)
		}
		d.Title = "Starkregenkarte"
		if _, err := db.UpdateProject(w.ctx, p.ID, d, 0); err != nil {
			t.Fatal(err)
		}
		if n := bodyLen(); n < 0 {
			t.Errorf("a title change left the search document (body_len %d)", n)
		}
		if res := mustSearch(t, db, w.ctx, coop.SearchQuery{Q: "Starkregenkarte"}); res.Total != 1 {
			t.Errorf("after a title change: %d found, want 1", res.Total)
		}
		if res := mustSearch(t, db, w.ctx, coop.SearchQuery{Q: "Regenwasserkataster"}); res.Total != 0 {
			t.Errorf("the old title is still found: %d", res.Total)
		}
	})
}

// A write answers the resource as a read after it returns it, to the field: updates and
// transitions of projects build their answer from what they wrote instead of reading it
// back (store/write.go: written, moved), and so do cooperation transitions.
func TestWriteAnswerIsTheRead(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		if _, err := db.CreateSolution(w.ctx, coop.SolutionDraft{Slug: "dips", Name: "DiPS.kommunal", Category: "archiving"}); err != nil {
			t.Fatal(err)
		}
		sameAsRead := func(what string, got coop.Project) {
			t.Helper()
			read, err := db.FindProject(w.ctx, got.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, read) {
				t.Errorf("%s answered %+v\nread %+v", what, got, read)
			}
		}
		p := w.mustProject(t, "antwort", nil)
		d := draft(p.Slug)
		d.Title, d.Solution, d.Cooperation = "Archiv im Verbund", "dips", w.coop.ID
		d.Participants = []coop.ParticipantDraft{{Partner: "lwl", Role: "provider", Since: "2017-01", Until: "2030"},
			{Partner: w.partners["stadt-muenster"].ID, Role: "consumer"}, {Partner: "citeq", Role: "partner"}}
		d.Tags, d.LegalBasis = []string{"archiv", "dms"}, []string{"GkG NRW"}
		d.Sources = []coop.SourceDraft{{Title: "Pressemitteilung", URL: "https://www.lwl.org/", PublishedOn: "2018-02-07"}}
		budget := "125000.5"
		d.Finance = &coop.FinanceDraft{BudgetPlanned: &budget}
		p, err := db.UpdateProject(w.ctx, p.ID, d, 0)
		if err != nil {
			t.Fatal(err)
		}
		if p.Version != 2 || p.Solution == nil || p.Solution.Name != "DiPS.kommunal" || len(p.Participants) != 3 {
			t.Errorf("update answered %+v", p)
		}
		sameAsRead("an update", p)
		d.Solution, d.Participants = "", d.Participants[2:]
		p, err = db.UpdateProject(w.ctx, p.ID, d, 0)
		if err != nil {
			t.Fatal(err)
		}
		sameAsRead("an update removing the solution", p)
		p, err = db.TransitionProject(w.ctx, p.ID, coop.Transition{To: "in_progress", Reason: "Start"}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if p.Status != "in_progress" || p.Version != 4 {
			t.Errorf("transition answered %s at version %d", p.Status, p.Version)
		}
		sameAsRead("a transition", p)
		// the same participants and tags: left as they are; reordered: rewritten
		d.Title = "Archiv im Verbund, Stufe 2"
		d.Participants = []coop.ParticipantDraft{{Partner: "citeq", Role: "partner"}, {Partner: "lwl", Role: "provider", Since: "2018"}}
		if p, err = db.UpdateProject(w.ctx, p.ID, d, 0); err != nil {
			t.Fatal(err)
		}
		d.Title = "Archiv im Verbund, Stufe 3"
		if p, err = db.UpdateProject(w.ctx, p.ID, d, 0); err != nil {
			t.Fatal(err)
		}
		sameAsRead("an update of the title alone", p)
		d.Participants = []coop.ParticipantDraft{d.Participants[1], d.Participants[0]}
		d.Tags = []string{"dms", "archiv"}
		if p, err = db.UpdateProject(w.ctx, p.ID, d, 0); err != nil {
			t.Fatal(err)
		}
		if len(p.Participants) != 2 || p.Participants[0].Partner.Slug != "lwl" || p.Participants[0].Since.String() != "2018" ||
			len(p.Tags) != 2 || p.Tags[0] != "dms" {
			t.Errorf("reordered: participants %+v, tags %v", p.Participants, p.Tags)
		}
		sameAsRead("an update reordering participants and tags", p)
		if res := mustSearch(t, db, w.ctx, coop.SearchQuery{Q: "dms"}); res.Total != 1 {
			t.Errorf("search by tag after the reorder: %d found", res.Total)
		}
		c, err := db.TransitionCooperation(w.ctx, w.coop.ID, coop.Transition{To: "suspended"}, 0)
		if err != nil {
			t.Fatal(err)
		}
		read, err := db.FindCooperation(w.ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Version != w.coop.Version+1 || !reflect.DeepEqual(c, read) {
			t.Errorf("cooperation transition answered %+v\nread %+v", c, read)
		}
	})
}

// A write whose request ends as it commits (the client went away) answers as timed
// out (503), not as an internal error: the commit meets the ended context (on SQLite
// database/sql has rolled the transaction back and the commit meets sql.ErrTxDone).
// Nothing is written.
func TestWriteEndedByItsRequest(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		err := storetest.Core(db).Tx(ctx, func(tx *gorm.DB) error {
			if err := tx.Exec("UPDATE partners SET name = name WHERE slug = 'citeq'").Error; err != nil {
				return err
			}
			cancel()
			time.Sleep(100 * time.Millisecond) // database/sql's rollback of the ended transaction (SQLite)
			return nil
		})
		if coop.ErrorCode(err) != coop.EUnavailable {
			t.Errorf("commit after the request ended: %v (code %q), want %s", err, coop.ErrorCode(err), coop.EUnavailable)
		}
	})
}
