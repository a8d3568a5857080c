package store_test

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// TestProjectTotals checks that the totals of lists filtered by status and category
// (read from the counts the triggers keep) equal a count of the matching projects
// through creates, transitions, category changes, deletes and restores, and on empty
// pages.
func TestProjectTotals(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		categories := []string{"archiving", "network", "software"}
		for i := 0; i < 9; i++ {
			w.mustProject(t, fmt.Sprintf("t%d", i), func(d *coop.ProjectDraft) {
				d.Category = categories[i%3]
				d.Status = []string{"planned", "in_progress", "operational"}[i/3]
			})
		}
		mustTrans := func(slug, to string) {
			if _, err := db.TransitionProject(w.ctx, slug, coop.Transition{To: to}, 0); err != nil {
				t.Fatal(err)
			}
		}
		mustTrans("t0", "in_progress")
		mustTrans("t3", "operational")
		p, err := db.FindProject(w.ctx, "t4")
		if err != nil {
			t.Fatal(err)
		}
		d := draft("t4")
		d.Category = "network" // an update that keeps the category; t5 changes it
		if _, err := db.UpdateProject(w.ctx, p.ID, d, 0); err != nil {
			t.Fatal(err)
		}
		d = draft("t5")
		d.Category = "archiving"
		if _, err := db.UpdateProject(w.ctx, "t5", d, 0); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteProject(w.ctx, "t6", 0); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteProject(w.ctx, "t7", 0); err != nil {
			t.Fatal(err)
		}
		if _, err := db.RestoreProject(w.ctx, "t7", 0); err != nil {
			t.Fatal(err)
		}
		statuses := [][]string{nil, {"planned"}, {"in_progress"}, {"operational", "planned"}, {"cancelled"}}
		cats := [][]string{nil, {"archiving"}, {"network", "software"}}
		for _, st := range statuses {
			for _, ca := range cats {
				var want int64
				q := storetest.Gorm(db).Table("projects").Where("deleted_at IS NULL")
				if st != nil {
					q = q.Where("status IN ?", st)
				}
				if ca != nil {
					q = q.Where("category IN ?", ca)
				}
				if err := q.Count(&want).Error; err != nil {
					t.Fatal(err)
				}
				for _, limit := range []int{1, 50} {
					res, err := db.FindProjects(w.ctx, coop.ProjectFilter{Statuses: st, Categories: ca, Page: coop.Page{Limit: limit}})
					if err != nil || res.Total != want || int64(len(res.Items)) != min(want, int64(limit)) {
						t.Errorf("status %v category %v limit %d: total %d, %d items (%v); want %d", st, ca, limit, res.Total, len(res.Items), err, want)
					}
					if res.NextCursor == "" {
						continue
					}
					// a later page carries the same total; past the end, too
					next, err := db.FindProjects(w.ctx, coop.ProjectFilter{Statuses: st, Categories: ca, Page: coop.Page{Limit: 50, Cursor: res.NextCursor}})
					if err != nil || next.Total != want || int64(len(next.Items)) != want-1 {
						t.Errorf("status %v category %v, page 2: total %d, %d items (%v); want %d", st, ca, next.Total, len(next.Items), err, want)
					}
				}
			}
		}
	})
}

// TestProjectListItemsAreGets walks lists page by page and checks that every item is
// exactly the project as read alone, participants in their order.
func TestProjectListItemsAreGets(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		mustCatalogue(t, w)
		budget := "1234.50"
		// participants whose position order is neither partner nor role order
		w.mustProject(t, "f", func(d *coop.ProjectDraft) {
			d.Title, d.Solution, d.Finance = "Zeta", "dips", &coop.FinanceDraft{BudgetPlanned: &budget}
			d.Participants = []coop.ParticipantDraft{{Partner: "stadt-muenster", Role: "lead", Since: "2019"},
				{Partner: "citeq", Role: "provider", Until: "2024-02"}, {Partner: "lwl", Role: "consumer"},
				{Partner: "citeq", Role: "consumer", Since: "2020-03-04"}}
		})
		seen := 0
		for _, f := range []coop.ProjectFilter{
			{Page: coop.Page{Limit: 2}},
			{Page: coop.Page{Limit: 2, Sort: []coop.SortKey{{Field: "title", Desc: true}}}},
			{Page: coop.Page{Limit: 1}, Statuses: []string{"planned"}},
			{Page: coop.Page{Limit: 2}, Statuses: []string{"planned", "operational"}},
			{Page: coop.Page{Limit: 2}, Solutions: []string{"dips"}},
		} {
			for pages := 0; ; pages++ {
				page, err := db.FindProjects(w.ctx, f)
				if err != nil || pages > 10 {
					t.Fatalf("%+v: %v", f, err)
				}
				for _, item := range page.Items {
					one, err := db.FindProject(w.ctx, item.Slug)
					if err != nil || !reflect.DeepEqual(item, one) {
						t.Errorf("list item %s differs from its get (%v):\n%+v\n%+v", item.Slug, err, item, one)
					}
					seen++
				}
				if f.Cursor = page.NextCursor; f.Cursor == "" {
					break
				}
			}
		}
		zeta, err := db.FindProject(w.ctx, "f")
		if err != nil || len(zeta.Participants) != 4 || zeta.Participants[0].Partner.Slug != "stadt-muenster" ||
			zeta.Participants[1].Role != "provider" || zeta.Participants[3].Since.String() != "2020-03-04" ||
			zeta.Solution == nil || zeta.Solution.Name != "DiPS.kommunal" || zeta.Cooperation.Slug != "it-kooperation" {
			t.Errorf("project f: %+v %v", zeta, err)
		}
		if seen < 15 {
			t.Errorf("only %d items compared", seen)
		}
	})
}

// TestProjectRefsFollowWrites checks that a project shows its cooperation, solution
// and participants as they are now, whatever was written since: the brief refs kept
// beside its row (migration 00045) follow renamed partners, cooperations and
// solutions, changed participants and another cooperation or solution — in the list,
// the get and a deleted project's read alike.
func TestProjectRefsFollowWrites(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		mustCatalogue(t, w)
		w.mustProject(t, "r", func(d *coop.ProjectDraft) {
			d.Solution = "dips"
			d.Participants = []coop.ParticipantDraft{{Partner: "lwl", Role: "lead", Since: "2019"}, {Partner: "citeq", Role: "provider"}}
		})
		w.mustProject(t, "gone", nil) // citeq and lwl-it; deleted below
		if err := db.DeleteProject(w.ctx, "gone", 0); err != nil {
			t.Fatal(err)
		}
		// renames: a partner's name and slug, the cooperation's title, the solution's slug
		if _, err := db.UpdatePartner(w.ctx, "citeq", coop.PartnerDraft{Slug: "citeq-ms", Name: "citeq Münster",
			Type: "municipal_it_provider"}, 0); err != nil {
			t.Fatal(err)
		}
		cd := coop.CooperationDraft{Slug: "it-kooperation", Title: "IT-Kooperation (neu)", LegalForm: "letter_of_intent",
			StartedOn: "2016-11", Members: []coop.MemberDraft{{Partner: "stadt-muenster", Role: "party"}, {Partner: "lwl", Role: "party"}}}
		if _, err := db.UpdateCooperation(w.ctx, "it-kooperation", cd, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateSolution(w.ctx, "dips", coop.SolutionDraft{Slug: "dips-kommunal", Name: "DiPS.kommunal",
			Category: "archiving", Developers: []string{"lwl"}}, 0); err != nil {
			t.Fatal(err)
		}
		check := func(step string, p coop.Project, coopTitle, solution string, parts ...string) {
			t.Helper()
			var got []string
			for _, x := range p.Participants {
				got = append(got, x.Partner.Slug+"|"+x.Partner.Name+"|"+x.Role+"|"+x.Since.String())
			}
			sol := ""
			if p.Solution != nil {
				sol = p.Solution.Slug
			}
			if p.Cooperation.Name != coopTitle || sol != solution || !reflect.DeepEqual(got, parts) {
				t.Errorf("%s: cooperation %q, solution %q, participants %q; want %q, %q, %q", step,
					p.Cooperation.Name, sol, got, coopTitle, solution, parts)
			}
		}
		get := func(ref string) coop.Project {
			t.Helper()
			p, err := db.FindProject(w.ctx, ref)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		check("after renames", get("r"), "IT-Kooperation (neu)", "dips-kommunal",
			"lwl|Landschaftsverband Westfalen-Lippe|lead|2019", "citeq-ms|citeq Münster|provider|")
		// participants replaced, another cooperation, no solution
		d := draft("r")
		d.Cooperation = "k2"
		d.Participants = []coop.ParticipantDraft{{Partner: "citeq-ms", Role: "lead"}, {Partner: "stadt-muenster", Role: "consumer"},
			{Partner: "lwl", Role: "consumer", Since: "2021-03"}}
		if _, err := db.UpdateProject(w.ctx, "r", d, 0); err != nil {
			t.Fatal(err)
		}
		want := []string{"citeq-ms|citeq Münster|lead|", "stadt-muenster|Stadt Münster|consumer|", "lwl|Landschaftsverband Westfalen-Lippe|consumer|2021-03"}
		check("after update", get("r"), "Kooperation 2", "", want...)
		list, err := db.FindProjects(w.ctx, coop.ProjectFilter{Cooperations: []string{"k2"}})
		i := slices.IndexFunc(list.Items, func(p coop.Project) bool { return p.Slug == "r" })
		if err != nil || i < 0 {
			t.Fatalf("list: %+v %v", list, err)
		}
		check("listed", list.Items[i], "Kooperation 2", "", want...)
		restored, err := db.RestoreProject(w.ctx, "gone", 0)
		if err != nil {
			t.Fatal(err)
		}
		check("deleted, then restored", restored, "IT-Kooperation (neu)", "",
			"citeq-ms|citeq Münster|partner|", "lwl-it|LWL.IT Service Abteilung|partner|")
	})
}

// TestProjectRefsKeptPlans checks, on PostgreSQL, that the brief refs kept by the
// PL/pgSQL triggers (migration 00060: their statements' plans are kept for the session
// and, after five executions, may be generic) equal the refs computed afresh by the
// statement of migration 00045 — after many creates, participant changes and renames
// on the same connections, with and without a solution and with dates.
func TestProjectRefsKeptPlans(t *testing.T) {
	db := storetest.MustOpen(t, "postgres")
	w := mustWorld(t, db)
	mustCatalogue(t, w)
	parts := [][]coop.ParticipantDraft{
		{{Partner: "lwl", Role: "lead", Since: "2019"}, {Partner: "citeq", Role: "provider"}},
		{{Partner: "citeq", Role: "partner"}},
		{{Partner: "lwl-it", Role: "lead", Since: "2018", Until: "2024-06"}},
		{{Partner: "stadt-muenster", Role: "consumer", Since: "2020-01", Until: "2023-12"}, {Partner: "lwl-it", Role: "partner"}, {Partner: "lwl", Role: "consumer"}},
	}
	for i := range 24 {
		slug := fmt.Sprintf("kept-%d", i)
		w.mustProject(t, slug, func(d *coop.ProjectDraft) {
			d.Participants = parts[i%len(parts)]
			if i%3 == 0 {
				d.Solution = "dips"
			}
			if i%2 == 1 {
				d.Cooperation = "k2"
			}
		})
		if i%4 == 1 { // participants changed: the refs follow
			d := draft(slug)
			d.Participants = parts[(i+1)%len(parts)]
			if _, err := db.UpdateProject(w.ctx, slug, d, 0); err != nil {
				t.Fatalf("update %s: %+v", slug, err)
			}
		}
	}
	if _, err := db.UpdatePartner(w.ctx, "citeq", coop.PartnerDraft{Slug: "citeq-ms", Name: "citeq Münster",
		Type: "municipal_it_provider"}, 0); err != nil {
		t.Fatal(err)
	}
	var stale []string
	err := storetest.Gorm(db).Raw(`SELECT slug FROM projects pr WHERE refs IS DISTINCT FROM
 coalesce((SELECT c.slug || chr(31) || c.title FROM cooperations c WHERE c.id = pr.cooperation_id), chr(31))
 || chr(31)
 || coalesce((SELECT s.slug || chr(31) || s.name FROM solutions s WHERE s.id = pr.solution_id), chr(31))
 || coalesce((SELECT string_agg(chr(30) || pp.partner_id::text || chr(31) || pa.slug || chr(31) || pa.name
                                || chr(31) || pp.role || chr(31) || pp.since || chr(31) || pp.until, '' ORDER BY pp.position)
                FROM project_participants pp JOIN partners pa ON pa.id = pp.partner_id
               WHERE pp.project_id = pr.id), '')
 ORDER BY slug`).Scan(&stale).Error
	if err != nil || len(stale) > 0 {
		t.Fatalf("refs differ from a fresh computation: %v %v", stale, err)
	}
	p, err := db.FindProject(w.ctx, "kept-0")
	if err != nil || len(p.Participants) != 2 || p.Participants[1].Partner.Slug != "citeq-ms" || p.Solution == nil {
		t.Fatalf("kept-0: %+v %v", p, err)
	}
}
