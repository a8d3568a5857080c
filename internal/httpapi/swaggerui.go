package httpapi

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
	echoSwagger "github.com/swaggo/echo-swagger"
	"sigs.k8s.io/yaml"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// swaggerUI serves the Swagger UI pages. Its list of documents starts with the
// OpenAPI 3.0 contract (what client generators take); the Swagger 2.0 one follows.
var swaggerUI = echoSwagger.EchoWrapHandler(func(c *echoSwagger.Config) {
	c.URLs = []string{"/openapi.json", "doc.json"}
})

// handleSwagger2 serves the Swagger 2.0 spec (/swagger/doc.json, and as YAML
// /swagger/doc.yaml): docs/swagger.json, valid Swagger 2.0. Not an operation of the
// contract, like the UI itself.
func handleSwagger2(c echo.Context) error {
	doc, err := Swagger2()
	if err != nil {
		return coop.Errorf(coop.EInternal, "swagger 2.0: %v", err)
	}
	if strings.HasSuffix(c.Request().URL.Path, ".yaml") {
		y, err := yaml.JSONToYAML(doc)
		if err != nil {
			return coop.Errorf(coop.EInternal, "swagger 2.0 as YAML: %v", err)
		}
		return c.Blob(http.StatusOK, "text/plain; charset=utf-8", y)
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSONCharsetUTF8, doc)
}

// swaggerCSP is the Content-Security-Policy of the Swagger UI pages (/swagger/…):
// scripts only from this origin plus the page's inline start-up script, allowed by its
// SHA-256 hash rather than by 'unsafe-inline'; inline styles stay allowed, because
// Swagger UI sets style attributes. The hash is taken once from the page that
// echo-swagger renders, so it follows the page when echo-swagger changes it.
var swaggerCSP = sync.OnceValue(func() string {
	return "default-src 'self'; script-src " + swaggerScriptSources() +
		"; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'" +
		"; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
})

// inlineScript matches the inline scripts of a page (<script src=…> has attributes).
var inlineScript = regexp.MustCompile(`(?s)<script>(.*?)</script>`)

// swaggerScriptSources renders the Swagger UI page and lists 'self' and the hash of
// each of its inline scripts.
func swaggerScriptSources() string {
	rec := httptest.NewRecorder()
	c := echo.New().NewContext(httptest.NewRequest(http.MethodGet, "/swagger/index.html", nil), rec)
	src := "'self'"
	if err := swaggerUI(c); err != nil || rec.Code != http.StatusOK {
		return src
	}
	for _, m := range inlineScript.FindAllSubmatch(rec.Body.Bytes(), -1) {
		sum := sha256.Sum256(m[1])
		src += " 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}
	return src
}
