package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// listSlugs walks FindProjects page by page.
func listSlugs(t *testing.T, db *store.DB, ctx context.Context, f coop.ProjectFilter) []string {
	t.Helper()
	f.Limit = 500
	var out []string
	for {
		res, err := db.FindProjects(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, slugsOf(res.Items)...)
		if res.NextCursor == "" {
			return out
		}
		f.Cursor = res.NextCursor
	}
}

// EachProject crosses several batches in every sort order, with ties (equal status,
// started_on and updated_at) at the batch boundaries, and yields exactly what the list
// does, in its order.
func TestEachProjectBatches(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := coop.WithActor(context.Background(), coop.System)
		if _, err := db.Seed(ctx); err != nil {
			t.Fatal(err)
		}
		mustBulkProjects(t, db, 1234)
		for _, f := range []coop.ProjectFilter{
			{},
			{Page: coop.Page{Sort: []coop.SortKey{{Field: "started_on", Desc: true}}}},
			{Page: coop.Page{Sort: []coop.SortKey{{Field: "updated_at"}}}},
			{Page: coop.Page{Sort: []coop.SortKey{{Field: "status"}, {Field: "title", Desc: true}}}},
			{Statuses: []string{"in_progress"}, AsOf: coop.MustPartialDate("2020")},
		} {
			want := listSlugs(t, db, ctx, f)
			var got []string
			err := db.EachProject(ctx, f, func(p coop.Project) error {
				if len(p.Participants) == 0 || p.Cooperation.Slug == "" {
					return fmt.Errorf("%s without participants or cooperation", p.Slug)
				}
				got = append(got, p.Slug)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(want) < 2*500 && f.Statuses == nil {
				t.Fatalf("only %d projects: no batch boundary crossed", len(want))
			}
			if !slices.Equal(got, want) {
				t.Errorf("sort %v: %d projects, list has %d (first difference at %d)", f.Sort, len(got), len(want), firstDiff(got, want))
			}
		}
		stop := errors.New("stop")
		n := 0
		err := db.EachProject(ctx, coop.ProjectFilter{}, func(coop.Project) error {
			if n++; n == 700 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || n != 700 {
			t.Errorf("fn's error: %v after %d projects", err, n)
		}
	})
}

func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
