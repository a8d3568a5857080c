package httpapi_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// fuzzServer is the real router on a seeded in-memory SQLite, with an admin token.
// Fuzz inputs are served in-process (no sockets), so many run per second.
func fuzzServer(f *testing.F) (http.Handler, string) {
	f.Helper()
	db := storetest.MustOpen(f, "sqlite")
	ctx := coop.WithActor(context.Background(), coop.System)
	if _, err := db.Seed(ctx); err != nil {
		f.Fatal(err)
	}
	_, token, err := db.CreateToken(ctx, coop.TokenDraft{Name: "fuzz", Roles: []string{"admin"}})
	if err != nil {
		f.Fatal(err)
	}
	h := httpapi.New(db, httpapi.Options{PublicRead: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}).Handler()
	return h, token
}

// serve answers one request and fails the fuzz input on any 5xx or a 4xx that is not
// problem+json: no input may break the service or leak an internal error.
func serve(t *testing.T, h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code >= 500 {
		t.Fatalf("%s %s → %d: %s", r.Method, r.URL, w.Code, w.Body.String())
	}
	if w.Code >= 400 && w.Header().Get("Content-Type") != "application/problem+json" {
		t.Fatalf("%s %s → %d without problem+json", r.Method, r.URL, w.Code)
	}
	return w
}

func fuzzBody(f *testing.F, path string, seeds []string) {
	h, token := fuzzServer(f)
	for _, s := range seeds {
		f.Add(s, "POST")
		f.Add(s, "PATCH")
	}
	f.Fuzz(func(t *testing.T, body, method string) {
		target := path
		if method != "POST" {
			method = http.MethodPatch
			target = path + "/citeq"
			if strings.Contains(path, "projects") {
				target = path + "/it-hotline"
			}
		}
		r := httptest.NewRequest(method, target, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", "Bearer "+token)
		serve(t, h, r)
	})
}

// FuzzPartnerBody sends arbitrary bodies to POST and PATCH of partners.
func FuzzPartnerBody(f *testing.F) {
	fuzzBody(f, "/api/v1/partners", []string{
		`{"slug":"kreis-warendorf","name":"Kreis Warendorf","type":"district","ags":"05570000","state":"DE-NW"}`,
		`{"slug":"x","name":"X","type":"other","parent":"citeq","leitweg_id":"991-33333TEST-33"}`,
		`{"employees":{"count":-1,"as_of":"2024-13-45"},"address":{"postal_code":"4815"}}`,
		`{"name":null,"parent":null}`, `[]`, `{"slug":`, `{"ars":"055150000000","ags":"05515000"}`,
	})
}

// FuzzProjectBody sends arbitrary bodies to POST and PATCH of projects.
func FuzzProjectBody(f *testing.F) {
	fuzzBody(f, "/api/v1/projects", []string{
		`{"slug":"p","title":"P","category":"network","cooperation":"it-kooperation-muenster-lwl","participants":[{"partner":"citeq","role":"provider"}]}`,
		`{"participants":[{"partner":"citeq","role":"lead","since":"2016","until":"2015"}],"finance":{"budget_planned":"12.345"}}`,
		`{"status":"operational","started_on":"2016-11","ended_on":"2016"}`,
		`{"tags":["a","a"],"sources":[{"title":"t","url":"x"}]}`, `{"finance":null}`, `"text"`,
	})
}

// FuzzListQuery sends arbitrary query strings (filters, sort, cursor, limit, q) to the
// project and partner lists and to search.
func FuzzListQuery(f *testing.F) {
	h, _ := fuzzServer(f)
	for _, s := range []string{
		"status=operational,in_progress&sort=-updated_at,title&limit=2",
		"partner=citeq&role=provider&started_from=2016-01&started_to=2018",
		"cursor=eyJzIjoidGl0bGUiLCJ2IjpbIngiXSwiaWQiOiJ5In0&sort=title",
		"q=Archivierung&as_of=2017-06&tag=ikz", "limit=0", "sort=--title", "updated_since=2026-01-01T00:00:00Z",
		"q=%27%3B+DROP+TABLE+projects%3B+--", "cursor=%00%ff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if _, err := url.ParseQuery(raw); err != nil {
			return // not a query string a client could send
		}
		for _, path := range []string{"/api/v1/projects", "/api/v1/partners", "/api/v1/search"} {
			r := httptest.NewRequest(http.MethodGet, path, nil)
			r.URL.RawQuery = raw
			serve(t, h, r)
		}
	})
}
