package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// bulkFixture is a small directory as drafts: partners (one with a parent), a
// cooperation that became active, and projects with histories.
func bulkFixture(sol string) ([]coop.PartnerDraft, coop.CooperationDraft, []coop.ProjectDraft, [][]coop.Transition) {
	budget, cost := "125000.50", "98000"
	partners := []coop.PartnerDraft{
		{Slug: "stadt-a", Name: "Stadt Ahlenhausen", Type: "municipality", State: "DE-NW", AGS: "05515000",
			ARS: "055150000000", Description: "Eine Stadt.", Address: coop.Address{City: "Ahlenhausen"}},
		{Slug: "kdn-a", Name: "IT-Dienstleister Ahlenhausen", Type: "municipal_it_provider", Parent: "stadt-a",
			Employees: &coop.EmployeesDraft{Count: 150, AsOf: "2018-02"}},
		{Slug: "kreis-b", Name: "Kreis Birkenfeld", Type: "district", State: "DE-RP"},
	}
	c := coop.CooperationDraft{Slug: "ikz-a-b", Title: "IKZ Archiv", LegalForm: "public_law_agreement",
		StartedOn: "2016-11", LegalBasis: []string{"GkG NRW"}, Status: "planned", StatusEffectiveOn: "2016-11",
		Members: []coop.MemberDraft{{Partner: "stadt-a", Role: "party"}, {Partner: "kreis-b", Role: "party"},
			{Partner: "kdn-a", Role: "implementer"}}}
	projects := []coop.ProjectDraft{
		{Slug: "archiv", Title: "Langzeitarchivierung für Ahlenhausen", Description: "Das Rechenzentrum betreibt die Archivierung.",
			Cooperation: "ikz-a-b", Solution: sol, Category: "archiving", StartedOn: "2017-03", Status: "planned",
			StatusEffectiveOn: "2016-12", Tags: []string{"archiv", "e-akte"},
			Participants: []coop.ParticipantDraft{{Partner: "kdn-a", Role: "lead"}, {Partner: "stadt-a", Role: "consumer", Since: "2017-03"},
				{Partner: "kreis-b", Role: "consumer"}},
			Finance: &coop.FinanceDraft{BudgetPlanned: &budget, CostActual: &cost},
			Sources: []coop.SourceDraft{{Title: "Pressemitteilung", URL: "https://example.org/p", PublishedOn: "2018-02-07"}}},
		{Slug: "hotline", Title: "IT-Hotline", Cooperation: "ikz-a-b", Category: "service_desk",
			Participants: []coop.ParticipantDraft{{Partner: "stadt-a", Role: "lead"}, {Partner: "kdn-a", Role: "provider"}}},
	}
	history := [][]coop.Transition{
		{{To: "in_progress", EffectiveOn: "2017-03"}, {To: "operational", EffectiveOn: "2018-02"},
			{To: "suspended", EffectiveOn: "2020-01", Reason: "Haushaltssperre"}},
		nil,
	}
	return partners, c, projects, history
}

// TestBulkLoaderWritesWhatCreateWrites loads the same drafts once through the
// create and transition paths and once through the BulkLoader, and compares
// everything a client can see: the projects and cooperations, the change feed, the
// histories and search.
func TestBulkLoaderWritesWhatCreateWrites(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			ctx := coop.WithActor(context.Background(), coop.System)
			load := func(bulk bool) *store.DB {
				db := storetest.MustOpen(t, dialect)
				partners, c, projects, history := bulkFixture("")
				sol, err := db.CreateSolution(ctx, coop.SolutionDraft{Slug: "archiv-kommunal", Name: "Archiv.kommunal"})
				if err != nil {
					t.Fatal(err)
				}
				_, _, projects, _ = bulkFixture(sol.Slug)
				now := time.Now().UTC()
				coopT := coop.Transition{To: "active", EffectiveOn: "2017-01"}
				if !bulk {
					for _, d := range partners {
						if _, err := db.CreatePartner(ctx, d); err != nil {
							t.Fatal(err)
						}
					}
					if _, err := db.CreateCooperation(ctx, c); err != nil {
						t.Fatal(err)
					}
					if _, err := db.TransitionCooperation(ctx, c.Slug, coopT, 0); err != nil {
						t.Fatal(err)
					}
					for i, d := range projects {
						if _, err := db.CreateProject(ctx, d); err != nil {
							t.Fatal(err)
						}
						for _, tr := range history[i] {
							if _, err := db.TransitionProject(ctx, d.Slug, tr, 0); err != nil {
								t.Fatal(err)
							}
						}
					}
					return db
				}
				l := db.NewBulkLoader()
				var bp []store.BulkPartner
				for _, d := range partners {
					bp = append(bp, store.BulkPartner{Draft: d, At: now})
				}
				if _, err := l.Partners(ctx, bp); err != nil {
					t.Fatal(err)
				}
				bc := store.BulkCooperation{Draft: c, At: now, Transitions: []store.BulkTransition{{Transition: coopT, At: now}}}
				if _, err := l.Cooperations(ctx, []store.BulkCooperation{bc}); err != nil {
					t.Fatal(err)
				}
				var recs []store.BulkProject
				for i, d := range projects {
					r := store.BulkProject{Draft: d, At: now}
					for _, tr := range history[i] {
						r.Transitions = append(r.Transitions, store.BulkTransition{Transition: tr, At: now})
					}
					recs = append(recs, r)
				}
				if _, err := l.Projects(ctx, recs); err != nil {
					t.Fatal(err)
				}
				return db
			}
			viaCreate, viaBulk := load(false), load(true)
			if a, b := visible(t, ctx, viaCreate), visible(t, ctx, viaBulk); a != b {
				t.Errorf("create path and bulk loader differ:\ncreate: %s\nbulk:   %s", a, b)
			}
		})
	}
}

var (
	uuidRe = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	timeRe = regexp.MustCompile(`"\d{4}-\d{2}-\d{2}T[0-9:.]+Z"`)
)

// visible renders what clients see of a directory, with ids replaced by slugs and
// timestamps blanked.
func visible(t *testing.T, ctx context.Context, db *store.DB) string {
	t.Helper()
	var parts []any
	slugs := map[string]string{}
	ps, err := db.FindPartners(ctx, coop.PartnerFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps.Items {
		slugs[p.ID] = p.Slug
	}
	cs, err := db.FindCooperations(ctx, coop.CooperationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	prs, err := db.FindProjects(ctx, coop.ProjectFilter{})
	if err != nil {
		t.Fatal(err)
	}
	parts = append(parts, ps, cs, prs)
	for _, p := range prs.Items {
		slugs[p.ID] = p.Slug
		h, err := db.ProjectHistory(ctx, p.Slug)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, h)
	}
	for _, c := range cs.Items {
		slugs[c.ID] = c.Slug
		h, err := db.CooperationHistory(ctx, c.Slug)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, h)
	}
	changes, err := db.FindChanges(ctx, coop.ChangeFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for i := range changes {
		changes[i].ID = 0
	}
	parts = append(parts, changes)
	for _, q := range []string{"Archivierung", "Ahlenhausen", "hotline", "Birkenfeld", "archiv-kommunal"} {
		res, err := db.Search(ctx, coop.SearchQuery{Q: q})
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, q, res)
	}
	b, err := json.Marshal(parts)
	if err != nil {
		t.Fatal(err)
	}
	s := uuidRe.ReplaceAllStringFunc(string(b), func(id string) string {
		if slug, ok := slugs[id]; ok {
			return slug
		}
		return "<id>"
	})
	s = timeRe.ReplaceAllString(s, `"<time>"`)
	return strings.ReplaceAll(s, `"DeletedAt":null`, "")
}

// TestBulkLoaderRefuses checks that the loader refuses what the create and transition
// paths refuse, naming the record, and writes nothing of a refused batch.
func TestBulkLoaderRefuses(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := coop.WithActor(context.Background(), coop.System)
		partners, c, projects, _ := bulkFixture("")
		l := db.NewBulkLoader()
		now := time.Now()
		var bp []store.BulkPartner
		for _, d := range partners {
			bp = append(bp, store.BulkPartner{Draft: d, At: now})
		}
		if _, err := l.Partners(ctx, bp); err != nil {
			t.Fatal(err)
		}
		if _, err := l.Cooperations(ctx, []store.BulkCooperation{{Draft: c, At: now}}); err != nil {
			t.Fatal(err)
		}
		bad := projects[1]
		bad.Participants = append(bad.Participants, coop.ParticipantDraft{Partner: "nobody", Role: "partner"})
		_, err := l.Projects(ctx, []store.BulkProject{{Draft: projects[0], At: now}, {Draft: bad, At: now}})
		var ce *coop.Error
		if !errors.As(err, &ce) || ce.Code != coop.EValidation || !strings.Contains(ce.Message, "record 1 (hotline)") ||
			len(ce.Fields) != 1 || ce.Fields[0].Field != "participants[2].partner" {
			t.Errorf("unknown participant: %v", err)
		}
		_, err = l.Projects(ctx, []store.BulkProject{{Draft: projects[1], At: now,
			Transitions: []store.BulkTransition{{Transition: coop.Transition{To: "operational"}, At: now}}}})
		if coop.ErrorCode(err) != coop.EConflict {
			t.Errorf("planned → operational: %v", err)
		}
		res, err := db.FindProjects(ctx, coop.ProjectFilter{})
		if err != nil || res.Total != 0 {
			t.Errorf("refused batches left %d projects (%v)", res.Total, err)
		}
	})
}
