package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// forEachSeeded runs fn on a fresh database of each dialect with the seed loaded.
func forEachSeeded(t *testing.T, fn func(t *testing.T, db *store.DB, ctx context.Context)) {
	t.Helper()
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := coop.WithActor(context.Background(), coop.System)
		if _, err := db.Seed(ctx); err != nil {
			t.Fatalf("seed: %v", err)
		}
		fn(t, db, ctx)
	})
}

// hitKeys renders hits as "type:slug".
func hitKeys(hits []coop.SearchHit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.Type + ":" + h.Slug
	}
	return out
}

func mustSearch(t *testing.T, db *store.DB, ctx context.Context, q coop.SearchQuery) coop.SearchResult {
	t.Helper()
	res, err := db.Search(ctx, q)
	if err != nil {
		t.Fatalf("Search(%q): %v", q.Q, err)
	}
	return res
}

func TestSearchSeed(t *testing.T) {
	tests := []struct {
		q     string
		first string   // the best hit
		want  []string // among the hits
		not   []string // not among the hits
	}{
		{q: "Archivierung", first: "project:dips-kommunal", want: []string{"solution:dips-kommunal", "partner:stadtarchiv-muenster"}},
		{q: "Langzeitarchivierung", first: "project:dips-kommunal", want: []string{"solution:dips-kommunal"}},
		{q: "DiPS.kommunal", first: "solution:dips-kommunal", want: []string{"project:dips-kommunal"}},
		{q: "Rechenzentrum", first: "project:rechenzentren", want: []string{"cooperation:it-kooperation-muenster-lwl"}},
		{q: "Landschaftsverbandes", first: "partner:lwl", want: []string{"partner:lwl-it"}},
		{q: "Behoerdennetz", first: "project:behoerdennetz-zugang", not: []string{"project:it-hotline"}},
		{q: "BEHÖRDENNETZE", first: "project:behoerdennetz-zugang"},
		{q: "citek", first: "partner:citeq", not: []string{"partner:lwl"}},
		{q: "Hotline", first: "project:it-hotline"},
		{q: "hotl", first: "project:it-hotline"},
		{q: "LWL", first: "partner:lwl", want: []string{"partner:lwl-it", "project:it-hotline"}},
		{q: "Muenster Archiv", first: "partner:stadtarchiv-muenster", want: []string{"project:dips-kommunal"}},
		{q: "Koeln", first: "partner:stadt-koeln", want: []string{"project:dips-kommunal"}},
		{q: "Sicherheit", first: "project:it-sicherheit"},
		{q: "Informationssicherheit", first: "project:it-sicherheit"},
		{q: "Kooperation", first: "cooperation:it-kooperation-muenster-lwl"},
		// typos in names, found only because no name matches the words as typed
		{q: "Landschaftsverbnd", first: "partner:lwl"},
		{q: "Hotlien", first: "project:it-hotline"},
		{q: "citeq", first: "partner:citeq", not: []string{"project:organisationsmanagement-software"}},
	}
	forEachSeeded(t, func(t *testing.T, db *store.DB, ctx context.Context) {
		for _, tt := range tests {
			res := mustSearch(t, db, ctx, coop.SearchQuery{Q: tt.q})
			got := hitKeys(res.Items)
			if len(got) == 0 || got[0] != tt.first {
				t.Errorf("%q: hits %v, want %s first", tt.q, got, tt.first)
			}
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("%q: hits %v, want %s among them", tt.q, got, w)
				}
			}
			for _, w := range tt.not {
				if slices.Contains(got, w) {
					t.Errorf("%q: hits %v, want no %s", tt.q, got, w)
				}
			}
			if res.Total != int64(len(res.Items)) {
				t.Errorf("%q: total %d for %d hits", tt.q, res.Total, len(res.Items))
			}
			for i := 1; i < len(res.Items); i++ {
				if res.Items[i].Score > res.Items[i-1].Score {
					t.Errorf("%q: not ranked by score: %v", tt.q, res.Items)
				}
			}
		}
	})
}

func TestSearchHitShape(t *testing.T) {
	forEachSeeded(t, func(t *testing.T, db *store.DB, ctx context.Context) {
		res := mustSearch(t, db, ctx, coop.SearchQuery{Q: "citeq", Limit: 2})
		if len(res.Items) != 2 || res.Total <= 2 {
			t.Fatalf("limit 2: %d items of %d", len(res.Items), res.Total)
		}
		h := res.Items[0]
		if h.Type != "partner" || h.Slug != "citeq" || h.Title != "citeq" || h.Score != 1 || h.ID == "" {
			t.Errorf("exact match = %+v, want partner citeq with score 1", h)
		}
		if !strings.Contains(h.Snippet, "<mark>") && h.Snippet != "<mark>citeq</mark>" {
			t.Errorf("snippet %q has no mark", h.Snippet)
		}
		dips := mustSearch(t, db, ctx, coop.SearchQuery{Q: "Langzeitarchivierung", Types: []string{"solution"}})
		if len(dips.Items) != 1 || dips.Items[0].Snippet != "elektronische <mark>Langzeitarchivierung</mark> für kommunale Archive" {
			t.Errorf("solution snippet = %+v", dips.Items)
		}
		if got := mustSearch(t, db, ctx, coop.SearchQuery{Q: `"Hotline" & <LWL>`}); len(got.Items) == 0 ||
			got.Items[0].Snippet != "IT-<mark>Hotline</mark> (Mitnutzung durch citeq)" &&
				!strings.Contains(got.Items[0].Snippet, "IT-<mark>Hotline</mark> des <mark>LWL</mark>") {
			t.Errorf("hotline snippet = %+v", got.Items)
		}
	})
}

func TestSearchFacets(t *testing.T) {
	forEachSeeded(t, func(t *testing.T, db *store.DB, ctx context.Context) {
		res := mustSearch(t, db, ctx, coop.SearchQuery{Q: "citeq", Limit: 1})
		// citeq: the partner, the cooperation's description, three projects (IT-Hotline,
		// Behördennetz by title, Rechenzentren by description); no solution.
		want := map[string]int64{"partner": 1, "cooperation": 1, "project": 3}
		if fmt.Sprint(res.Facets.Type) != fmt.Sprint(want) || res.Total != 5 {
			t.Errorf("type facets = %v (total %d), want %v", res.Facets.Type, res.Total, want)
		}
		wantStatus := map[string]int64{"operational": 2, "planned": 1}
		if fmt.Sprint(res.Facets.Status) != fmt.Sprint(wantStatus) {
			t.Errorf("status facets = %v, want %v", res.Facets.Status, wantStatus)
		}
		wantCategory := map[string]int64{"data_center": 1, "network": 1, "service_desk": 1}
		if fmt.Sprint(res.Facets.Category) != fmt.Sprint(wantCategory) {
			t.Errorf("category facets = %v", res.Facets.Category)
		}
		only := mustSearch(t, db, ctx, coop.SearchQuery{Q: "citeq", Types: []string{"project", "solution"}})
		if only.Total != 3 || len(only.Facets.Type) != 1 {
			t.Errorf("types=project,solution: total %d, facets %v", only.Total, only.Facets.Type)
		}
	})
}

// A page of k hits is the first k of the full ranking, whichever bands it is read from.
func TestSearchPagesArePrefixes(t *testing.T) {
	forEachSeeded(t, func(t *testing.T, db *store.DB, ctx context.Context) {
		for _, q := range []string{"citeq", "LWL", "Münster", "Stadt", "IT", "citek", "Archivierung"} {
			full := hitKeys(mustSearch(t, db, ctx, coop.SearchQuery{Q: q, Limit: 100}).Items)
			for k := 1; k <= len(full); k++ {
				got := hitKeys(mustSearch(t, db, ctx, coop.SearchQuery{Q: q, Limit: k}).Items)
				if !slices.Equal(got, full[:k]) {
					t.Errorf("%q limit %d = %v, want %v", q, k, got, full[:k])
				}
			}
		}
	})
}
