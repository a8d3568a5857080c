package store_test

import (
	"testing"

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
