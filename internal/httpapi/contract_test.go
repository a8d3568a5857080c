package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/openapi/strict"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// specPath is the committed contract every request and answer of the HTTP suite is
// checked against.
const specPath = "../../api/openapi.json"

// contract is the loaded api/openapi.json with its router.
type contract struct {
	doc    *openapi3.T
	router routers.Router
	raw    []byte
	strict *strict.Doc // the same document as strict OpenAPI 3.0.3 readers see it
}

var (
	contractOnce sync.Once
	contractVal  *contract
	contractErr  error
)

// mustContract loads api/openapi.json once per test process.
func mustContract(tb testing.TB) *contract {
	tb.Helper()
	contractOnce.Do(func() {
		contractVal, contractErr = loadContract()
	})
	if contractErr != nil {
		tb.Fatalf("contract %s: %v", specPath, contractErr)
	}
	return contractVal
}

func loadContract() (*contract, error) {
	raw, err := os.ReadFile(specPath)
	if err != nil {
		return nil, err
	}
	// Formats the spec uses beyond the ones kin-openapi checks by default
	// (date-time): checked too, so a response cannot drift from them unnoticed.
	openapi3.DefineStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC9562))
	openapi3.DefineStringFormatValidator("email", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForEmail))
	openapi3.DefineStringFormatCallback("uri", func(s string) error {
		u, err := url.Parse(s)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return fmt.Errorf("not an absolute URI: %q", s)
		}
		return nil
	})
	openapi3filter.RegisterBodyDecoder("text/csv", openapi3filter.FileBodyDecoder)
	openapi3filter.RegisterBodyDecoder("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", openapi3filter.FileBodyDecoder)

	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("invalid OpenAPI 3.0: %w", err)
	}
	// The one server is "/" (relative: this service, whatever its host); the router
	// matches request paths directly without it.
	doc.Servers = nil
	router, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, err
	}
	sd, err := strict.New(raw)
	if err != nil {
		return nil, err
	}
	return &contract{doc: doc, router: router, raw: raw, strict: sd}, nil
}

// checkContract validates one exchange of the HTTP suite against the contract: the
// request (unless the test breaks it on purpose: req.invalid) and always the answer,
// whose status must be one the operation documents.
func (e *apiEnv) checkContract(hr *http.Request, reqBody []byte, out resp, invalid bool) {
	e.t.Helper()
	if strings.HasPrefix(hr.URL.Path, "/swagger/") {
		return // Swagger UI and its 2.0 spec are not operations of the contract
	}
	if hr.Method == http.MethodHead {
		return // HEAD is GET without the body (head.go); TestHead holds it to GET's answer
	}
	c := mustContract(e.t)
	ctx := context.Background()
	req := hr.Clone(ctx)
	req.Body = io.NopCloser(bytes.NewReader(reqBody))
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		if invalid && (out.Status == http.StatusNotFound || out.Status == http.StatusMethodNotAllowed) {
			return // a deliberately unknown path or method
		}
		e.t.Errorf("contract: %s %s is not in api/openapi.json: %v", hr.Method, hr.URL.Path, err)
		return
	}
	in := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true,
			RejectWhenRequestBodyNotSpecified: true, SkipSettingDefaults: true,
		},
	}
	if !invalid {
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			e.t.Errorf("contract: request %s %s breaks api/openapi.json (mark the test's req invalid if on purpose): %s",
				hr.Method, hr.URL.RequestURI(), shortErr(err))
		} else if mt := mediaType(hr.Header.Get("Content-Type")); len(reqBody) > 0 && strings.HasSuffix(mt, "json") {
			ptr := strict.Pointer("paths", route.Path, strings.ToLower(hr.Method), "requestBody", "content", mt, "schema")
			if err := c.strict.Validate(ptr, reqBody); err != nil {
				e.t.Errorf("contract: request %s %s breaks api/openapi.json as strict OpenAPI 3.0.3 validators read it: %v",
					hr.Method, hr.URL.RequestURI(), err)
			}
		}
	}
	if out.Status == http.StatusInternalServerError {
		e.t.Errorf("contract: %s %s answered 500 (documented for bugs only): %.600s", hr.Method, hr.URL.RequestURI(), out.Body)
	}
	rin := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: out.Status, Header: out.Header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	rin.SetBodyBytes(out.Body)
	if err := openapi3filter.ValidateResponse(ctx, rin); err != nil {
		e.t.Errorf("contract: answer %d to %s %s breaks api/openapi.json: %s\nbody: %.600s",
			out.Status, hr.Method, hr.URL.RequestURI(), shortErr(err), out.Body)
		return
	}
	if mt := mediaType(out.Header.Get("Content-Type")); len(out.Body) > 0 && strings.HasSuffix(mt, "json") && hr.Method != http.MethodHead {
		ptr := strict.Pointer("paths", route.Path, strings.ToLower(hr.Method), "responses", strconv.Itoa(out.Status), "content", mt, "schema")
		if err := c.strict.Validate(ptr, out.Body); err != nil {
			e.t.Errorf("contract: answer %d to %s %s breaks api/openapi.json as strict OpenAPI 3.0.3 validators read it: %v\nbody: %.600s",
				out.Status, hr.Method, hr.URL.RequestURI(), err, out.Body)
		}
	}
	// The problem examples of the contract name the type the server writes.
	if r := route.Operation.Responses.Status(out.Status); out.Status >= 400 && r != nil && r.Value != nil {
		if mt := r.Value.Content.Get("application/problem+json"); mt != nil {
			var p struct{ Type string }
			ex, _ := mt.Example.(map[string]any)
			if json.Unmarshal(out.Body, &p) == nil && ex != nil && ex["type"] != p.Type {
				e.t.Errorf("contract: the %d example of %s %s names type %v, the server wrote %q", out.Status, hr.Method, route.Path, ex["type"], p.Type)
			}
		}
	}
}

// mediaType is a Content-Type without its parameters.
func mediaType(ct string) string {
	mt, _, _ := strings.Cut(ct, ";")
	return strings.TrimSpace(mt)
}

// shortErr flattens a (multi) validation error into a few lines.
func shortErr(err error) string {
	var me openapi3.MultiError
	if errors.As(err, &me) {
		parts := make([]string, 0, len(me))
		for _, x := range me {
			parts = append(parts, shortErr(x))
		}
		return strings.Join(parts, "; ")
	}
	s := err.Error()
	if i := strings.Index(s, "\nSchema:"); i > 0 {
		s = s[:i]
	}
	return s
}

// echoPath turns an Echo route path (/partners/:id) into the spec's form
// (/partners/{id}).
var echoParam = regexp.MustCompile(`:([a-zA-Z_]+)`)

// TestContractRoutes: every route of the server is an operation of the contract and
// every operation is routed (Swagger UI aside).
func TestContractRoutes(t *testing.T) {
	c := mustContract(t)
	db := storetest.MustOpen(t, "sqlite")
	srv := httpapi.New(db, httpapi.Options{PublicRead: true, MetricsOnMain: true})
	routed := map[string]bool{}
	for _, r := range srv.Echo().Routes() {
		if strings.HasPrefix(r.Path, "/swagger") || r.Method == "echo_route_not_found" {
			continue
		}
		routed[r.Method+" "+echoParam.ReplaceAllString(r.Path, "{$1}")] = true
	}
	specified := map[string]bool{}
	for path, item := range c.doc.Paths.Map() {
		for method := range item.Operations() {
			specified[method+" "+path] = true
		}
	}
	for _, k := range sortedSet(routed) {
		if !specified[k] {
			t.Errorf("route %s is not in api/openapi.json", k)
		}
	}
	for _, k := range sortedSet(specified) {
		if !routed[k] {
			t.Errorf("api/openapi.json names %s, which no route serves", k)
		}
	}
}

// TestServedOpenAPIIsCommitted: GET /openapi.json is api/openapi.json, byte for byte,
// with an ETag that gives 304.
func TestServedOpenAPIIsCommitted(t *testing.T) {
	c := mustContract(t)
	served, err := httpapi.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(served, c.raw) {
		t.Fatal("the served contract differs from api/openapi.json: run go generate ./... and commit")
	}
	e := mustAPI(t, storetest.MustOpen(t, "sqlite"), httpapi.Options{PublicRead: true})
	r := e.get("/openapi.json", "")
	mustStatus(t, r, http.StatusOK)
	if !bytes.Equal(r.Body, c.raw) || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET /openapi.json: %s, %d bytes, want api/openapi.json", r.Header.Get("Content-Type"), len(r.Body))
	}
	again := e.do(http.MethodGet, "/openapi.json", req{headers: map[string]string{"If-None-Match": r.Header.Get("ETag")}})
	mustStatus(t, again, http.StatusNotModified)
}

// TestContractConventions checks the rules of the contract (api/README.md) that a
// schema validator does not: ids, bilingual summaries, problem+json for every error,
// JSON or a download for every success, partial dates as patterns.
func TestContractConventions(t *testing.T) {
	c := mustContract(t)
	ids := map[string]string{}
	for _, path := range c.doc.Paths.InMatchingOrder() {
		for method, op := range c.doc.Paths.Value(path).Operations() {
			name := method + " " + path
			if op.OperationID == "" {
				t.Errorf("%s: no operationId (@ID)", name)
			} else if prev, dup := ids[op.OperationID]; dup {
				t.Errorf("%s: operationId %s also on %s", name, op.OperationID, prev)
			}
			ids[op.OperationID] = name
			if !strings.Contains(op.Summary, " / ") {
				t.Errorf("%s: summary %q is not \"Deutsch / English\"", name, op.Summary)
			}
			if op.Description == "" && path != "/healthz" {
				t.Errorf("%s: no description", name)
			}
			for code, r := range op.Responses.Map() {
				switch {
				case code[0] == '4' || code[0] == '5':
					if r.Value.Content.Get("application/problem+json") == nil || len(r.Value.Content) != 1 {
						t.Errorf("%s %s: error body is not application/problem+json alone", name, code)
					}
					if code == "429" || code == "503" {
						if r.Value.Headers["Retry-After"] == nil {
							t.Errorf("%s %s: no Retry-After header", name, code)
						}
					}
				case code == "200" || code == "201":
					if len(r.Value.Content) == 0 {
						t.Errorf("%s %s: no body", name, code)
					}
				}
			}
			if !strings.HasPrefix(path, "/healthz") && !strings.HasPrefix(path, "/readyz") && op.Responses.Value("429") == nil {
				t.Errorf("%s: no 429 although rate limiting (IKZ_RATE_LIMIT) can apply", name)
			}
			// Any caller may send a bad token (401), and any handler may fail (500).
			want := []string{"401", "500"}
			for _, p := range op.Parameters {
				if p.Value.In == "query" {
					want = append(want, "400") // unknown or malformed query values
					break
				}
			}
			if op.RequestBody != nil {
				want = append(want, "400", "413", "415", "422")
			}
			for _, code := range want {
				if op.Responses.Value(code) == nil {
					t.Errorf("%s: does not document %s", name, code)
				}
			}
		}
	}
	datePattern := `^\d{4}(-\d{2}(-\d{2})?)?$`
	for name, s := range c.doc.Components.Schemas {
		for prop, p := range s.Value.Properties {
			if p.Value == nil || p.Ref != "" {
				continue
			}
			v := p.Value
			if strings.HasSuffix(prop, "_on") || prop == "since" || prop == "until" || prop == "as_of" {
				if !v.Type.Is("string") || v.Pattern != datePattern || v.Format != "" {
					t.Errorf("%s.%s: a partial date must be a string with pattern %s, not %v %q %q", name, prop, datePattern, v.Type, v.Format, v.Pattern)
				}
			}
			if v.Example == nil && v.Type != nil && (v.Type.Is("string") || v.Type.Is("integer") || v.Type.Is("number")) && v.Format != "binary" {
				t.Errorf("%s.%s: no example", name, prop)
			}
		}
	}
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return slices.Compact(out)
}
