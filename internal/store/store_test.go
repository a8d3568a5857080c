package store_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// The tests of cooperations, projects, solutions, their lifecycle and the change
// feed. Every test runs on SQLite and on PostgreSQL (storetest.ForEachDB).

// admin is the actor of most writes here.
var admin = coop.Actor{Type: coop.ActorToken, ID: "tok-1", Name: "Pflege-Token", Roles: []string{"admin"}}

func adminCtx() context.Context { return coop.WithActor(context.Background(), admin) }

// world is a small directory: four partners and a cooperation between them.
type world struct {
	db       *store.DB
	ctx      context.Context
	partners map[string]coop.Partner
	coop     coop.Cooperation
}

func mustWorld(t *testing.T, db *store.DB) *world {
	t.Helper()
	w := &world{db: db, ctx: adminCtx(), partners: map[string]coop.Partner{}}
	for _, p := range []struct{ slug, name, typ string }{
		{"stadt-muenster", "Stadt Münster", "municipality"},
		{"citeq", "citeq", "municipal_it_provider"},
		{"lwl", "Landschaftsverband Westfalen-Lippe", "regional_association"},
		{"lwl-it", "LWL.IT Service Abteilung", "municipal_it_provider"},
	} {
		got, err := db.CreatePartner(w.ctx, coop.PartnerDraft{Slug: p.slug, Name: p.name, Type: p.typ})
		if err != nil {
			t.Fatalf("create partner %s: %v", p.slug, err)
		}
		w.partners[p.slug] = got
	}
	c, err := db.CreateCooperation(w.ctx, coop.CooperationDraft{
		Slug: "it-kooperation", Title: "IT-Kooperation Stadt Münster – LWL", LegalForm: "letter_of_intent",
		StartedOn: "2016-11", Status: "active", LegalBasis: []string{"EGovG NRW"},
		Members: []coop.MemberDraft{{Partner: "stadt-muenster", Role: "party"}, {Partner: "lwl", Role: "party"},
			{Partner: "citeq", Role: "implementer"}, {Partner: "lwl-it", Role: "implementer"}},
	})
	if err != nil {
		t.Fatalf("create cooperation: %v", err)
	}
	w.coop = c
	return w
}

// draft is a valid project draft in the world's cooperation.
func draft(slug string) coop.ProjectDraft {
	return coop.ProjectDraft{
		Slug: slug, Title: "Vorhaben " + slug, Cooperation: "it-kooperation", Category: "software",
		Participants: []coop.ParticipantDraft{{Partner: "citeq", Role: "partner"}, {Partner: "lwl-it", Role: "partner"}},
	}
}

func (w *world) mustProject(t *testing.T, slug string, edit func(*coop.ProjectDraft)) coop.Project {
	t.Helper()
	d := draft(slug)
	if edit != nil {
		edit(&d)
	}
	p, err := w.db.CreateProject(w.ctx, d)
	if err != nil {
		t.Fatalf("create project %s: %v", slug, err)
	}
	return p
}

// mustCode fails unless err carries code.
func mustCode(t *testing.T, err error, code coop.Code) *coop.Error {
	t.Helper()
	var ce *coop.Error
	if !errors.As(err, &ce) || ce.Code != code {
		t.Fatalf("error %v: want code %q", err, code)
	}
	return ce
}

// fieldCodes lists a validation error's fields as "field:code".
func fieldCodes(t *testing.T, err error) []string {
	t.Helper()
	ce := mustCode(t, err, coop.EValidation)
	var out []string
	for _, f := range ce.Fields {
		out = append(out, f.Field+":"+f.Code)
	}
	return out
}

func slugsOf(list []coop.Project) []string {
	out := make([]string, len(list))
	for i, p := range list {
		out[i] = p.Slug
	}
	return out
}

func TestProjectCreateGet(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		sol, err := db.CreateSolution(w.ctx, coop.SolutionDraft{Slug: "dips-kommunal", Name: "DiPS.kommunal",
			Category: "archiving", Developers: []string{"lwl", w.partners["stadt-muenster"].ID}})
		if err != nil {
			t.Fatal(err)
		}
		budget, cost := "125000.5", "99.99"
		p := w.mustProject(t, "dips", func(d *coop.ProjectDraft) {
			d.Title = "  DiPS.kommunal im Stadtarchiv  "
			d.Cooperation = w.coop.ID
			d.Solution = "dips-kommunal"
			d.Category = "archiving"
			d.Participants = []coop.ParticipantDraft{
				{Partner: "lwl", Role: "provider", Since: "2017-01"},
				{Partner: w.partners["stadt-muenster"].ID, Role: "consumer"},
			}
			d.StartedOn, d.PlannedEndOn = "2017-01", "2019"
			d.Tags = []string{"archiv", "dms"}
			d.LegalBasis = []string{"ArchivG NRW"}
			d.Sources = []coop.SourceDraft{{Title: "Pressemitteilung", URL: "https://www.lwl.org/", PublishedOn: "2018-02-07"}}
			d.Finance = &coop.FinanceDraft{BudgetPlanned: &budget, CostActual: &cost}
		})
		if p.Version != 1 || p.Status != "planned" || p.Title != "DiPS.kommunal im Stadtarchiv" || p.ID == "" {
			t.Errorf("created %+v", p.Meta)
		}
		if p.Cooperation != (coop.Ref{ID: w.coop.ID, Slug: "it-kooperation", Name: w.coop.Title}) {
			t.Errorf("cooperation ref %+v", p.Cooperation)
		}
		if p.Solution == nil || *p.Solution != (coop.Ref{ID: sol.ID, Slug: "dips-kommunal", Name: "DiPS.kommunal"}) {
			t.Errorf("solution ref %+v", p.Solution)
		}
		want := []coop.Participant{
			{Partner: coop.Ref{ID: w.partners["lwl"].ID, Slug: "lwl", Name: "Landschaftsverband Westfalen-Lippe"}, Role: "provider", Since: coop.MustPartialDate("2017-01")},
			{Partner: coop.Ref{ID: w.partners["stadt-muenster"].ID, Slug: "stadt-muenster", Name: "Stadt Münster"}, Role: "consumer"},
		}
		if !slices.Equal(p.Participants, want) {
			t.Errorf("participants %+v", p.Participants)
		}
		if p.StartedOn.String() != "2017-01" || p.PlannedEndOn.String() != "2019" || !p.EndedOn.IsZero() {
			t.Errorf("dates %v %v %v", p.StartedOn, p.PlannedEndOn, p.EndedOn)
		}
		if !slices.Equal(p.Tags, []string{"archiv", "dms"}) || !slices.Equal(p.LegalBasis, []string{"ArchivG NRW"}) ||
			len(p.Sources) != 1 || p.Sources[0].PublishedOn.String() != "2018-02-07" {
			t.Errorf("lists %v %v %+v", p.Tags, p.LegalBasis, p.Sources)
		}
		f := p.Finance
		if f.BudgetPlanned == nil || *f.BudgetPlanned != 12500050 || f.CostActual == nil || *f.CostActual != 9999 ||
			f.SavingsEstimated != nil || f.Currency != "EUR" {
			t.Errorf("finance %+v", f)
		}
		for _, ref := range []string{"dips", p.ID} {
			got, err := db.FindProject(w.ctx, ref)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, p) {
				t.Errorf("FindProject(%s) = %+v\nwant %+v", ref, got, p)
			}
		}
		h, err := db.ProjectHistory(w.ctx, "dips")
		if err != nil || len(h) != 1 || h[0].From != "" || h[0].To != "planned" || h[0].EffectiveOn.String() != "2017-01" ||
			h[0].Actor.Name != "Pflege-Token" || h[0].Actor.Type != coop.ActorToken {
			t.Errorf("history %+v %v", h, err)
		}
		changes, err := db.FindChanges(w.ctx, coop.ChangeFilter{ResourceType: coop.TypeProject, ResourceID: p.ID})
		if err != nil || len(changes) != 1 {
			t.Fatalf("changes %+v %v", changes, err)
		}
		c := changes[0]
		if c.Action != coop.ActionCreate || c.Version != 1 || c.Changes["status"].New != "planned" ||
			c.Changes["title"].New != "DiPS.kommunal im Stadtarchiv" || c.Changes["title"].Old != nil {
			t.Errorf("create change %+v", c)
		}
		if _, err := db.FindProject(w.ctx, "no-such-project"); coop.ErrorCode(err) != coop.ENotFound {
			t.Errorf("missing project: %v", err)
		}
	})
}

func TestInitialStatus(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		cases := []struct {
			slug, status, effective, started string
			wantStatus, wantEffective        string
		}{
			{"default", "", "", "", "planned", ""},
			{"from-started", "", "", "2016-05", "planned", "2016-05"},
			{"historic", "operational", "2018-02", "2016", "operational", "2018-02"},
			{"ahead", "", "", "2999-01", "planned", coop.DateFromTime(time.Now()).String()},
		}
		for _, c := range cases {
			p := w.mustProject(t, c.slug, func(d *coop.ProjectDraft) {
				d.Status, d.StatusEffectiveOn, d.StartedOn = c.status, c.effective, c.started
			})
			h, err := db.ProjectHistory(w.ctx, p.ID)
			if err != nil || p.Status != c.wantStatus || len(h) != 1 || h[0].To != c.wantStatus || h[0].EffectiveOn.String() != c.wantEffective {
				t.Errorf("%s: status %q history %+v %v", c.slug, p.Status, h, err)
			}
		}
		_, err := db.CreateProject(w.ctx, func() coop.ProjectDraft {
			d := draft("future")
			d.StatusEffectiveOn = "2999"
			return d
		}())
		if got := fieldCodes(t, err); !slices.Equal(got, []string{"status_effective_on:future"}) {
			t.Errorf("future initial status: %v", got)
		}
	})
}

func TestReferenceErrors(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		gone, err := db.CreatePartner(w.ctx, coop.PartnerDraft{Slug: "gone", Name: "Gone", Type: "other"})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.DeletePartner(w.ctx, "gone", 0); err != nil {
			t.Fatal(err)
		}
		d := draft("refs")
		d.Cooperation = "no-such-cooperation"
		d.Solution = "no-such-solution"
		d.Participants = []coop.ParticipantDraft{
			{Partner: "citeq", Role: "partner"}, {Partner: "nobody", Role: "partner"},
			{Partner: gone.ID, Role: "partner"}, {Partner: w.partners["citeq"].ID, Role: "partner"},
		}
		d.Tags = []string{"a", "b", "a"}
		_, err = db.CreateProject(w.ctx, d)
		want := []string{"cooperation:reference", "solution:reference", "participants[1].partner:reference",
			"participants[2].partner:reference", "participants[3]:duplicate", "tags[2]:duplicate"}
		if got := fieldCodes(t, err); !slices.Equal(got, want) {
			t.Errorf("project refs: %v\nwant %v", got, want)
		}

		_, err = db.CreateCooperation(w.ctx, coop.CooperationDraft{Slug: "k2", Title: "K2", LegalForm: "other",
			Members: []coop.MemberDraft{{Partner: "citeq", Role: "party"}, {Partner: "gone", Role: "party"}}})
		if got := fieldCodes(t, err); !slices.Equal(got, []string{"members[1].partner:reference"}) {
			t.Errorf("cooperation refs: %v", got)
		}
		_, err = db.CreateSolution(w.ctx, coop.SolutionDraft{Slug: "s", Name: "S",
			Developers: []string{"lwl", "citeq", "nobody", w.partners["lwl"].ID}})
		if got := fieldCodes(t, err); !slices.Equal(got, []string{"developers[2]:reference", "developers[3]:duplicate"}) {
			t.Errorf("solution refs: %v", got)
		}
		n, err := db.FindProjects(w.ctx, coop.ProjectFilter{})
		if err != nil || n.Total != 0 {
			t.Errorf("a refused create left %d projects (%v)", n.Total, err)
		}
	})
}

func TestSlugConflict(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		w.mustProject(t, "same", nil)
		_, err := db.CreateProject(w.ctx, draft("same"))
		mustCode(t, err, coop.EConflict)
		other := w.mustProject(t, "other", nil)
		d := draft("same")
		_, err = db.UpdateProject(w.ctx, other.ID, d, 0)
		mustCode(t, err, coop.EConflict)
		if got, _ := db.FindProject(w.ctx, other.ID); got.Version != 1 || got.Slug != "other" {
			t.Errorf("refused update changed %+v", got.Meta)
		}
	})
}
