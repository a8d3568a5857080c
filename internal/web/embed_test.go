package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/web"
)

// TestEmbed: the /embed pages may be framed by the origins of IKZ_EMBED_ORIGINS and by
// no one else; every other page refuses all frames; an embed shows what any visitor
// sees (no money, no editing) even to a signed-in controller.
func TestEmbed(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		e := mustWebWith(t, db, web.Options{PublicRead: true, EmbedOrigins: []string{"https://portal.example.org", "https://www.muenster.de"}})
		e.patch("/api/v1/projects/it-hotline", `{"finance": {"budget_planned": "4711.00"}}`)
		b := e.browser()
		b.signIn("controlling")
		for _, tc := range []struct{ path, want string }{
			{"/embed/vorhaben/it-hotline", "IT-Hotline"},
			{"/en/embed/vorhaben/it-hotline", "Operational"},
			{"/embed/partner/citeq/vorhaben", "Behördennetz"},
			{"/en/embed/partner/citeq/vorhaben", "IT cooperations: citeq"},
		} {
			p := b.get(tc.path)
			csp := p.Header.Get("Content-Security-Policy")
			switch {
			case p.Status != http.StatusOK:
				t.Errorf("%s: %d", tc.path, p.Status)
			case !strings.Contains(csp, "frame-ancestors https://portal.example.org https://www.muenster.de"):
				t.Errorf("%s: CSP %q", tc.path, csp)
			case p.Header.Get("X-Frame-Options") != "":
				t.Errorf("%s: X-Frame-Options %q forbids the portals' frames", tc.path, p.Header.Get("X-Frame-Options"))
			case !strings.Contains(p.Body, tc.want):
				t.Errorf("%s: no %q\n%.2000s", tc.path, tc.want, p.Body)
			case strings.Contains(p.Body, "4.711") || strings.Contains(p.Body, "4,711") || strings.Contains(p.Body, "€"):
				t.Errorf("%s: money in an embedded page", tc.path)
			case strings.Contains(p.Body, "Abmelden") || strings.Contains(p.Body, "site-nav") || strings.Contains(p.Body, "bearbeiten"):
				t.Errorf("%s: the site's navigation or a session's controls in an embedded page", tc.path)
			case len(h1.FindAllString(p.Body, -1)) != 1 || !strings.Contains(p.Body, "<main"):
				t.Errorf("%s: want one h1 and a main", tc.path)
			case !strings.Contains(p.Body, `target="_blank" rel="noopener"`):
				t.Errorf("%s: links must leave the frame", tc.path)
			}
		}
		// every other page: no frame at all
		for _, path := range []string{"/", "/verzeichnis/vorhaben/it-hotline", "/anmelden"} {
			p := b.get(path)
			if !strings.Contains(p.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") || p.Header.Get("X-Frame-Options") != "DENY" {
				t.Errorf("%s: framing not refused: CSP %q, X-Frame-Options %q", path, p.Header.Get("Content-Security-Policy"), p.Header.Get("X-Frame-Options"))
			}
		}
		if p := b.get("/embed/vorhaben/gibt-es-nicht"); p.Status != http.StatusNotFound {
			t.Errorf("unknown project: %d", p.Status)
		}
	})
}

// TestEmbedClosed: without IKZ_EMBED_ORIGINS nobody may frame the embeds; on a closed
// directory they show that it is not public (a frame cannot sign in).
func TestEmbedClosed(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		e := mustWebWith(t, db, web.Options{PublicRead: false})
		p := e.browser().get("/embed/vorhaben/it-hotline")
		if !strings.Contains(p.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") || p.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("no embed origins: CSP %q, X-Frame-Options %q", p.Header.Get("Content-Security-Policy"), p.Header.Get("X-Frame-Options"))
		}
		if p.Status != http.StatusUnauthorized || strings.Contains(p.Body, "IT-Hotline") {
			t.Errorf("closed directory: %d\n%.1000s", p.Status, p.Body)
		}
	})
}

// patch changes a resource through the API as admin.
func (e *webEnv) patch(path, body string) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPatch, e.url+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/merge-patch+json")
	req.Header.Set("Authorization", "Bearer "+e.tokens["admin"])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		e.t.Fatalf("PATCH %s: %d", path, res.StatusCode)
	}
}
