package faulttest_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
)

// TestReadReplica runs the router on a real primary with a real streaming standby
// (IKZ_DATABASE_REPLICA_URLS). With the standby's replay paused it shows an older
// state than the primary, which tells where each read went: plain reads come from
// the replica (a new project is not there yet), while writes, the change feed, the
// reads of a writing request (PATCH reads the current version) and API tokens are the
// primary's. After the replay resumes, the replica serves the new state.
func TestReadReplica(t *testing.T) {
	pg := startReplicated(t)
	db, err := store.Open(pg.primaryURL, store.Options{MaxOpenConns: 4, ReplicaURLs: []string{pg.replicaURL}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	ctx, cancel := context.WithTimeout(coop.WithActor(context.Background(), coop.System), 30*time.Second)
	defer cancel()
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if _, err := db.Seed(ctx); err != nil {
		t.Fatalf("seed: %v", err)
	}
	_, admin, err := db.CreateToken(ctx, coop.TokenDraft{Name: "replica-admin", Roles: []string{"admin"}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(httpapi.New(db, httpapi.Options{PublicRead: true,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}).Handler())
	t.Cleanup(srv.Close)
	client := &http.Client{Timeout: 10 * time.Second}
	do := func(method, path, token string, body any) outcome {
		return call(client, method, srv.URL+path, token, body)
	}
	pg.waitCaughtUp()
	if o := do("GET", "/readyz", "", nil); !o.ok() {
		t.Fatalf("/readyz: %s", o)
	}
	if o := do("GET", "/api/v1/projects/dips-kommunal", "", nil); !o.ok() {
		t.Fatalf("a seeded project from the replica: %s", o)
	}
	replicaBefore := db.Pools()[1].Stats()

	pg.pauseReplay()
	var p struct {
		ID      string
		Version int
	}
	// The standby is read-only: the write succeeds only on the primary.
	mustJSON(t, do("POST", "/api/v1/projects", admin, projectBody("replica-neu")), &p)
	if o := do("GET", "/api/v1/projects/"+p.ID, "", nil); o.status != http.StatusNotFound {
		t.Errorf("GET of the new project while the replica lags: want 404 (read on the replica), got %s", o)
	}
	var feed struct{ Items []struct{ Action string } }
	mustJSON(t, do("GET", "/api/v1/changes?resource_type=project&resource_id="+p.ID, admin, nil), &feed)
	if len(feed.Items) != 1 || feed.Items[0].Action != "create" {
		t.Errorf("change feed (on the primary) for the new project: %+v", feed.Items)
	}
	var patched struct{ Title string }
	mustJSON(t, do("PATCH", "/api/v1/projects/"+p.ID, admin, map[string]any{"title": "Vom Primärserver gelesen"}), &patched)
	if patched.Title != "Vom Primärserver gelesen" {
		t.Errorf("PATCH answered title %q", patched.Title)
	}
	var tok struct{ Token string }
	mustJSON(t, do("POST", "/api/v1/tokens", admin, map[string]any{"name": "frisch", "roles": []string{"reader"}}), &tok)
	if o := do("GET", "/api/v1/changes?limit=1", tok.Token, nil); !o.ok() {
		t.Errorf("a token created while the replica lags is refused (tokens must be read on the primary): %s", o)
	}
	var list struct{ Items []struct{ Slug string } }
	mustJSON(t, do("GET", "/api/v1/projects?limit=100", "", nil), &list)
	for _, it := range list.Items {
		if it.Slug == "replica-neu" {
			t.Errorf("the list shows the new project while the replica lags: not read on the replica")
		}
	}

	pg.resumeReplay()
	pg.waitCaughtUp()
	var got struct{ Title string }
	mustJSON(t, do("GET", "/api/v1/projects/"+p.ID, "", nil), &got)
	if got.Title != "Vom Primärserver gelesen" {
		t.Errorf("after catching up the replica shows title %q", got.Title)
	}
	for _, path := range []string{"/api/v1/projects?limit=5&status=operational", "/api/v1/search?q=Archivierung", "/api/v1/partners/citeq"} {
		if o := do("GET", path, "", nil); !o.ok() {
			t.Errorf("on the replica: %s", o)
		}
	}
	replicaAfter := db.Pools()[1].Stats()
	if replicaAfter.OpenConnections == 0 {
		t.Errorf("the replica's pool holds no connection: %+v", replicaAfter)
	}
	var inRecovery bool
	if err := db.Pools()[1].QueryRow("SELECT pg_is_in_recovery()").Scan(&inRecovery); err != nil || !inRecovery {
		t.Errorf("the replica pool does not lead to the standby (in recovery %v, %v)", inRecovery, err)
	}
	t.Logf("replica pool: %d open, %d waits before; %d open after", replicaBefore.OpenConnections, replicaBefore.WaitCount, replicaAfter.OpenConnections)

	// The binary wires IKZ_DATABASE_REPLICA_URLS the same way and shows both pools
	// on /metrics.
	metrics := freeAddr(t)
	svc := startService(t, map[string]string{"IKZ_DATABASE_URL": pg.primaryURL,
		"IKZ_DATABASE_REPLICA_URLS": pg.replicaURL, "IKZ_METRICS_ADDR": metrics})
	if o := call(client, "GET", svc.base+"/api/v1/projects/"+p.ID, "", nil); !o.ok() {
		t.Errorf("binary with a replica: %s", o)
	}
	scrape := call(client, "GET", "http://"+metrics+"/metrics", "", nil)
	for _, want := range []string{`go_sql_open_connections{db_name="ikz"} `, `go_sql_open_connections{db_name="ikz-replica-1"} `} {
		if !strings.Contains(string(scrape.body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
