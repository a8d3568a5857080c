package store_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// mustCatalogue adds a solution, a second cooperation and five projects a–e:
//
//	a "beta"   software     planned      2016-05     citeq partner, lwl-it partner   tags netz
//	b "Alpha"  network      operational  2017        citeq provider, lwl consumer    tags netz, sicherheit; solution dips
//	c "gamma"  archiving    in_progress  2017-06-15  lwl provider, stadt-muenster consumer; solution dips
//	d "Delta"  software     planned      —           stadt-muenster lead
//	e "Ärger"  service_desk planned      2018-02-01  citeq lead; cooperation k2
func mustCatalogue(t *testing.T, w *world) map[string]coop.Project {
	t.Helper()
	if _, err := w.db.CreateSolution(w.ctx, coop.SolutionDraft{Slug: "dips", Name: "DiPS.kommunal", Category: "archiving",
		Developers: []string{"lwl"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.CreateCooperation(w.ctx, coop.CooperationDraft{Slug: "k2", Title: "Kooperation 2", LegalForm: "public_law_agreement",
		Members: []coop.MemberDraft{{Partner: "citeq", Role: "party"}, {Partner: "stadt-muenster", Role: "party"}}}); err != nil {
		t.Fatal(err)
	}
	parts := func(list ...string) []coop.ParticipantDraft {
		var out []coop.ParticipantDraft
		for i := 0; i < len(list); i += 2 {
			out = append(out, coop.ParticipantDraft{Partner: list[i], Role: list[i+1]})
		}
		return out
	}
	out := map[string]coop.Project{}
	for _, x := range []struct {
		slug, title, category, status, effective, started string
		participants                                      []coop.ParticipantDraft
		tags                                              []string
		solution, cooperation                             string
	}{
		{"a", "beta", "software", "", "", "2016-05", parts("citeq", "partner", "lwl-it", "partner"), []string{"netz"}, "", ""},
		{"b", "Alpha", "network", "operational", "2018-02", "2017", parts("citeq", "provider", "lwl", "consumer"), []string{"netz", "sicherheit"}, "dips", ""},
		{"c", "gamma", "archiving", "in_progress", "2017-06", "2017-06-15", parts("lwl", "provider", "stadt-muenster", "consumer"), nil, "dips", ""},
		{"d", "Delta", "software", "", "", "", parts("stadt-muenster", "lead"), nil, "", ""},
		{"e", "Ärger", "service_desk", "", "", "2018-02-01", parts("citeq", "lead"), nil, "", "k2"},
	} {
		out[x.slug] = w.mustProject(t, x.slug, func(d *coop.ProjectDraft) {
			d.Title, d.Category, d.Status, d.StatusEffectiveOn, d.StartedOn = x.title, x.category, x.status, x.effective, x.started
			d.Participants, d.Tags, d.Solution = x.participants, x.tags, x.solution
			if x.cooperation != "" {
				d.Cooperation = x.cooperation
			}
		})
	}
	return out
}

func TestProjectFilters(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		ps := mustCatalogue(t, w)
		cases := []struct {
			name string
			f    coop.ProjectFilter
			want []string // in default order: title
		}{
			{"all", coop.ProjectFilter{}, []string{"b", "e", "a", "d", "c"}},
			{"status", coop.ProjectFilter{Statuses: []string{"operational", "in_progress"}}, []string{"b", "c"}},
			{"category", coop.ProjectFilter{Categories: []string{"software"}}, []string{"a", "d"}},
			{"cooperation slug", coop.ProjectFilter{Cooperations: []string{"k2"}}, []string{"e"}},
			{"cooperation id", coop.ProjectFilter{Cooperations: []string{w.coop.ID}}, []string{"b", "a", "d", "c"}},
			{"solution", coop.ProjectFilter{Solutions: []string{"dips"}}, []string{"b", "c"}},
			{"partner", coop.ProjectFilter{Partners: []string{"citeq"}}, []string{"b", "e", "a"}},
			{"partner id", coop.ProjectFilter{Partners: []string{w.partners["lwl"].ID}}, []string{"b", "c"}},
			{"partner and role", coop.ProjectFilter{Partners: []string{"citeq"}, Roles: []string{"provider", "lead"}}, []string{"b", "e"}},
			{"role alone", coop.ProjectFilter{Roles: []string{"consumer"}}, []string{"b", "c"}},
			{"unknown partner", coop.ProjectFilter{Partners: []string{"nobody"}}, nil},
			{"tag", coop.ProjectFilter{Tags: []string{"netz"}}, []string{"b", "a"}},
			{"tags any", coop.ProjectFilter{Tags: []string{"sicherheit", "x"}}, []string{"b"}},
			{"started from", coop.ProjectFilter{StartedFrom: coop.MustPartialDate("2017")}, []string{"b", "e", "c"}},
			{"started to", coop.ProjectFilter{StartedTo: coop.MustPartialDate("2017")}, []string{"b", "a", "c"}},
			{"started month", coop.ProjectFilter{StartedFrom: coop.MustPartialDate("2017-06"), StartedTo: coop.MustPartialDate("2017-06")}, []string{"c"}},
			{"started day", coop.ProjectFilter{StartedFrom: coop.MustPartialDate("2017-06-16")}, []string{"e"}},
			{"combined", coop.ProjectFilter{Categories: []string{"software", "network"}, Partners: []string{"citeq"}, Statuses: []string{"planned"}}, []string{"a"}},
		}
		for _, c := range cases {
			got, err := db.FindProjects(w.ctx, c.f)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if !slices.Equal(slugsOf(got.Items), c.want) || got.Total != int64(len(c.want)) || got.NextCursor != "" {
				t.Errorf("%s: %v (total %d), want %v", c.name, slugsOf(got.Items), got.Total, c.want)
			}
		}
		// A list item is the same as the single get.
		got, _ := db.FindProjects(w.ctx, coop.ProjectFilter{Solutions: []string{"dips"}, Page: coop.Page{Limit: 1}})
		if one, _ := db.FindProject(w.ctx, "b"); len(got.Items) != 1 || fmt.Sprintf("%+v", got.Items[0].Participants) != fmt.Sprintf("%+v", one.Participants) ||
			got.Items[0].Solution == nil || got.Items[0].Solution.Name != "DiPS.kommunal" || got.Items[0].Cooperation != one.Cooperation || got.Total != 2 {
			t.Errorf("list item %+v", got.Items)
		}

		time.Sleep(5 * time.Millisecond)
		since := time.Now()
		time.Sleep(5 * time.Millisecond)
		d := draft("d")
		d.Title, d.Participants = "Delta", []coop.ParticipantDraft{{Partner: "stadt-muenster", Role: "lead"}}
		if _, err := db.UpdateProject(w.ctx, ps["d"].ID, d, 0); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindProjects(w.ctx, coop.ProjectFilter{UpdatedSince: &since})
		if err != nil || !slices.Equal(slugsOf(got.Items), []string{"d"}) {
			t.Errorf("updated since: %v %v", slugsOf(got.Items), err)
		}
	})
}

func TestProjectSorts(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		mustCatalogue(t, w)
		cases := []struct {
			sort []coop.SortKey
			want []string
		}{
			{[]coop.SortKey{{Field: "title", Desc: true}}, []string{"c", "d", "a", "e", "b"}},
			{[]coop.SortKey{{Field: "started_on", Desc: true}}, []string{"e", "c", "b", "a", "d"}},
			{[]coop.SortKey{{Field: "category"}, {Field: "title"}}, []string{"c", "b", "e", "a", "d"}},
			{[]coop.SortKey{{Field: "status"}, {Field: "slug", Desc: true}}, []string{"c", "b", "e", "d", "a"}},
			{[]coop.SortKey{{Field: "slug"}}, []string{"a", "b", "c", "d", "e"}},
			{[]coop.SortKey{{Field: "created_at"}}, []string{"a", "b", "c", "d", "e"}},
			{[]coop.SortKey{{Field: "updated_at", Desc: true}}, []string{"e", "d", "c", "b", "a"}},
		}
		for _, c := range cases {
			got, err := db.FindProjects(w.ctx, coop.ProjectFilter{Page: coop.Page{Sort: c.sort}})
			if err != nil || !slices.Equal(slugsOf(got.Items), c.want) {
				t.Errorf("sort %v: %v %v, want %v", c.sort, slugsOf(got.Items), err, c.want)
			}
		}
		_, err := db.FindProjects(w.ctx, coop.ProjectFilter{Page: coop.Page{Sort: []coop.SortKey{{Field: "budget"}}}})
		mustCode(t, err, coop.EInvalid)
		_, err = db.FindProjects(w.ctx, coop.ProjectFilter{Page: coop.Page{Cursor: "bm90LWEtY3Vyc29y"}})
		mustCode(t, err, coop.EInvalid)
		page, err := db.FindProjects(w.ctx, coop.ProjectFilter{Page: coop.Page{Limit: 2}})
		if err != nil || page.NextCursor == "" {
			t.Fatal(page, err)
		}
		_, err = db.FindProjects(w.ctx, coop.ProjectFilter{Page: coop.Page{Limit: 2, Cursor: page.NextCursor, Sort: []coop.SortKey{{Field: "slug"}}}})
		mustCode(t, err, coop.EInvalid)
	})
}

// TestKeysetPagination walks a list with many ties under a custom sort and checks that
// every row comes exactly once, in the order of the whole list.
func TestKeysetPagination(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		categories := []string{"software", "network", "archiving"}
		started := []string{"", "2016", "2017-03", "2017-03-01"}
		for i := 0; i < 23; i++ {
			w.mustProject(t, fmt.Sprintf("p%02d", i), func(d *coop.ProjectDraft) {
				d.Category, d.StartedOn = categories[i%3], started[i%4]
				d.Title = "Gleicher Titel"
			})
		}
		for _, sort := range [][]coop.SortKey{
			{{Field: "category"}, {Field: "started_on", Desc: true}},
			{{Field: "title"}},
			{{Field: "updated_at", Desc: true}, {Field: "status"}},
		} {
			all, err := db.FindProjects(w.ctx, coop.ProjectFilter{Page: coop.Page{Limit: 500, Sort: sort}})
			if err != nil || len(all.Items) != 23 {
				t.Fatalf("whole list: %d %v", len(all.Items), err)
			}
			var walked []string
			cursor := ""
			for pages := 0; ; pages++ {
				if pages > 10 {
					t.Fatal("pagination does not end")
				}
				page, err := db.FindProjects(w.ctx, coop.ProjectFilter{Page: coop.Page{Limit: 4, Sort: sort, Cursor: cursor}})
				if err != nil {
					t.Fatal(err)
				}
				if page.Total != 23 {
					t.Errorf("total %d", page.Total)
				}
				walked = append(walked, slugsOf(page.Items)...)
				if cursor = page.NextCursor; cursor == "" {
					break
				}
			}
			if !slices.Equal(walked, slugsOf(all.Items)) {
				t.Errorf("sort %v: walked %v\nwant %v", sort, walked, slugsOf(all.Items))
			}
		}
	})
}

// countQueries counts the statements db sends from now on, through GORM or natively
// (storetest.Statements).
func countQueries(t *testing.T, db *store.DB) *storetest.Counter {
	t.Helper()
	return storetest.Statements(db)
}

func TestListQueryCount(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		for i := 0; i < 12; i++ {
			if _, err := db.CreateSolution(w.ctx, coop.SolutionDraft{Slug: fmt.Sprintf("s%02d", i), Name: "S",
				Developers: []string{"lwl", "citeq"}}); err != nil {
				t.Fatal(err)
			}
			if _, err := db.CreateCooperation(w.ctx, coop.CooperationDraft{Slug: fmt.Sprintf("c%02d", i), Title: "K", LegalForm: "other",
				Members: []coop.MemberDraft{{Partner: "lwl", Role: "party"}, {Partner: "citeq", Role: "party"}}}); err != nil {
				t.Fatal(err)
			}
		}
		for i := 0; i < 60; i++ {
			w.mustProject(t, fmt.Sprintf("p%02d", i), func(d *coop.ProjectDraft) {
				if i%2 == 1 {
					d.Solution = "s00"
				}
			})
		}
		n := countQueries(t, db)
		measure := func(name string, list func(limit int) (int, error), small, large int, want int64) {
			counts := map[int]int64{}
			for _, limit := range []int{small, large} {
				n.Reset()
				got, err := list(limit)
				if err != nil || got != limit {
					t.Fatalf("%s limit %d: %d items, %v", name, limit, got, err)
				}
				counts[limit] = n.N()
			}
			// count, page, the page's child rows; a project page is its rows alone (the
			// refs are kept beside them) and, filtered by nothing but status and category,
			// reads its total with them
			if counts[small] != want || counts[large] != want {
				t.Errorf("%s: %d queries for %d items, %d for %d", name, counts[small], small, counts[large], large)
			}
		}
		measure("projects", func(limit int) (int, error) {
			r, err := db.FindProjects(w.ctx, coop.ProjectFilter{Page: coop.Page{Limit: limit}})
			return len(r.Items), err
		}, 5, 50, 1)
		measure("projects by status", func(limit int) (int, error) {
			r, err := db.FindProjects(w.ctx, coop.ProjectFilter{Page: coop.Page{Limit: limit}, Statuses: []string{"planned", "operational"}})
			return len(r.Items), err
		}, 5, 50, 1)
		measure("projects as of", func(limit int) (int, error) {
			r, err := db.FindProjects(w.ctx, coop.ProjectFilter{Page: coop.Page{Limit: limit}, AsOf: coop.DateFromTime(time.Now())})
			return len(r.Items), err
		}, 5, 50, 2)
		measure("cooperations", func(limit int) (int, error) {
			r, err := db.FindCooperations(w.ctx, coop.CooperationFilter{Page: coop.Page{Limit: limit}})
			return len(r.Items), err
		}, 2, 12, 3)
		measure("solutions", func(limit int) (int, error) {
			r, err := db.FindSolutions(w.ctx, coop.SolutionFilter{Page: coop.Page{Limit: limit}})
			return len(r.Items), err
		}, 2, 12, 3)
	})
}

func TestCooperationAndSolutionLists(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		mustCatalogue(t, w)
		cs, err := db.FindCooperations(w.ctx, coop.CooperationFilter{Partners: []string{"lwl-it"}})
		if err != nil || len(cs.Items) != 1 || cs.Items[0].Slug != "it-kooperation" || len(cs.Items[0].Members) != 4 ||
			cs.Items[0].Members[2].Partner.Slug != "citeq" || cs.Items[0].Members[2].Role != "implementer" {
			t.Errorf("cooperations of lwl-it: %+v %v", cs, err)
		}
		cs, err = db.FindCooperations(w.ctx, coop.CooperationFilter{Page: coop.Page{Sort: []coop.SortKey{{Field: "started_on", Desc: true}}}})
		if err != nil || len(cs.Items) != 2 || cs.Items[0].Slug != "it-kooperation" || cs.Items[1].Slug != "k2" {
			t.Errorf("cooperations by -started_on: %+v %v", cs, err)
		}
		cs, err = db.FindCooperations(w.ctx, coop.CooperationFilter{Statuses: []string{"planned"}, LegalForms: []string{"public_law_agreement"}})
		if err != nil || len(cs.Items) != 1 || cs.Items[0].Slug != "k2" || cs.Items[0].Status != "planned" {
			t.Errorf("planned cooperations: %+v %v", cs, err)
		}
		if _, err := db.CreateSolution(w.ctx, coop.SolutionDraft{Slug: "ohne", Name: "ohne Entwickler"}); err != nil {
			t.Fatal(err)
		}
		ss, err := db.FindSolutions(w.ctx, coop.SolutionFilter{Developers: []string{w.partners["lwl"].ID}})
		if err != nil || len(ss.Items) != 1 || ss.Items[0].Slug != "dips" || len(ss.Items[0].Developers) != 1 || ss.Items[0].Developers[0].Name != "Landschaftsverband Westfalen-Lippe" {
			t.Errorf("solutions of lwl: %+v %v", ss, err)
		}
		ss, err = db.FindSolutions(w.ctx, coop.SolutionFilter{Page: coop.Page{Sort: []coop.SortKey{{Field: "name", Desc: true}}}})
		if err != nil || len(ss.Items) != 2 || ss.Items[0].Slug != "ohne" || len(ss.Items[0].Developers) != 0 || ss.Items[0].Developers == nil {
			t.Errorf("solutions by -name: %+v %v", ss, err)
		}
	})
}
