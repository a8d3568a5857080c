package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/benchdata"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
)

// syncBuffer is a bytes.Buffer that the server's goroutines may log into.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func envOf(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// runCmd runs one sub-command to its end and returns its standard output.
func runCmd(t *testing.T, env map[string]string, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), args, envOf(env), &stdout, &stderr); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, stderr.String())
	}
	return stdout.String()
}

// startServe runs serve until the test ends and waits until /readyz answers 200.
// cancel stops it; done receives run's result.
func startServe(t *testing.T, env map[string]string) (base string, cancel func(), done <-chan error, logs *syncBuffer) {
	t.Helper()
	ctx, cancelCtx := context.WithCancel(context.Background())
	logs = &syncBuffer{}
	ch := make(chan error, 1)
	finished := make(chan struct{})
	go func() {
		ch <- run(ctx, []string{"serve"}, envOf(env), io.Discard, logs)
		close(finished)
	}()
	t.Cleanup(func() {
		cancelCtx()
		select {
		case <-finished:
		case <-time.After(15 * time.Second):
		}
	})
	base = "http://" + env["IKZ_LISTEN_ADDR"]
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case err := <-ch:
			t.Fatalf("serve ended before it was ready: %v\n%s", err, logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz not 200 within 20 s\n%s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return base, cancelCtx, ch, logs
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %s %s", url, resp.Status, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

func TestServeSmoke(t *testing.T) {
	env := map[string]string{"IKZ_DATABASE_URL": "sqlite::memory:", "IKZ_LISTEN_ADDR": freeAddr(t)}
	base, cancel, done, logs := startServe(t, env)

	var citeq struct {
		Slug   string `json:"slug"`
		Parent struct {
			Slug string `json:"slug"`
			Name string `json:"name"`
		} `json:"parent"`
	}
	getJSON(t, base+"/api/v1/partners/citeq", &citeq)
	if citeq.Slug != "citeq" || citeq.Parent.Slug != "stadt-muenster" || citeq.Parent.Name != "Stadt Münster" {
		t.Errorf("citeq: %+v", citeq)
	}
	if err := run(context.Background(), []string{"healthcheck"}, envOf(env), io.Discard, io.Discard); err != nil {
		t.Errorf("healthcheck against the running server: %v", err)
	}
	if !strings.Contains(logs.String(), `"msg":"listening"`) {
		t.Errorf("no JSON 'listening' log line:\n%s", logs.String())
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return within 10 s of the cancel")
	}
	if err := run(context.Background(), []string{"healthcheck"}, envOf(env), io.Discard, io.Discard); err == nil {
		t.Error("healthcheck succeeded with no server running")
	}
}

// An in-flight request finishes after the shutdown began.
func TestServeFinishesInFlight(t *testing.T) {
	env := map[string]string{
		"IKZ_DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "ikz.db"),
		"IKZ_LISTEN_ADDR":  freeAddr(t),
	}
	out := runCmd(t, env, "token", "create", "--name", "admin", "--role", "admin")
	secret := lastLine(out)
	base, cancel, done, _ := startServe(t, env)

	body, w := io.Pipe()
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/partners", body)
	req.Header.Set("Authorization", "Bearer "+secret)
	req.Header.Set("Content-Type", "application/json")
	req.ContentLength = -1
	type result struct {
		status int
		err    error
	}
	res := make(chan result, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			res <- result{err: err}
			return
		}
		resp.Body.Close()
		res <- result{status: resp.StatusCode}
	}()
	fmt.Fprint(w, `{"slug": "kreis-warendorf", "name": "Kreis Warendorf", `)
	time.Sleep(200 * time.Millisecond) // the request is now being read
	cancel()
	time.Sleep(200 * time.Millisecond) // the shutdown has begun
	fmt.Fprint(w, `"type": "district"}`)
	w.Close()
	r := <-res
	if r.err != nil || r.status != http.StatusCreated {
		t.Errorf("in-flight request: %d %v, want 201", r.status, r.err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return within 10 s")
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func TestTokenCommands(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "ikz.db")
	env := map[string]string{"IKZ_DATABASE_URL": dsn}
	runCmd(t, env, "seed")

	out := runCmd(t, env, "token", "create", "--name", "Redaktion citeq", "--role", "editor", "--role", "controlling", "--partner", "citeq", "--expires", "90d")
	secret := lastLine(out)
	if out != secret+"\n" || !strings.HasPrefix(secret, "ikz_") || strings.ContainsAny(secret, " \t") {
		t.Fatalf("stdout %q: want the token alone on its last line", out)
	}

	db, err := store.Open(dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	a, err := db.AuthenticateToken(ctx, secret)
	if err != nil {
		t.Fatalf("the printed token does not authenticate: %v", err)
	}
	citeq, err := db.FindPartner(ctx, "citeq")
	if err != nil {
		t.Fatal(err)
	}
	if a.Type != "token" || a.Name != "Redaktion citeq" || !slices.Equal(a.Roles, []string{"controlling", "editor"}) || len(a.Partners) != 1 || a.Partners[0] != citeq.ID {
		t.Errorf("actor %+v", a)
	}

	list := runCmd(t, env, "token", "list")
	if !strings.Contains(list, a.ID) || !strings.Contains(list, "Redaktion citeq") || !strings.Contains(list, "controlling,editor") ||
		strings.Contains(list, secret) || !strings.HasPrefix(list, "ID") {
		t.Errorf("token list:\n%s", list)
	}

	runCmd(t, env, "token", "revoke", a.ID)
	if _, err := db.AuthenticateToken(ctx, secret); err == nil {
		t.Error("a revoked token still authenticates")
	}

	for _, args := range [][]string{
		{"token", "create", "--name", "x", "--role", "boss"},
		{"token", "create", "--name", "x", "--role", "editor", "--role", "boss"},
		{"token", "create", "--name", "x", "--role", "editor", "--role", "admin", "--partner", "citeq"},
		{"token", "create", "--name", "x", "--role", "reader", "--partner", "citeq"},
		{"token", "create", "--name", "x", "--role", "editor", "--partner", "gibt-es-nicht"},
		{"token", "create", "--role", "reader"},
		{"token", "create", "--name", "x", "--role", "reader", "--expires", "bald"},
		{"token", "revoke", "0b7c1a8e-0000-4000-8000-000000000000"},
		{"token", "frobnicate"},
	} {
		var stdout bytes.Buffer
		err := run(ctx, args, envOf(env), &stdout, io.Discard)
		if err == nil || stdout.Len() != 0 {
			t.Errorf("%v: err %v, stdout %q; want an error and no output", args, err, stdout.String())
		}
	}
}

// TestSeedDemo: seed --demo loads invented data into an empty database and marks it;
// it refuses a database that holds data (the seed, or demo data already), and the
// seed is never loaded into a demo directory.
func TestSeedDemo(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "demo.db")
	env := map[string]string{"IKZ_DATABASE_URL": dsn, "IKZ_LOG_LEVEL": "warn"}
	runCmd(t, env, "seed", "--demo")
	for _, args := range [][]string{{"seed", "--demo"}, {"seed", "--demo", "extra"}} {
		if err := run(context.Background(), args, envOf(env), io.Discard, io.Discard); err == nil {
			t.Errorf("%v on a demo directory: no error", args)
		}
	}
	runCmd(t, env, "seed") // a no-op
	db, err := store.Open(dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if demo, err := db.Demo(ctx); !demo || err != nil {
		t.Errorf("not marked as demo data: %v %v", demo, err)
	}
	if _, err := db.FindPartner(ctx, "citeq"); err == nil {
		t.Error("the seed went into the demo directory")
	}
	n := 0
	for f := (coop.ProjectFilter{Page: coop.Page{Limit: 500}}); ; {
		res, err := db.FindProjects(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		n += len(res.Items)
		if f.Cursor = res.NextCursor; f.Cursor == "" {
			break
		}
	}
	if n != benchdata.DemoSize.Projects {
		t.Errorf("%d demo projects, want %d", n, benchdata.DemoSize.Projects)
	}

	seeded := map[string]string{"IKZ_DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "seed.db"), "IKZ_LOG_LEVEL": "warn"}
	runCmd(t, seeded, "seed")
	err = run(ctx, []string{"seed", "--demo"}, envOf(seeded), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "empty database only") {
		t.Errorf("seed --demo on the seed: %v", err)
	}
}

func TestBadEnvironment(t *testing.T) {
	for _, cmd := range []string{"serve", "migrate", "seed"} {
		err := run(context.Background(), []string{cmd}, envOf(map[string]string{"IKZ_PUBLIC_READ": "yes please"}), io.Discard, io.Discard)
		want := `IKZ_PUBLIC_READ: want true or false, got "yes please"`
		if err == nil || err.Error() != want {
			t.Errorf("%s: error %v, want %s", cmd, err, want)
		}
	}
	err := run(context.Background(), nil, envOf(map[string]string{
		"IKZ_DATABASE_URL": "postgres://nobody@127.0.0.1:1/none?connect_timeout=2", "IKZ_LISTEN_ADDR": freeAddr(t),
	}), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "unreachable") || strings.Contains(oneLine(err.Error()), "\n") {
		t.Errorf("database down: %v", err)
	}
}

func TestCommandLine(t *testing.T) {
	if out := runCmd(t, nil, "--help"); !strings.Contains(out, "token create") {
		t.Errorf("usage: %q", out)
	}
	if out := runCmd(t, nil, "version"); !strings.HasPrefix(out, "ikz-verzeichnis ") {
		t.Errorf("version: %q", out)
	}
	if err := run(context.Background(), []string{"frobnicate"}, envOf(nil), io.Discard, io.Discard); err == nil ||
		!strings.Contains(err.Error(), "frobnicate") {
		t.Errorf("unknown command: %v", err)
	}
}

// A server that does not migrate itself answers 503 until someone else migrates, then
// seeds and reports ready.
func TestServeWaitsForMigrations(t *testing.T) {
	env := map[string]string{
		"IKZ_DATABASE_URL":     "sqlite:" + filepath.Join(t.TempDir(), "ikz.db"),
		"IKZ_LISTEN_ADDR":      freeAddr(t),
		"IKZ_MIGRATE_ON_START": "false",
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, envOf(env), io.Discard, io.Discard) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	}()
	base := "http://" + env["IKZ_LISTEN_ADDR"]
	status := func() int {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	deadline := time.Now().Add(10 * time.Second)
	for status() != http.StatusServiceUnavailable {
		if time.Now().After(deadline) {
			t.Fatal("/readyz never answered 503 before the migration")
		}
		time.Sleep(50 * time.Millisecond)
	}
	runCmd(t, env, "migrate")
	// Seeding after the migration may take a while on a loaded machine under -race.
	deadline = time.Now().Add(60 * time.Second)
	for status() != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("/readyz not 200 after the migration")
		}
		time.Sleep(100 * time.Millisecond)
	}
	var citeq struct {
		Slug string `json:"slug"`
	}
	getJSON(t, base+"/api/v1/partners/citeq", &citeq)
	if citeq.Slug != "citeq" {
		t.Errorf("not seeded after the migration: %+v", citeq)
	}
}
