package httpapi_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"
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

// TestSwagger2Served: /swagger/doc.json is the committed docs/swagger.json byte for
// byte (docs/swagger.yaml the same as YAML), and it keeps the Swagger 2.0 rules that
// swagger-parser checks in .ci/run: no example on a non-body parameter (x-example
// instead), no empty host or schemes.
func TestSwagger2Served(t *testing.T) {
	committed, err := os.ReadFile("../../docs/swagger.json")
	if err != nil {
		t.Fatal(err)
	}
	e := mustAPI(t, storetest.MustOpen(t, "sqlite"), httpapi.Options{PublicRead: true})
	r := e.get("/swagger/doc.json", "")
	mustStatus(t, r, http.StatusOK)
	if !bytes.Equal(r.Body, committed) {
		t.Fatal("/swagger/doc.json differs from docs/swagger.json: run go generate ./... and commit")
	}
	committedYAML, err := os.ReadFile("../../docs/swagger.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if y := e.get("/swagger/doc.yaml", ""); y.Status != http.StatusOK || !bytes.Equal(y.Body, committedYAML) {
		t.Errorf("/swagger/doc.yaml: %d, differs from docs/swagger.yaml", y.Status)
	}
	var doc struct {
		Swagger string   `json:"swagger"`
		Host    *string  `json:"host"`
		Schemes []string `json:"schemes"`
		Paths   map[string]map[string]struct {
			Parameters []map[string]any `json:"parameters"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(r.Body, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Swagger != "2.0" || (doc.Host != nil && *doc.Host == "") || (doc.Schemes != nil && len(doc.Schemes) == 0) {
		t.Errorf("swagger %q, host %v, schemes %v", doc.Swagger, doc.Host, doc.Schemes)
	}
	examples := 0
	for path, ops := range doc.Paths {
		for method, op := range ops {
			for _, p := range op.Parameters {
				if _, ok := p["example"]; ok && p["in"] != "body" {
					t.Errorf("%s %s: parameter %v carries example (Swagger 2.0 allows it on body parameters only)", method, path, p["name"])
				}
				if _, ok := p["x-example"]; ok {
					examples++
				}
			}
		}
	}
	if examples < 50 {
		t.Errorf("only %d parameters keep their example as x-example", examples)
	}
}

// TestSwaggerUIListsOpenAPI3First: the UI opens the OpenAPI 3.0 contract; the
// Swagger 2.0 document is the second choice.
func TestSwaggerUIListsOpenAPI3First(t *testing.T) {
	e := mustAPI(t, storetest.MustOpen(t, "sqlite"), httpapi.Options{PublicRead: true})
	r := e.get("/swagger/index.html", "")
	mustStatus(t, r, http.StatusOK)
	urls := regexp.MustCompile(`url:\s*"([^"]*)"`).FindAllSubmatch(r.Body, -1)
	var got []string
	for _, m := range urls {
		got = append(got, strings.ReplaceAll(string(m[1]), `\/`, "/"))
	}
	if len(got) != 2 || got[0] != "/openapi.json" || got[1] != "doc.json" {
		t.Fatalf("documents of the Swagger UI: %q, want /openapi.json first, then doc.json", got)
	}
}
