package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// TestHotPagePlans checks on one PostgreSQL connection that the hot list pages run
// with their generic plan (no re-planning per page), that other filters keep
// PostgreSQL's own choice, and that the setting does not outlive the page.
func TestHotPagePlans(t *testing.T) {
	db := storetest.MustOpen(t, "postgres")
	storetest.SQL(db).SetMaxOpenConns(1) // every statement below on the same connection
	w := mustWorld(t, db)
	for i := 0; i < 24; i++ {
		w.mustProject(t, fmt.Sprintf("p%02d", i), func(d *coop.ProjectDraft) {
			d.Title = fmt.Sprintf("Vorhaben %c", 'a'+i)
			if i%2 == 1 {
				d.Status, d.StatusEffectiveOn = "operational", "2020"
			}
		})
	}
	walk := func(f coop.ProjectFilter) {
		for pages := 0; ; pages++ {
			page, err := db.FindProjects(w.ctx, f)
			if err != nil || pages > 30 {
				t.Fatalf("%+v: %v", f, err)
			}
			if f.Cursor = page.NextCursor; f.Cursor == "" {
				return
			}
		}
	}
	walk(coop.ProjectFilter{Statuses: []string{"planned"}, Page: coop.Page{Limit: 2}})
	walk(coop.ProjectFilter{Statuses: []string{"planned", "operational"}, Page: coop.Page{Limit: 3}})
	type plans struct {
		Statement                 string
		GenericPlans, CustomPlans int
	}
	var list []plans
	if err := storetest.Gorm(db).Raw(`SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements
 WHERE statement LIKE 'SELECT pr.id%project_counts%title_sort >=%'`).Scan(&list).Error; err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, p := range list {
		switch {
		case strings.Contains(p.Statement, "pr.status IN ($3,$4)"):
			found++
			if p.CustomPlans == 0 {
				t.Errorf("two statuses: the plan is not PostgreSQL's choice (%d custom, %d generic plans)", p.CustomPlans, p.GenericPlans)
			}
		case strings.Contains(p.Statement, "pr.status IN ($2)"):
			found++
			if p.CustomPlans != 0 || p.GenericPlans < 5 {
				t.Errorf("one status: %d custom, %d generic plans; want only generic ones", p.CustomPlans, p.GenericPlans)
			}
		}
	}
	if found != 2 {
		t.Errorf("page statements not found among the prepared ones: %+v", list)
	}
	var settings []string
	if err := storetest.Gorm(db).Raw("SELECT setting FROM pg_settings WHERE name IN ('enable_sort', 'plan_cache_mode') ORDER BY name").
		Scan(&settings).Error; err != nil || !slices.Equal(settings, []string{"on", "auto"}) {
		t.Errorf("enable_sort, plan_cache_mode after the pages: %q %v", settings, err)
	}
}

// TestNativeReadErrors checks that errors of the native reads are translated: a
// cancelled request and a closed store are unavailable (503), and a connection the
// server ended is replaced.
func TestNativeReadErrors(t *testing.T) {
	db := storetest.MustOpen(t, "postgres")
	storetest.SQL(db).SetMaxOpenConns(1)
	w := mustWorld(t, db)
	w.mustProject(t, "a", nil)
	list := func(ctx context.Context) error {
		_, err := db.FindProjects(ctx, coop.ProjectFilter{Statuses: []string{"planned"}})
		return err
	}
	get := func(ctx context.Context) error {
		_, err := db.FindProject(ctx, "a")
		return err
	}
	other := storetest.MustOpen(t, "postgres")
	cancelled, cancel := context.WithCancel(w.ctx)
	cancel()
	for name, read := range map[string]func(context.Context) error{"list": list, "get": get} {
		mustCode(t, read(cancelled), coop.EUnavailable)
		if err := read(w.ctx); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// The server ends the pool's connection: at most this read fails, as
		// unavailable; the next one gets a new connection.
		var pid int
		if err := storetest.Gorm(db).Raw("SELECT pg_backend_pid()").Scan(&pid).Error; err != nil {
			t.Fatal(err)
		}
		if err := storetest.Gorm(other).Exec("SELECT pg_terminate_backend(?)", pid).Error; err != nil {
			t.Fatal(err)
		}
		if err := read(w.ctx); err != nil {
			mustCode(t, err, coop.EUnavailable)
		}
		if err := read(w.ctx); err != nil {
			t.Errorf("%s after the connection ended: %v", name, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	mustCode(t, list(w.ctx), coop.EUnavailable)
	mustCode(t, get(w.ctx), coop.EUnavailable)
}
