package web_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/web"
)

var requestID = regexp.MustCompile(`<code>[0-9a-f-]{36}</code>`)

// TestFoldedPages: every page, in German and in English, anonymous and signed in as
// an admin, is byte for byte the same whether its templates have their constant texts
// and links folded in per language (as served) or call T and URL for each (as
// written); only an error page's request id differs.
func TestFoldedPages(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		const public = "https://ikz.example.org" // the JSON-LD's base, else each server's address
		e := mustWebWith(t, db, web.Options{PublicRead: true, PublicURL: public})
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		opt := web.Options{PublicRead: true, PublicURL: public, SessionKey: []byte(strings.Repeat("k", 32)), Logger: log}
		site, err := web.NewUnfolded(e.db, opt)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(httpapi.New(e.db, httpapi.Options{PublicRead: true, Logger: log, Web: site}).Handler())
		defer srv.Close()
		unfolded := *e
		unfolded.url = srv.URL
		paths := []string{"/", "/verzeichnis/vorhaben", "/verzeichnis/vorhaben?status=operational,in_progress&partner=citeq&sort=-started_on,title",
			"/verzeichnis/vorhaben?status=kaputt&started_from=20x", "/verzeichnis/vorhaben/dips-kommunal", "/verzeichnis/partner",
			"/verzeichnis/partner/citeq", "/verzeichnis/kooperationen", "/verzeichnis/kooperationen/it-kooperation-muenster-lwl",
			"/verzeichnis/loesungen", "/verzeichnis/loesungen/dips-kommunal", "/suche?q=Archivierung", "/suche", "/anmelden",
			"/embed/vorhaben/dips-kommunal", "/embed/partner/citeq/vorhaben", "/verzeichnis/vorhaben/gibt-es-nicht"}
		signedIn := []string{"/controlling", "/controlling?status=operational", "/verzeichnis/vorhaben/neu",
			"/verzeichnis/vorhaben/dips-kommunal/bearbeiten", "/verzeichnis/vorhaben/dips-kommunal/status", "/verzeichnis/partner/neu",
			"/verzeichnis/partner/citeq/bearbeiten", "/verzeichnis/kooperationen/neu", "/verzeichnis/kooperationen/it-kooperation-muenster-lwl/bearbeiten",
			"/verzeichnis/kooperationen/it-kooperation-muenster-lwl/status", "/verzeichnis/loesungen/neu", "/verzeichnis/loesungen/dips-kommunal/bearbeiten"}
		for _, who := range []string{"", "admin"} {
			b := e.browser()
			if who != "" {
				b.signIn(who)
				paths = append(paths, signedIn...)
			}
			u := &browser{e: &unfolded, c: b.c} // the same cookies
			for _, lang := range []string{"", "/en"} {
				for _, path := range paths {
					folded, written := b.get(lang+path), u.get(lang+path)
					if folded.Status != written.Status || requestID.ReplaceAllString(folded.Body, "") != requestID.ReplaceAllString(written.Body, "") {
						t.Errorf("%s%s (%q): folded %d, as written %d\nfolded:\n%s\nas written:\n%s", lang, path, who, folded.Status, written.Status, folded.Body, written.Body)
					}
				}
			}
		}
	})
}

// TestNavCurrent: the navigation marks the current section's item, and only it, in
// both languages (the layout reads it from view.Nav).
func TestNavCurrent(t *testing.T) {
	forEachWeb(t, func(t *testing.T, e *webEnv) {
		b := e.browser()
		b.signIn("admin")
		for _, lang := range []string{"", "/en"} {
			for _, c := range []struct{ path, item string }{
				{"/verzeichnis/vorhaben?status=operational", "/verzeichnis/vorhaben"}, {"/verzeichnis/vorhaben/dips-kommunal", "/verzeichnis/vorhaben"},
				{"/verzeichnis/partner/citeq", "/verzeichnis/partner"}, {"/verzeichnis/kooperationen", "/verzeichnis/kooperationen"},
				{"/verzeichnis/loesungen/dips-kommunal", "/verzeichnis/loesungen"}, {"/suche?q=Archiv", "/suche"}, {"/controlling", "/controlling"},
				{"/", ""}, {"/anmelden", ""},
			} {
				p := b.get(lang + c.path)
				want := 0
				if c.item != "" {
					want = 1
					if !strings.Contains(p.Body, `<li><a href="`+lang+c.item+`" aria-current="page">`) {
						t.Errorf("%s%s: the item %s is not marked current", lang, c.path, c.item)
					}
				}
				if n := strings.Count(p.Body, `aria-current="page"`); n != want {
					t.Errorf("%s%s: %d items marked current, want %d", lang, c.path, n, want)
				}
			}
		}
	})
}
