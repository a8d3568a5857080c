package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// TestSearchWiring: writes keep the search documents current, and q combines with the
// other filters (as-of included).
func TestSearchWiring(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		p := w.mustProject(t, "dips", func(d *coop.ProjectDraft) { d.Title = "Langzeitarchivierung im Stadtarchiv" })
		w.mustProject(t, "netz", func(d *coop.ProjectDraft) { d.Title = "Behördennetz" })
		find := func(f coop.ProjectFilter) []string {
			t.Helper()
			l, err := db.FindProjects(w.ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			return slugsOf(l.Items)
		}
		if got := find(coop.ProjectFilter{Q: "Langzeitarchivierung"}); !slices.Equal(got, []string{"dips"}) {
			t.Errorf("q: %v", got)
		}
		if got := find(coop.ProjectFilter{Q: "Langzeitarchivierung", AsOf: coop.DateFromTime(time.Now())}); !slices.Equal(got, []string{"dips"}) {
			t.Errorf("q as of today: %v", got)
		}
		d := draft("dips")
		d.Title = "Rechenzentrum"
		if _, err := db.UpdateProject(w.ctx, p.ID, d, 0); err != nil {
			t.Fatal(err)
		}
		if got := find(coop.ProjectFilter{Q: "Langzeitarchivierung"}); len(got) != 0 {
			t.Errorf("q after the update: %v", got)
		}
		if got := find(coop.ProjectFilter{Q: "Rechenzentrum"}); !slices.Equal(got, []string{"dips"}) {
			t.Errorf("q of the new title: %v", got)
		}
		cs, err := db.FindCooperations(w.ctx, coop.CooperationFilter{Q: "IT-Kooperation"})
		if err != nil || len(cs.Items) != 1 {
			t.Errorf("cooperation q: %+v %v", cs, err)
		}
		if _, err := db.CreateSolution(w.ctx, coop.SolutionDraft{Slug: "dips-kommunal", Name: "DiPS.kommunal",
			Description: "elektronische Langzeitarchivierung für kommunale Archive"}); err != nil {
			t.Fatal(err)
		}
		ss, err := db.FindSolutions(w.ctx, coop.SolutionFilter{Q: "Langzeitarchivierung"})
		if err != nil || len(ss.Items) != 1 {
			t.Errorf("solution q: %+v %v", ss, err)
		}
	})
}
