package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/web"
)

// webEnv is the API and the pages on one real server over a fresh, seeded database,
// with a token of every kind of caller.
type webEnv struct {
	t      *testing.T
	url    string
	db     *store.DB
	tokens map[string]string
}

func forEachWeb(t *testing.T, fn func(t *testing.T, e *webEnv)) {
	t.Helper()
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) { fn(t, mustWeb(t, db, true)) })
}

func mustWeb(t *testing.T, db *store.DB, publicRead bool) *webEnv {
	t.Helper()
	return mustWebWith(t, db, web.Options{PublicRead: publicRead})
}

// mustWebWith is mustWeb with the pages' options (a session key is added).
func mustWebWith(t *testing.T, db *store.DB, opt web.Options) *webEnv {
	t.Helper()
	ctx := coop.WithActor(context.Background(), coop.System)
	if _, err := db.Seed(ctx); err != nil {
		t.Fatalf("seed: %v", err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	opt.SessionKey, opt.Logger = []byte(strings.Repeat("k", 32)), log
	site, err := web.New(db, opt)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(httpapi.New(db, httpapi.Options{PublicRead: opt.PublicRead, Logger: log, Web: site}).Handler())
	t.Cleanup(srv.Close)
	e := &webEnv{t: t, url: srv.URL, db: db, tokens: map[string]string{}}
	for name, d := range map[string]coop.TokenDraft{
		"admin":        {Name: "Administration", Roles: []string{"admin"}},
		"reader":       {Name: "Leser", Roles: []string{"reader"}},
		"controlling":  {Name: "Controlling", Roles: []string{"controlling"}},
		"editor-citeq": {Name: "Redaktion citeq", Roles: []string{"editor"}, Partners: []string{"citeq"}},
	} {
		_, secret, err := db.CreateToken(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[name] = secret
	}
	return e
}

// browser is a client with a cookie jar that does not follow redirects.
type browser struct {
	e *webEnv
	c *http.Client
}

func (e *webEnv) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type page struct {
	Status int
	Header http.Header
	Body   string
}

func (b *browser) get(path string) page {
	b.e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.e.url+path, nil)
	req.Header.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) page {
	b.e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.e.url+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/html")
	return b.do(req)
}

func (b *browser) do(req *http.Request) page {
	b.e.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return page{res.StatusCode, res.Header, string(body)}
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// csrf returns the CSRF token of a page's form.
func (p page) csrf(t *testing.T) string {
	t.Helper()
	m := csrfInput.FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no CSRF token in the page:\n%s", p.Body)
	}
	return m[1]
}

// signIn signs in with a token through the sign-in form.
func (b *browser) signIn(tokenName string) {
	t := b.e.t
	t.Helper()
	form := b.get("/anmelden")
	res := b.post("/anmelden", url.Values{"_csrf": {form.csrf(t)}, "token": {b.e.tokens[tokenName]}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("sign-in as %s: %d\n%s", tokenName, res.Status, res.Body)
	}
}

var h1 = regexp.MustCompile(`<h1[ >]`)

// TestPages: every directory page answers 200 with HTML in its language, one h1, a
// main, and a Content-Security-Policy without 'unsafe-inline', on both databases.
func TestPages(t *testing.T) {
	forEachWeb(t, func(t *testing.T, e *webEnv) {
		b := e.browser()
		for _, lang := range []string{"", "/en"} {
			for _, path := range []string{"/verzeichnis/vorhaben", "/verzeichnis/vorhaben?status=operational,in_progress&partner=citeq",
				"/verzeichnis/vorhaben/dips-kommunal", "/verzeichnis/partner", "/verzeichnis/partner/citeq",
				"/verzeichnis/kooperationen", "/verzeichnis/kooperationen/it-kooperation-muenster-lwl",
				"/verzeichnis/loesungen", "/verzeichnis/loesungen/dips-kommunal", "/suche?q=Archivierung", "/anmelden"} {
				p := b.get(lang + path)
				if p.Status != http.StatusOK {
					t.Errorf("%s%s: %d", lang, path, p.Status)
					continue
				}
				wantLang := `<html lang="de">`
				if lang == "/en" {
					wantLang = `<html lang="en">`
				}
				csp := p.Header.Get("Content-Security-Policy")
				switch {
				case !strings.HasPrefix(p.Header.Get("Content-Type"), "text/html"):
					t.Errorf("%s%s: Content-Type %q", lang, path, p.Header.Get("Content-Type"))
				case !strings.Contains(p.Body, wantLang):
					t.Errorf("%s%s: no %s", lang, path, wantLang)
				case len(h1.FindAllString(p.Body, -1)) != 1:
					t.Errorf("%s%s: %d h1", lang, path, len(h1.FindAllString(p.Body, -1)))
				case !strings.Contains(p.Body, "<main"):
					t.Errorf("%s%s: no main", lang, path)
				case !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe") || !strings.Contains(csp, "frame-ancestors 'none'"):
					t.Errorf("%s%s: CSP %q", lang, path, csp)
				case strings.Count(p.Body, "<script") != strings.Count(p.Body, `<script type="application/ld+json">`):
					t.Errorf("%s%s: the page has a script", lang, path)
				}
			}
		}
		if p := b.get("/verzeichnis/vorhaben/gibt-es-nicht"); p.Status != http.StatusNotFound || !strings.Contains(p.Body, "<main") {
			t.Errorf("unknown project: %d %.200s", p.Status, p.Body)
		}
	})
}

// TestIndex: GET / is the start page for browsers and a JSON index for API clients.
func TestIndex(t *testing.T) {
	forEachWeb(t, func(t *testing.T, e *webEnv) {
		p := e.browser().get("/")
		if p.Status != http.StatusOK || !strings.Contains(p.Body, "Vorhaben nach Status") {
			t.Fatalf("start page: %d %.300s", p.Status, p.Body)
		}
		res, err := http.Get(e.url + "/")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") || !strings.Contains(string(body), `"projects":"/api/v1/projects"`) {
			t.Fatalf("JSON index: %s %s", res.Header.Get("Content-Type"), body)
		}
	})
}

// TestCSRF: a form posted without its token, or with another session's, is refused and
// changes nothing.
func TestCSRF(t *testing.T) {
	forEachWeb(t, func(t *testing.T, e *webEnv) {
		b := e.browser()
		b.get("/anmelden")
		if p := b.post("/anmelden", url.Values{"token": {e.tokens["admin"]}}); p.Status != http.StatusForbidden {
			t.Errorf("sign-in without CSRF token: %d", p.Status)
		}
		other := e.browser()
		stolen := other.get("/anmelden").csrf(t)
		if p := b.post("/anmelden", url.Values{"_csrf": {stolen}, "token": {e.tokens["admin"]}}); p.Status != http.StatusForbidden {
			t.Errorf("sign-in with another session's CSRF token: %d", p.Status)
		}
		if p := b.get("/"); strings.Contains(p.Body, "Angemeldet") {
			t.Error("signed in after refused forms")
		}
	})
}

// TestSessionNeverAuthorisesAPI: a signed-in browser's cookie does not authorise API
// calls; the API reads only the Authorization header.
func TestSessionNeverAuthorisesAPI(t *testing.T) {
	forEachWeb(t, func(t *testing.T, e *webEnv) {
		b := e.browser()
		b.signIn("admin")
		if p := b.get("/"); !strings.Contains(p.Body, "Administration") {
			t.Fatalf("not signed in: %.500s", p.Body)
		}
		req, _ := http.NewRequest(http.MethodPost, e.url+"/api/v1/partners", strings.NewReader(`{"slug":"x-y","name":"X","type":"other"}`))
		req.Header.Set("Content-Type", "application/json")
		if p := b.do(req); p.Status != http.StatusUnauthorized {
			t.Errorf("API write with the session cookie only: %d %s", p.Status, p.Body)
		}
		req, _ = http.NewRequest(http.MethodGet, e.url+"/api/v1/changes", nil)
		if p := b.do(req); p.Status != http.StatusUnauthorized {
			t.Errorf("API change feed with the session cookie only: %d", p.Status)
		}
	})
}

// TestSignOut: after signing out, the browser is anonymous again.
func TestSignOut(t *testing.T) {
	forEachWeb(t, func(t *testing.T, e *webEnv) {
		b := e.browser()
		b.signIn("reader")
		p := b.get("/")
		if !strings.Contains(p.Body, "Leser") {
			t.Fatal("not signed in")
		}
		if res := b.post("/abmelden", url.Values{"_csrf": {p.csrf(t)}}); res.Status != http.StatusSeeOther {
			t.Fatalf("sign-out: %d", res.Status)
		}
		if p := b.get("/"); strings.Contains(p.Body, "Leser") || !strings.Contains(p.Body, ">Anmelden<") {
			t.Error("still signed in after signing out")
		}
	})
}

// TestRevokedTokenEndsSession: a session of a token ends as soon as the token is
// revoked.
func TestRevokedTokenEndsSession(t *testing.T) {
	forEachWeb(t, func(t *testing.T, e *webEnv) {
		b := e.browser()
		b.signIn("reader")
		toks, err := e.db.ListTokens(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range toks {
			if tk.Name == "Leser" {
				if err := e.db.RevokeToken(context.Background(), tk.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		if p := b.get("/"); strings.Contains(p.Body, "Leser") {
			t.Error("the session outlived its revoked token")
		}
	})
}

// TestFilterChoicesFollowWrites: the partner choices of the filter form are kept per
// data version, so a partner created a moment ago is offered at once.
func TestFilterChoicesFollowWrites(t *testing.T) {
	forEachWeb(t, func(t *testing.T, e *webEnv) {
		b := e.browser()
		if p := b.get("/verzeichnis/vorhaben"); strings.Contains(p.Body, "Kreis Warendorf") {
			t.Fatal("the partner exists before it is created")
		}
		ctx := coop.WithActor(context.Background(), coop.System)
		if _, err := e.db.CreatePartner(ctx, coop.PartnerDraft{Slug: "kreis-warendorf", Name: "Kreis Warendorf", Type: "district"}); err != nil {
			t.Fatal(err)
		}
		if p := b.get("/verzeichnis/vorhaben"); !strings.Contains(p.Body, `<option value="kreis-warendorf">Kreis Warendorf</option>`) {
			t.Error("the new partner is not offered by the filter")
		}
	})
}
