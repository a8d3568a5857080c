package httpapi_test

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// TestSwaggerUICSP: the Swagger UI page runs under a CSP that allows its inline
// start-up script by hash, not every inline script. (The page itself is driven in
// headless Chromium by tools/swagger-ui.test.mjs in .ci/run.)
func TestSwaggerUICSP(t *testing.T) {
	e := mustAPI(t, storetest.MustOpen(t, "sqlite"), httpapi.Options{PublicRead: true})
	r := e.get("/swagger/index.html", "")
	mustStatus(t, r, http.StatusOK)
	csp := r.Header.Get("Content-Security-Policy")
	var script string
	for _, d := range strings.Split(csp, ";") {
		if d = strings.TrimSpace(d); strings.HasPrefix(d, "script-src ") {
			script = d
		}
	}
	if script == "" || strings.Contains(script, "unsafe-inline") || strings.Contains(script, "unsafe-eval") {
		t.Fatalf("script-src of the Swagger UI: %q (CSP %q)", script, csp)
	}
	inline := regexp.MustCompile(`(?s)<script>(.*?)</script>`).FindAllSubmatch(r.Body, -1)
	if len(inline) == 0 {
		t.Fatalf("no inline start-up script in the page: %.300s", r.Body)
	}
	for _, m := range inline {
		sum := sha256.Sum256(m[1])
		if h := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(script, h) {
			t.Errorf("inline script %s not allowed by %q", h, script)
		}
	}
	if api := e.get("/api/v1/meta/enums", ""); api.Header.Get("Content-Security-Policy") != "default-src 'none'; frame-ancestors 'none'" {
		t.Errorf("API answers' CSP: %q", api.Header.Get("Content-Security-Policy"))
	}
}
