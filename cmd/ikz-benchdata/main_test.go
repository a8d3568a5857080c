package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// TestGenerate loads a small directory on SQLite, checks the counts and that the API
// reads a generated project with its participants, and that the same seed gives the
// same data.
func TestGenerate(t *testing.T) {
	dir := t.TempDir()
	args := func(file string) []string {
		return []string{"-db", "sqlite:" + dir + "/" + file, "-partners", "60", "-cooperations", "40",
			"-projects", "250", "-batch", "100", "-seed", "7", "-q"}
	}
	var out bytes.Buffer
	if err := run(context.Background(), args("a.db"), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "loaded 60 partners, 2 solutions, 40 cooperations, 250 projects") {
		t.Errorf("output: %q", out.String())
	}
	db, err := storetest.Open(t, "sqlite:"+dir+"/a.db", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	g := storetest.Gorm(db)
	for table, want := range map[string]int64{"partners": 60, "solutions": 2, "cooperations": 40, "projects": 250} {
		var n int64
		if err := g.Table(table).Count(&n).Error; err != nil || n != want {
			t.Errorf("%s: %d rows (%v), want %d", table, n, err, want)
		}
	}
	// every project has 2–4 participants, a timeline ending in its status, a create
	// record and one per transition in the change log, and a search document
	var bad int64
	g.Raw(`SELECT count(*) FROM projects p WHERE
 (SELECT count(*) FROM project_participants x WHERE x.project_id = p.id) NOT BETWEEN 2 AND 4
 OR p.status <> (SELECT to_status FROM status_changes s WHERE s.resource_id = p.id ORDER BY s.id DESC LIMIT 1)
 OR p.version <> (SELECT count(*) FROM changes c WHERE c.resource_id = p.id)
 OR p.version <> (SELECT count(*) FROM status_changes s WHERE s.resource_id = p.id)
 OR NOT EXISTS (SELECT 1 FROM search_documents d WHERE d.resource_id = p.id AND d.status = p.status)`).Scan(&bad)
	if bad != 0 {
		t.Errorf("%d projects are inconsistent", bad)
	}
	var statuses int64
	g.Raw("SELECT count(DISTINCT status) FROM projects").Scan(&statuses)
	if statuses < 6 {
		t.Errorf("only %d distinct statuses", statuses)
	}

	srv := httptest.NewServer(httpapi.New(db, httpapi.Options{PublicRead: true,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}).Handler())
	defer srv.Close()
	var p struct {
		Slug         string
		Description  string
		Cooperation  struct{ Slug string }
		Participants []struct {
			Partner struct{ Slug, Name string }
			Role    string
		}
	}
	getJSON(t, srv.URL+"/api/v1/projects/p-1", &p)
	if p.Slug != "p-1" || len(p.Participants) < 2 || p.Participants[0].Role != "lead" ||
		p.Participants[0].Partner.Name == "" || len(p.Description) < 150 || !strings.HasPrefix(p.Cooperation.Slug, "k-") {
		t.Errorf("p-1 = %+v", p)
	}
	var list struct {
		Items []json.RawMessage
		Total int64
	}
	getJSON(t, srv.URL+"/api/v1/projects?status=in_progress&limit=50", &list)
	if list.Total == 0 || len(list.Items) == 0 {
		t.Errorf("no projects in progress: %+v", list)
	}

	// the same seed gives the same rows, ids included
	if err := run(context.Background(), args("b.db"), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	db2, err := storetest.Open(t, "sqlite:"+dir+"/b.db", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	digest := func(db *store.DB) string {
		var s string
		storetest.Gorm(db).Raw(`SELECT group_concat(id || slug || status || description || created_at, '|') FROM
 (SELECT * FROM projects ORDER BY id)`).Scan(&s)
		return s
	}
	if a, b := digest(db), digest(db2); a == "" || a != b {
		t.Error("two runs with the same seed differ")
	}
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, res.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatal(err)
	}
}
