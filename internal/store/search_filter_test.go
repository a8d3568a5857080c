package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// q on a collection filters with the search's matching, combined with the other
// filters, the total and the cursor.
func TestSearchListFilter(t *testing.T) {
	forEachSeeded(t, func(t *testing.T, db *store.DB, ctx context.Context) {
		var seen []string
		f := coop.ProjectFilter{Q: "Münster", Statuses: []string{"operational", "planned"}, Page: coop.Page{Limit: 2}}
		for page := 0; page < 5; page++ {
			l, err := db.FindProjects(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if l.Total != 5 {
				t.Errorf("page %d: total %d, want 5", page, l.Total)
			}
			for _, p := range l.Items {
				seen = append(seen, p.Slug)
			}
			if l.NextCursor == "" {
				break
			}
			f.Cursor = l.NextCursor
		}
		want := []string{"dips-kommunal", "it-sicherheit", "rechenzentren", "it-hotline", "behoerdennetz-zugang"}
		if !slices.Equal(seen, want) {
			t.Errorf("pages = %v, want %v (by title)", seen, want)
		}

		for _, tt := range []struct {
			name string
			find func() ([]string, error)
			want []string
		}{
			{"partners citek", func() ([]string, error) {
				l, err := db.FindPartners(ctx, coop.PartnerFilter{Q: "citek"})
				return partnerSlugs(l.Items), err
			}, []string{"citeq"}},
			{"partners Landschaftsverbandes type", func() ([]string, error) {
				l, err := db.FindPartners(ctx, coop.PartnerFilter{Q: "Landschaftsverbandes", Types: []string{"regional_association"}})
				return partnerSlugs(l.Items), err
			}, []string{"lwl"}},
			{"solutions Archivierung", func() ([]string, error) {
				l, err := db.FindSolutions(ctx, coop.SolutionFilter{Q: "Archivierung"})
				var out []string
				for _, s := range l.Items {
					out = append(out, s.Slug)
				}
				return out, err
			}, []string{"dips-kommunal"}},
			{"cooperations Rechenzentrum", func() ([]string, error) {
				l, err := db.FindCooperations(ctx, coop.CooperationFilter{Q: "Rechenzentrum"})
				var out []string
				for _, c := range l.Items {
					out = append(out, c.Slug)
				}
				return out, err
			}, []string{"it-kooperation-muenster-lwl"}},
			{"projects Behoerdennetz", func() ([]string, error) {
				l, err := db.FindProjects(ctx, coop.ProjectFilter{Q: "Behoerdennetz"})
				return projectSlugs(l.Items), err
			}, []string{"behoerdennetz-zugang"}},
			{"projects emoji only", func() ([]string, error) {
				l, err := db.FindProjects(ctx, coop.ProjectFilter{Q: "😀 — !"})
				return projectSlugs(l.Items), err
			}, nil},
		} {
			got, err := tt.find()
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("%s = %v, %v; want %v", tt.name, got, err, tt.want)
			}
		}
	})
}

func partnerSlugs(ps []coop.Partner) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Slug)
	}
	return out
}

func projectSlugs(ps []coop.Project) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Slug)
	}
	return out
}

// Input is text, never SQL or query syntax; bad input is EInvalid.
func TestSearchHostileInput(t *testing.T) {
	forEachSeeded(t, func(t *testing.T, db *store.DB, ctx context.Context) {
		count := func() (n int64) {
			storetest.Gorm(db).Raw("SELECT (SELECT count(*) FROM projects) + (SELECT count(*) FROM partners) + (SELECT count(*) FROM search_documents)").Scan(&n)
			return n
		}
		before := count()
		for _, q := range []string{
			"'; DROP TABLE projects; --", `a & !b | (c:*) <-> "d"`, `" OR 1=1 --`, "NEAR(a b) AND c* OR NOT d",
			"%_\\", "{title_doc}: x", "😀🎉", "Hotline😀", "\x00\xff", "$1 ? @q :q", strings.Repeat("ä", 200),
		} {
			if _, err := db.Search(ctx, coop.SearchQuery{Q: q}); err != nil {
				t.Errorf("Search(%q): %v", q, err)
			}
			if _, err := db.FindProjects(ctx, coop.ProjectFilter{Q: q}); err != nil {
				t.Errorf("FindProjects(%q): %v", q, err)
			}
		}
		if got := count(); got != before {
			t.Errorf("rows %d, want %d", got, before)
		}
		if res := mustSearch(t, db, ctx, coop.SearchQuery{Q: "Hotline😀"}); len(res.Items) == 0 || res.Items[0].Slug != "it-hotline" {
			t.Errorf("Hotline😀 = %v", hitKeys(res.Items))
		}
		for _, bad := range []coop.SearchQuery{{Q: ""}, {Q: "  "}, {Q: strings.Repeat("a", 201)}, {Q: "x", Limit: 101},
			{Q: "x", Limit: -1}, {Q: "x", Types: []string{"planet"}}} {
			if _, err := db.Search(ctx, bad); coop.ErrorCode(err) != coop.EInvalid {
				t.Errorf("Search(%+v) error %v, want invalid", bad, err)
			}
		}
		if _, err := db.FindProjects(ctx, coop.ProjectFilter{Q: strings.Repeat("a", 201)}); coop.ErrorCode(err) != coop.EInvalid {
			t.Errorf("FindProjects with 201 characters: %v", err)
		}
	})
}
