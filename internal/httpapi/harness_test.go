package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/webhook"
)

// apiEnv is the real router over HTTP on a fresh, seeded database, with a token of
// every kind of caller.
type apiEnv struct {
	t      *testing.T
	url    string
	db     *store.DB
	tokens map[string]string // admin, editor, reader, controlling, editor-citeq, editor-lwl, editor-controlling-citeq
	client *http.Client
}

// forEachAPI runs fn on SQLite and on PostgreSQL, each with its own seeded database.
func forEachAPI(t *testing.T, fn func(t *testing.T, e *apiEnv)) {
	forEachAPIWith(t, httpapi.Options{PublicRead: true}, fn)
}

func forEachAPIWith(t *testing.T, opt httpapi.Options, fn func(t *testing.T, e *apiEnv)) {
	t.Helper()
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		fn(t, mustAPI(t, db, opt))
	})
}

func mustAPI(t *testing.T, db *store.DB, opt httpapi.Options) *apiEnv {
	t.Helper()
	ctx := coop.WithActor(context.Background(), coop.System)
	if _, err := db.Seed(ctx); err != nil {
		t.Fatalf("seed: %v", err)
	}
	if opt.Logger == nil {
		// errors (a 500's cause) go to the test's log, so that a failure shows why
		opt.Logger = slog.New(slog.NewTextHandler(newTestLogWriter(t), &slog.HandlerOptions{Level: slog.LevelError}))
	}
	if opt.Webhooks == nil {
		// pings and redeliveries; the ordered delivery runs only where a test starts it
		opt.Webhooks = webhook.New(db, webhook.Options{Safety: opt.WebhookSafety, View: httpapi.ChangeView, Logger: opt.Logger})
	}
	srv := httptest.NewServer(httpapi.New(db, opt).Handler())
	t.Cleanup(srv.Close)
	e := &apiEnv{t: t, url: srv.URL, db: db, tokens: map[string]string{}, client: srv.Client()}
	for name, spec := range map[string]coop.TokenDraft{
		"admin":        {Name: "test-admin", Roles: []string{"admin"}},
		"editor":       {Name: "test-editor", Roles: []string{"editor"}},
		"reader":       {Name: "test-reader", Roles: []string{"reader"}},
		"controlling":  {Name: "test-controlling", Roles: []string{"controlling"}},
		"editor-citeq": {Name: "test-editor-citeq", Roles: []string{"editor"}, Partners: []string{"citeq"}},
		"editor-lwl":   {Name: "test-editor-lwl", Roles: []string{"editor"}, Partners: []string{"lwl"}},
		"editor-controlling-citeq": {Name: "test-editor-controlling-citeq", Roles: []string{"editor", "controlling"},
			Partners: []string{"citeq"}},
	} {
		_, secret, err := db.CreateToken(ctx, spec)
		if err != nil {
			t.Fatalf("token %s: %v", name, err)
		}
		e.tokens[name] = secret
	}
	return e
}

// resp is an answer as a test sees it.
type resp struct {
	Status int
	Header http.Header
	Body   []byte
}

// Obj decodes the body as a JSON object.
func (r resp) Obj(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("body is not a JSON object (%d): %v: %s", r.Status, err, r.Body)
	}
	return m
}

// req describes one request: who sends it, headers, body.
type req struct {
	as      string // token name; "" = anonymous
	headers map[string]string
	body    any // marshalled as JSON unless []byte or string
	ctype   string
	// invalid: the request breaks the contract on purpose (a malformed, oversized or
	// refused body, an unknown parameter or value, a wrong media type …), so only the
	// answer is checked against api/openapi.json, not the request.
	invalid bool
}

// do sends a request and returns the answer; bodies are read completely. Every
// request and answer is checked against the contract api/openapi.json.
func (e *apiEnv) do(method, path string, r req) resp {
	e.t.Helper()
	var body io.Reader
	var sent []byte
	switch b := r.body.(type) {
	case nil:
	case []byte:
		sent = b
	case string:
		sent = []byte(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		sent = raw
	}
	if r.body != nil {
		body = bytes.NewReader(sent)
	}
	hr, err := http.NewRequest(method, e.url+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		ct := r.ctype
		if ct == "" {
			ct = "application/json"
		}
		hr.Header.Set("Content-Type", ct)
	}
	if r.as != "" {
		tok, ok := e.tokens[r.as]
		if !ok {
			tok = r.as // a literal token
		}
		hr.Header.Set("Authorization", "Bearer "+tok)
	}
	for k, v := range r.headers {
		hr.Header.Set(k, v)
	}
	if h := r.headers["Host"]; h != "" {
		hr.Host = h // net/http sends Request.Host, not a Host header field
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := e.client.Do(hr.WithContext(ctx))
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	out := resp{Status: res.StatusCode, Header: res.Header, Body: raw}
	e.checkContract(hr, sent, out, r.invalid)
	if res.StatusCode >= 400 && res.Header.Get("Content-Type") != "application/problem+json" {
		e.t.Errorf("%s %s: %d without application/problem+json (got %q): %s", method, path, res.StatusCode, res.Header.Get("Content-Type"), raw)
	}
	return out
}

func (e *apiEnv) get(path string, as string) resp {
	e.t.Helper()
	return e.do(http.MethodGet, path, req{as: as})
}

// getInvalid is get for a query that breaks the contract on purpose (a 400 test).
func (e *apiEnv) getInvalid(path string, as string) resp {
	e.t.Helper()
	return e.do(http.MethodGet, path, req{as: as, invalid: true})
}

// mustStatus fails unless the answer has the wanted status.
func mustStatus(t *testing.T, r resp, want int) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("status %d, want %d: %s", r.Status, want, r.Body)
	}
}

// fieldErrors returns the problem's errors as "field:code" strings.
func fieldErrors(t *testing.T, r resp) []string {
	t.Helper()
	var p struct {
		Errors []struct{ Field, Code string } `json:"errors"`
	}
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Fatalf("problem body: %v: %s", err, r.Body)
	}
	out := make([]string, len(p.Errors))
	for i, e := range p.Errors {
		out[i] = e.Field + ":" + e.Code
	}
	return out
}

// slugs returns the slugs of a list answer's items, in order.
func slugs(t *testing.T, r resp) []string {
	t.Helper()
	var l struct {
		Items []struct{ Slug string } `json:"items"`
	}
	if err := json.Unmarshal(r.Body, &l); err != nil {
		t.Fatalf("list body: %v: %s", err, r.Body)
	}
	out := make([]string, len(l.Items))
	for i, it := range l.Items {
		out[i] = it.Slug
	}
	return out
}

// testLogWriter writes to t.Log until the test's cleanup has run (background goroutines
// may log later, when t.Log would panic).
type testLogWriter struct {
	mu   sync.Mutex
	t    *testing.T
	done bool
}

func newTestLogWriter(t *testing.T) *testLogWriter {
	w := &testLogWriter{t: t}
	t.Cleanup(func() { w.mu.Lock(); w.done = true; w.mu.Unlock() })
	return w
}

func (w *testLogWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.t.Log(strings.TrimSpace(string(p)))
	}
	return len(p), nil
}
