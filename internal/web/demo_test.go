package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/benchdata"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/web"
)

// TestDemoData: a directory of demo data says so on every page (German and English),
// in every API answer (errors included), in the file names and properties of its
// downloads and in the JSON index; the real seed never goes into it, and demo data
// never goes into a directory that holds data. A real directory carries no mark.
func TestDemoData(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := coop.WithActor(context.Background(), coop.System)
		if err := db.MarkDemo(ctx, 7); err != nil {
			t.Fatal(err)
		}
		if err := benchdata.Load(ctx, db, benchdata.Size{Partners: 12, Cooperations: 4, Projects: 30}, 7, nil); err != nil {
			t.Fatal(err)
		}
		if err := db.MarkDemo(ctx, 8); !errors.Is(err, store.ErrNotEmpty) {
			t.Errorf("a second demo load: %v, want ErrNotEmpty", err)
		}
		if seeded, err := db.Seed(ctx); seeded || err != nil {
			t.Errorf("the seed went into the demo directory: %v %v", seeded, err)
		}
		if _, err := db.FindPartner(ctx, "citeq"); coop.ErrorCode(err) != coop.ENotFound {
			t.Errorf("citeq in the demo directory: %v", err)
		}
		e := demoWeb(t, db)
		b := e.browser()
		for _, path := range []string{"/", "/en/", "/verzeichnis/vorhaben", "/en/verzeichnis/vorhaben", "/verzeichnis/vorhaben/p-1",
			"/verzeichnis/partner", "/suche?q=Verwaltung", "/anmelden", "/verzeichnis/vorhaben/gibt-es-nicht", "/embed/vorhaben/p-1"} {
			p := b.get(path)
			want := "Demodaten:"
			if strings.HasPrefix(path, "/en/") {
				want = "Demo data:"
			}
			if !strings.Contains(p.Body, want) || !strings.Contains(p.Body, "<title>[") || p.Header.Get(httpapi.DemoHeader) != httpapi.DemoValue {
				t.Errorf("%s: %d, no demo banner %q or header: %.400s", path, p.Status, want, p.Body)
			}
		}
		for _, path := range []string{"/api/v1/projects", "/api/v1/partners/gibt-es-nicht", "/api/v1/stats?group_by=status"} {
			res := get(t, e.url+path, "")
			if res.Header.Get(httpapi.DemoHeader) != httpapi.DemoValue {
				t.Errorf("%s: %d without %s", path, res.StatusCode, httpapi.DemoHeader)
			}
		}
		res := get(t, e.url+"/", "application/json")
		var ix struct{ Demo bool }
		if err := json.Unmarshal(body(t, res), &ix); err != nil || !ix.Demo {
			t.Errorf("JSON index: demo %v %v", ix.Demo, err)
		}
		csv := get(t, e.url+"/api/v1/exports/projects?format=csv", e.tokens["reader"])
		if cd := csv.Header.Get("Content-Disposition"); !strings.Contains(cd, `filename="ikz-demo-projekte-`) || csv.Header.Get(httpapi.DemoHeader) == "" {
			t.Errorf("CSV download: %d %q", csv.StatusCode, cd)
		}
		x := get(t, e.url+"/api/v1/exports/projects?format=xlsx", e.tokens["reader"])
		f, err := excelize.OpenReader(bytes.NewReader(body(t, x)))
		if err != nil {
			t.Fatalf("XLSX download: %v", err)
		}
		props, err := f.GetDocProps()
		if err != nil || !strings.Contains(props.Title, "DEMODATEN") {
			t.Errorf("XLSX properties: %+v %v", props, err)
		}
	})
}

// TestNoDemoMark: a real directory carries no demo mark, and refuses demo data.
func TestNoDemoMark(t *testing.T) {
	forEachWeb(t, func(t *testing.T, e *webEnv) {
		ctx := coop.WithActor(context.Background(), coop.System)
		if err := e.db.MarkDemo(ctx, 1); !errors.Is(err, store.ErrNotEmpty) {
			t.Errorf("demo data into the seeded directory: %v, want ErrNotEmpty", err)
		}
		if demo, err := e.db.Demo(ctx); demo || err != nil {
			t.Errorf("Demo: %v %v", demo, err)
		}
		p := e.browser().get("/verzeichnis/vorhaben")
		if strings.Contains(p.Body, "Demodaten") || p.Header.Get(httpapi.DemoHeader) != "" {
			t.Errorf("a real directory marked as demo data: %q", p.Header.Get(httpapi.DemoHeader))
		}
		res := get(t, e.url+"/", "application/json")
		if b := body(t, res); strings.Contains(string(b), "demo") || res.Header.Get(httpapi.DemoHeader) != "" {
			t.Errorf("JSON index: %s", b)
		}
		csv := get(t, e.url+"/api/v1/exports/projects?format=csv", e.tokens["reader"])
		if cd := csv.Header.Get("Content-Disposition"); strings.Contains(cd, "demo") {
			t.Errorf("CSV download: %q", cd)
		}
	})
}

// demoWeb serves db (not seeded) like mustWeb, with a reader token.
func demoWeb(t *testing.T, db *store.DB) *webEnv {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	site, err := web.New(db, web.Options{PublicRead: true, SessionKey: []byte(strings.Repeat("k", 32)), Logger: log,
		EmbedOrigins: []string{"https://portal.example"}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(httpapi.New(db, httpapi.Options{PublicRead: true, Logger: log, Web: site}).Handler())
	t.Cleanup(srv.Close)
	_, secret, err := db.CreateToken(coop.WithActor(context.Background(), coop.System), coop.TokenDraft{Name: "Leser", Roles: []string{"reader"}})
	if err != nil {
		t.Fatal(err)
	}
	return &webEnv{t: t, url: srv.URL, db: db, tokens: map[string]string{"reader": secret}}
}

func get(t *testing.T, url, auth string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	switch {
	case strings.HasPrefix(auth, "application/"):
		req.Header.Set("Accept", auth)
	case auth != "":
		req.Header.Set("Authorization", "Bearer "+auth)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

func body(t *testing.T, res *http.Response) []byte {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
