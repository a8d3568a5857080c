package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/openapi/strict"
)

// TestResponseExamples: every example of api/openapi.json fits its schema as strict
// OpenAPI 3.0.3 validators read it: the example of each response and request body,
// and of each parameter.
func TestResponseExamples(t *testing.T) {
	c := mustContract(t)
	bodies, params := 0, 0
	for _, path := range c.doc.Paths.InMatchingOrder() {
		for method, op := range c.doc.Paths.Value(path).Operations() {
			m := strings.ToLower(method)
			check := func(what string, ptr string, ex any) {
				t.Helper()
				if err := c.strict.Validate(ptr, ex); err != nil {
					t.Errorf("%s %s: the example of %s does not fit its schema: %v", method, path, what, err)
				}
			}
			for code, r := range op.Responses.Map() {
				for mt, media := range r.Value.Content {
					if !strings.Contains(mt, "json") {
						continue
					}
					if media.Example == nil {
						if s := media.Schema.Value; s != nil && len(s.Properties) == 0 && s.AdditionalProperties.Has != nil {
							continue // a free-form object (the OpenAPI document itself)
						}
						t.Errorf("%s %s: answer %s (%s) has no example", method, path, code, mt)
						continue
					}
					check("answer "+code+" "+mt, strict.Pointer("paths", path, m, "responses", code, "content", mt, "schema"), media.Example)
					bodies++
				}
			}
			if op.RequestBody != nil {
				for mt, media := range op.RequestBody.Value.Content {
					if media.Example == nil {
						t.Errorf("%s %s: request body (%s) has no example", method, path, mt)
						continue
					}
					check("the request body "+mt, strict.Pointer("paths", path, m, "requestBody", "content", mt, "schema"), media.Example)
					bodies++
				}
			}
			for i, p := range op.Parameters {
				if p.Value.Example != nil {
					check("parameter "+p.Value.Name, strict.Pointer("paths", path, m, "parameters", fmt.Sprint(i), "schema"), p.Value.Example)
					params++
				}
			}
		}
	}
	if bodies < 200 || params < 50 {
		t.Errorf("checked only %d body and %d parameter examples", bodies, params)
	}
}

// exampleOp is an operation of the contract, sent with its examples.
type exampleOp struct {
	method, path string
	op           *openapi3.Operation
}

// lifecycleRank orders operations the way a resource lives, so that each example
// finds what it needs on a freshly seeded server: creates first (their examples make
// new resources), then reads, changes, transitions, deletes (of what the creates made)
// and restores (of what the deletes removed).
func lifecycleRank(method, path string) int {
	switch {
	case method == http.MethodPost && !strings.HasSuffix(path, "}") && !strings.Contains(path, "}/"):
		return 0
	case method == http.MethodGet, method == http.MethodHead:
		return 1
	case method == http.MethodPatch:
		return 2
	case strings.HasSuffix(path, "/transitions"), method == http.MethodPost && strings.HasPrefix(path, "/api/v1/webhooks/"):
		return 3
	case method == http.MethodDelete:
		return 4
	case strings.HasSuffix(path, "/restore"):
		return 5
	}
	return 6
}

// TestRequestExamples: every operation of api/openapi.json, sent with its examples
// (path and query parameters, the JSON request body) by an admin to a freshly seeded
// server, answers its documented success status, on SQLite and on PostgreSQL; answers
// are checked against the contract as every answer of the suite is. The operations go
// in the order of lifecycleRank; the one value no example can know, the id of a new
// API token (or webhook), is the id of the one the create example made.
func TestRequestExamples(t *testing.T) {
	c := mustContract(t)
	var ops []exampleOp
	for _, path := range c.doc.Paths.InMatchingOrder() {
		for method, op := range c.doc.Paths.Value(path).Operations() {
			ops = append(ops, exampleOp{method, path, op})
		}
	}
	sort.Slice(ops, func(i, j int) bool {
		a, b := ops[i], ops[j]
		if ra, rb := lifecycleRank(a.method, a.path), lifecycleRank(b.method, b.path); ra != rb {
			return ra < rb
		}
		return a.method+" "+a.path < b.method+" "+b.path
	})
	forEachAPIWith(t, httpapi.Options{PublicRead: true, MetricsOnMain: true}, func(t *testing.T, e *apiEnv) {
		var tokenID, webhookID, importID string
		for _, x := range ops {
			want := 0
			for code := range x.op.Responses.Map() {
				var n int
				if _, err := fmt.Sscan(code, &n); err == nil && n >= 200 && n < 300 && (want == 0 || n < want) {
					want = n
				}
			}
			path, query := x.path, url.Values{}
			for _, p := range x.op.Parameters {
				v := p.Value
				switch {
				case v.Example == nil:
				case v.In == "path":
					ex := fmt.Sprint(v.Example)
					if strings.HasPrefix(x.path, "/api/v1/tokens/") {
						ex = tokenID
					}
					if strings.HasPrefix(x.path, "/api/v1/webhooks/") {
						ex = webhookID
					}
					if strings.HasPrefix(x.path, "/api/v1/imports/") {
						ex = importID
					}
					path = strings.ReplaceAll(path, "{"+v.Name+"}", url.PathEscape(ex))
				case v.In == "query":
					query.Set(v.Name, exampleParam(v.Example))
				}
			}
			if strings.Contains(path, "{") {
				t.Errorf("%s %s: a path parameter has no example", x.method, x.path)
				continue
			}
			if len(query) > 0 {
				path += "?" + query.Encode()
			}
			r := req{as: "admin"}
			if x.op.RequestBody != nil {
				if mt := x.op.RequestBody.Value.Content.Get("application/json"); mt != nil {
					r.body = mt.Example
				}
			}
			if x.path == "/api/v1/changes/stream" {
				// a stream does not end: its answer is checked when it opens
				e.openStream(t, strings.TrimPrefix(path, x.path), "admin", nil).close()
				continue
			}
			out := e.do(x.method, path, r)
			if out.Status != want {
				t.Errorf("%s %s with its examples: %d, want %d: %.400s", x.method, path, out.Status, want, out.Body)
				continue
			}
			if x.method == http.MethodPost && x.path == "/api/v1/tokens" {
				var tok struct{ ID string }
				_ = json.Unmarshal(out.Body, &tok)
				tokenID = tok.ID
			}
			if x.method == http.MethodPost && x.path == "/api/v1/webhooks" {
				var w struct{ ID string }
				_ = json.Unmarshal(out.Body, &w)
				webhookID = w.ID
			}
			if x.method == http.MethodPost && x.path == "/api/v1/imports" {
				var imp struct{ ID string }
				_ = json.Unmarshal(out.Body, &imp)
				importID = imp.ID
			}
		}
	})
}

// exampleParam writes a parameter example as a query value (lists comma-separated).
func exampleParam(ex any) string {
	if list, ok := ex.([]any); ok {
		parts := make([]string, len(list))
		for i, v := range list {
			parts[i] = fmt.Sprint(v)
		}
		return strings.Join(parts, ",")
	}
	return fmt.Sprint(ex)
}
