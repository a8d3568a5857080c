package store_test

import (
	"context"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// The facts of the seed (seed.go: the press release of 7 February 2018), asserted one by one.

type seedPartner struct {
	slug, name, short, typ, parent, state, ags, ars string
	employees                                       int // 0 = none
}

var wantPartners = []seedPartner{
	{slug: "stadt-muenster", name: "Stadt Münster", typ: "municipality", state: "DE-NW", ags: "05515000", ars: "055150000000"},
	{slug: "citeq", name: "citeq", typ: "municipal_it_provider", parent: "stadt-muenster", employees: 150},
	{slug: "stadtarchiv-muenster", name: "Stadtarchiv Münster", typ: "department", parent: "stadt-muenster"},
	{slug: "lwl", name: "Landschaftsverband Westfalen-Lippe", short: "LWL", typ: "regional_association", state: "DE-NW", employees: 16000},
	{slug: "lwl-it", name: "LWL.IT Service Abteilung", short: "LWL.IT", typ: "municipal_it_provider", parent: "lwl", employees: 170},
	{slug: "stadt-koeln", name: "Stadt Köln", typ: "municipality", state: "DE-NW", ags: "05315000"},
}

type seedProject struct {
	slug, title, category, status, solution string
	participants                            []string // "slug:role"
}

var wantProjects = []seedProject{
	{"it-hotline", "IT-Hotline (Mitnutzung durch citeq)", "service_desk", "operational", "", []string{"lwl-it:provider", "citeq:consumer"}},
	{"dips-kommunal", "DiPS.kommunal im Stadtarchiv Münster", "archiving", "operational", "dips-kommunal", []string{"lwl:provider", "stadtarchiv-muenster:consumer"}},
	{"behoerdennetz-zugang", "Zugang zum Behördennetz über citeq", "network", "operational", "", []string{"citeq:provider", "lwl:consumer"}},
	{"organisationsmanagement-software", "Vereinheitlichung der Organisationsmanagement-Software", "software", "in_progress", "", []string{"citeq:partner", "lwl-it:partner"}},
	{"rechenzentren", "Gemeinsame Nutzung von Rechenzentrenkapazitäten", "data_center", "planned", "", []string{"citeq:partner", "lwl-it:partner"}},
	{"it-sicherheit", "Erfahrungsaustausch IT-Sicherheit", "information_security", "planned", "", []string{"citeq:partner", "lwl-it:partner"}},
}

var pressRelease = coop.Source{
	Title:       "IT-Kooperation wird vertieft (Pressemitteilung Stadt Münster)",
	PublishedOn: coop.MustPartialDate("2018-02-07"),
}

func mustSeed(t *testing.T, db *store.DB) {
	t.Helper()
	seeded, err := db.Seed(context.Background())
	if err != nil || !seeded {
		t.Fatalf("Seed = %v, %v; want true, nil", seeded, err)
	}
}

func TestSeedFacts(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustSeed(t, db)

		t.Run("partners", func(t *testing.T) {
			all, err := db.FindPartners(ctx, coop.PartnerFilter{Page: coop.Page{Limit: 100}})
			if err != nil || all.Total != int64(len(wantPartners)) {
				t.Fatalf("partners: %v, total %d, want %d", err, all.Total, len(wantPartners))
			}
			for _, w := range wantPartners {
				p, err := db.FindPartner(ctx, w.slug)
				if err != nil {
					t.Fatalf("%s: %v", w.slug, err)
				}
				if p.Name != w.name || p.ShortName != w.short || p.Type != w.typ || p.State != w.state || p.AGS != w.ags || p.ARS != w.ars {
					t.Errorf("%s: got name %q short %q type %q state %q ags %q ars %q, want %+v",
						w.slug, p.Name, p.ShortName, p.Type, p.State, p.AGS, p.ARS, w)
				}
				switch {
				case w.parent == "" && p.Parent != nil:
					t.Errorf("%s: parent %+v, want none", w.slug, p.Parent)
				case w.parent != "" && (p.Parent == nil || p.Parent.Slug != w.parent):
					t.Errorf("%s: parent %+v, want %s", w.slug, p.Parent, w.parent)
				}
				switch {
				case w.employees == 0 && p.Employees != nil:
					t.Errorf("%s: employees %+v, want none", w.slug, p.Employees)
				case w.employees != 0 && (p.Employees == nil || p.Employees.Count != w.employees || p.Employees.AsOf.String() != "2018-02"):
					t.Errorf("%s: employees %+v, want %d as of 2018-02", w.slug, p.Employees, w.employees)
				}
				if p.Description == "" || p.Version != 1 {
					t.Errorf("%s: description %q, version %d", w.slug, p.Description, p.Version)
				}
			}
			citeq, _ := db.FindPartner(ctx, "citeq")
			if citeq.Parent == nil || citeq.Parent.Name != "Stadt Münster" {
				t.Errorf("citeq's parent: %+v", citeq.Parent)
			}
		})

		t.Run("solution", func(t *testing.T) {
			s, err := db.FindSolution(ctx, "dips-kommunal")
			if err != nil {
				t.Fatal(err)
			}
			if s.Name != "DiPS.kommunal" || s.Category != "archiving" || s.Description != "elektronische Langzeitarchivierung für kommunale Archive" {
				t.Errorf("solution %+v", s)
			}
			if got := refSlugs(s.Developers); !slices.Equal(got, []string{"lwl", "stadt-koeln"}) {
				t.Errorf("developers %v", got)
			}
		})

		t.Run("cooperation", func(t *testing.T) {
			c, err := db.FindCooperation(ctx, "it-kooperation-muenster-lwl")
			if err != nil {
				t.Fatal(err)
			}
			if c.Title != "IT-Kooperation Stadt Münster – LWL" || c.Status != "active" || c.LegalForm != "letter_of_intent" ||
				c.StartedOn.String() != "2016-11" || !c.EndedOn.IsZero() {
				t.Errorf("cooperation %+v", c)
			}
			if !slices.Equal(c.LegalBasis, []string{"EGovG NRW"}) {
				t.Errorf("legal basis %v", c.LegalBasis)
			}
			var members []string
			for _, m := range c.Members {
				members = append(members, m.Partner.Slug+":"+m.Role)
			}
			sort.Strings(members)
			if want := []string{"citeq:implementer", "lwl-it:implementer", "lwl:party", "stadt-muenster:party"}; !slices.Equal(members, want) {
				t.Errorf("members %v, want %v", members, want)
			}
			if !slices.Equal(c.Sources, []coop.Source{pressRelease}) {
				t.Errorf("sources %+v", c.Sources)
			}
			for _, aim := range []string{"Rechenzentrenkapazitäten", "IT-Sicherheit", "E-Government-Gesetz", "Digitalisierungsstrategien"} {
				if !strings.Contains(c.Description, aim) {
					t.Errorf("description lacks the aim %q", aim)
				}
			}
			h, err := db.CooperationHistory(ctx, c.Slug)
			if err != nil || len(h) != 1 || h[0].To != "active" || h[0].From != "" || h[0].EffectiveOn.String() != "2016-11" || h[0].Actor.Type != "system" {
				t.Errorf("history %v %+v", err, h)
			}
		})

		t.Run("projects", func(t *testing.T) {
			all, err := db.FindProjects(ctx, coop.ProjectFilter{Page: coop.Page{Limit: 100}})
			if err != nil || all.Total != int64(len(wantProjects)) {
				t.Fatalf("projects: %v, total %d", err, all.Total)
			}
			for _, w := range wantProjects {
				p, err := db.FindProject(ctx, w.slug)
				if err != nil {
					t.Fatalf("%s: %v", w.slug, err)
				}
				if p.Title != w.title || p.Category != w.category || p.Status != w.status || p.Cooperation.Slug != "it-kooperation-muenster-lwl" {
					t.Errorf("%s: title %q category %q status %q cooperation %q", w.slug, p.Title, p.Category, p.Status, p.Cooperation.Slug)
				}
				var parts []string
				for _, x := range p.Participants {
					parts = append(parts, x.Partner.Slug+":"+x.Role)
				}
				if !slices.Equal(parts, w.participants) {
					t.Errorf("%s: participants %v, want %v", w.slug, parts, w.participants)
				}
				switch {
				case w.solution == "" && p.Solution != nil:
					t.Errorf("%s: solution %+v, want none", w.slug, p.Solution)
				case w.solution != "" && (p.Solution == nil || p.Solution.Slug != w.solution):
					t.Errorf("%s: solution %+v, want %s", w.slug, p.Solution, w.solution)
				}
				if !slices.Equal(p.Sources, []coop.Source{pressRelease}) {
					t.Errorf("%s: sources %+v", w.slug, p.Sources)
				}
				if p.Description == "" || !slices.Contains(p.Tags, "ikz") {
					t.Errorf("%s: description %q, tags %v", w.slug, p.Description, p.Tags)
				}
				if p.Finance.BudgetPlanned != nil || p.Finance.CostActual != nil || p.Finance.SavingsEstimated != nil {
					t.Errorf("%s: the press release names no money, got %+v", w.slug, p.Finance)
				}
				h, err := db.ProjectHistory(ctx, w.slug)
				if err != nil || len(h) != 1 {
					t.Fatalf("%s: history %v %+v", w.slug, err, h)
				}
				e := h[0]
				if e.To != w.status || e.From != "" || e.EffectiveOn.IsZero() || e.EffectiveOn.First().After(coop.MustPartialDate("2018-02").First()) ||
					e.Actor.Type != "system" {
					t.Errorf("%s: history entry %+v, want %s effective no later than 2018-02", w.slug, e, w.status)
				}
			}
			op, err := db.FindProjects(ctx, coop.ProjectFilter{Page: coop.Page{Limit: 100}, Statuses: []string{"operational"}})
			if err != nil {
				t.Fatal(err)
			}
			var slugs []string
			for _, p := range op.Items {
				slugs = append(slugs, p.Slug)
			}
			sort.Strings(slugs)
			if want := []string{"behoerdennetz-zugang", "dips-kommunal", "it-hotline"}; !slices.Equal(slugs, want) {
				t.Errorf("operational %v, want %v", slugs, want)
			}
		})

		t.Run("change log", func(t *testing.T) {
			changes, err := db.FindChanges(ctx, coop.ChangeFilter{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			count := map[string]int{}
			for _, c := range changes {
				if c.Action != "create" || c.Actor.Type != "system" {
					t.Errorf("change %+v", c)
				}
				count[c.ResourceType]++
			}
			if want := map[string]int{"partner": 6, "solution": 1, "cooperation": 1, "project": 6}; !mapsEqual(count, want) {
				t.Errorf("creates by type %v, want %v", count, want)
			}
		})

		t.Run("no personal data", func(t *testing.T) {
			var texts []string
			ps, _ := db.FindPartners(ctx, coop.PartnerFilter{Page: coop.Page{Limit: 100}})
			for _, p := range ps.Items {
				texts = append(texts, p.Name, p.Description, p.Email)
			}
			prs, _ := db.FindProjects(ctx, coop.ProjectFilter{Page: coop.Page{Limit: 100}})
			for _, p := range prs.Items {
				texts = append(texts, p.Title, p.Description)
			}
			c, _ := db.FindCooperation(ctx, "it-kooperation-muenster-lwl")
			texts = append(texts, c.Description)
			for _, s := range texts {
				for _, name := range []string{"Heuer", "Lunemann", "@"} {
					if strings.Contains(s, name) {
						t.Errorf("seed text names %q: %q", name, s)
					}
				}
			}
		})

		t.Run("idempotent", func(t *testing.T) {
			seeded, err := db.Seed(ctx)
			if err != nil || seeded {
				t.Fatalf("second Seed = %v, %v; want false, nil", seeded, err)
			}
			all, _ := db.FindPartners(ctx, coop.PartnerFilter{Page: coop.Page{Limit: 100}})
			if all.Total != int64(len(wantPartners)) {
				t.Errorf("partners after second seed: %d", all.Total)
			}
		})
	})
}

// A directory whose partners were all deleted is not refilled.
func TestSeedSkipsDeletedPartners(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		p := mustTokenPartner(t, db, "kreis-x")
		if err := db.DeletePartner(systemCtx(), p.ID, 0); err != nil {
			t.Fatal(err)
		}
		seeded, err := db.Seed(context.Background())
		if err != nil || seeded {
			t.Fatalf("Seed = %v, %v; want false, nil", seeded, err)
		}
	})
}

// Replicas starting together seed once.
func TestSeedConcurrent(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		var wg sync.WaitGroup
		results := make([]bool, 4)
		errs := make([]error, 4)
		for i := range results {
			wg.Go(func() { results[i], errs[i] = db.Seed(context.Background()) })
		}
		wg.Wait()
		n := 0
		for i := range results {
			if errs[i] != nil {
				t.Errorf("Seed: %v", errs[i])
			}
			if results[i] {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d seeds reported seeding, want 1", n)
		}
		all, _ := db.FindProjects(context.Background(), coop.ProjectFilter{Page: coop.Page{Limit: 100}})
		if all.Total != int64(len(wantProjects)) {
			t.Errorf("projects %d", all.Total)
		}
	})
}

func TestSchemaCurrent(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		ok, err := db.SchemaCurrent(context.Background())
		if err != nil || !ok {
			t.Errorf("migrated database: SchemaCurrent = %v, %v", ok, err)
		}
	})
	db, err := store.Open("sqlite::memory:", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ok, err := db.SchemaCurrent(context.Background())
	if err != nil || ok {
		t.Errorf("empty database: SchemaCurrent = %v, %v; want false, nil", ok, err)
	}
}

func refSlugs(refs []coop.Ref) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.Slug
	}
	return out
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
