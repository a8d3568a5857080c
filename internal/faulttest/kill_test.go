package faulttest_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx" for the orphan checks

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// TestKillDuringWrites kills the service with SIGKILL in the middle of a stream of
// project creations and restarts it on the same database: every creation answered
// 201 is there with its two participants, its status history and its change-log
// entry, and no project in the database lacks any of them.
func TestKillDuringWrites(t *testing.T) {
	dbURL := storetest.MustCreatePostgresURL(t)
	env := map[string]string{"IKZ_DATABASE_URL": dbURL}
	svc := startService(t, env)
	token := mustToken(t, dbURL, "editor")

	type ack struct{ id, slug string }
	var (
		mu    sync.Mutex
		acked []ack
		wg    sync.WaitGroup
	)
	client := &http.Client{Timeout: 10 * time.Second}
	for w := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				slug := fmt.Sprintf("kill-%d-%d", w, i)
				o := call(client, "POST", svc.base+"/api/v1/projects", token, projectBody(slug))
				if o.err != nil {
					return // the service is gone
				}
				if o.status != http.StatusCreated {
					t.Errorf("create %s: %s", slug, o)
					return
				}
				var p struct{ ID string }
				mustJSONNoFatal(t, o, &p)
				mu.Lock()
				acked = append(acked, ack{p.ID, slug})
				mu.Unlock()
			}
		}()
	}
	// Kill once a fair number of writes went through, while they keep coming.
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 60 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := syscall.Kill(svc.cmd.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if code, ok := svc.wait(5 * time.Second); !ok {
		t.Fatal("the killed service did not end")
	} else {
		t.Logf("killed with SIGKILL (exit %d)", code)
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if len(acked) == 0 {
		t.Fatal("no write was acknowledged before the kill")
	}

	svc = startService(t, env)
	changes := createChanges(t, svc.base, token)
	for _, a := range acked {
		var p struct {
			Slug         string
			Participants []struct {
				Partner struct{ Slug string }
				Role    string
			}
		}
		mustJSON(t, call(client, "GET", svc.base+"/api/v1/projects/"+a.id, "", nil), &p)
		var got []string
		for _, x := range p.Participants {
			got = append(got, x.Partner.Slug+" "+x.Role)
		}
		slices.Sort(got)
		if p.Slug != a.slug || !slices.Equal(got, []string{"citeq provider", "lwl consumer"}) {
			t.Errorf("acknowledged project %s: slug %q, participants %v", a.slug, p.Slug, got)
		}
		var h struct {
			Items []struct {
				ToStatus string `json:"to_status"`
			}
		}
		mustJSON(t, call(client, "GET", svc.base+"/api/v1/projects/"+a.id+"/history", "", nil), &h)
		if len(h.Items) == 0 {
			t.Errorf("acknowledged project %s has no status history", a.slug)
		}
		if !changes[a.id] {
			t.Errorf("acknowledged project %s has no create entry in /changes", a.slug)
		}
	}
	orphans := findOrphans(t, dbURL)
	for _, o := range orphans {
		t.Errorf("half-written: %s", o)
	}
	t.Logf("%d writes acknowledged before the kill, all present after the restart; no half-written project", len(acked))
}

// mustJSONNoFatal decodes like mustJSON, but may run in a goroutine other than the
// test's (t.Errorf, not t.Fatalf).
func mustJSONNoFatal(t *testing.T, o outcome, v any) {
	if err := json.Unmarshal(o.body, v); err != nil {
		t.Errorf("%s: %v", o, err)
	}
}

// createChanges reads the whole change feed and returns the ids of the projects it
// has a create entry for.
func createChanges(t *testing.T, base, token string) map[string]bool {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	out := map[string]bool{}
	after := "0"
	for range 1000 {
		var page struct {
			Items []struct {
				Action       string
				ResourceType string `json:"resource_type"`
				ResourceID   string `json:"resource_id"`
			}
			NextCursor *string `json:"next_cursor"`
		}
		mustJSON(t, call(client, "GET", base+"/api/v1/changes?limit=1000&after="+after, token, nil), &page)
		for _, c := range page.Items {
			if c.Action == "create" && c.ResourceType == "project" {
				out[c.ResourceID] = true
			}
		}
		if page.NextCursor == nil || len(page.Items) == 0 {
			return out
		}
		after = *page.NextCursor
	}
	t.Fatal("change feed does not end")
	return nil
}

// findOrphans lists, straight from the database, projects without participants,
// without a status entry or without a create entry in the change log, and change-log
// or status entries of projects that do not exist.
func findOrphans(t *testing.T, dbURL string) []string {
	t.Helper()
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	checks := map[string]string{
		"project without participants": `SELECT p.slug FROM projects p WHERE NOT EXISTS
			(SELECT 1 FROM project_participants x WHERE x.project_id = p.id)`,
		"project without status history": `SELECT p.slug FROM projects p WHERE NOT EXISTS
			(SELECT 1 FROM status_changes s WHERE s.resource_type = 'project' AND s.resource_id = p.id)`,
		"project without create change": `SELECT p.slug FROM projects p WHERE NOT EXISTS
			(SELECT 1 FROM changes c WHERE c.resource_type = 'project' AND c.resource_id = p.id AND c.action = 'create')`,
		"change of a missing project": `SELECT c.resource_id::text FROM changes c WHERE c.resource_type = 'project'
			AND NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = c.resource_id)`,
		"status entry of a missing project": `SELECT s.resource_id::text FROM status_changes s WHERE s.resource_type = 'project'
			AND NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = s.resource_id)`,
	}
	var out []string
	for what, q := range checks {
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, what+": "+s)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM projects WHERE slug LIKE 'kill-%'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d kill-* projects in the database (acknowledged ones and any committed as the process died)", n)
	slices.Sort(out)
	return slices.Compact(out)
}
