// Package openapi turns the Swagger 2.0 spec that swag generates into the OpenAPI 3.0
// contract that client generators need, restoring what the conversion cannot know:
// problem+json error bodies, merge-patch request bodies, bearer security, the CSV and
// XLSX downloads, and the keywords swag v1 cannot write (pattern, minItems, maxItems,
// additionalProperties: false for bodies that refuse unknown fields).
//
// The generator (cmd/openapi-gen → api/openapi.json) and the server (GET /openapi.json)
// both call Convert on the same input, so what is served is what is committed.
package openapi

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
)

const (
	jsonType       = "application/json"
	problemJSON    = "application/problem+json"
	mergePatchJSON = "application/merge-patch+json"
	bearerScheme   = "BearerAuth"
)

// Convert converts a Swagger 2.0 document (docs/swagger.json) to OpenAPI 3.0 JSON,
// indented, with stable key order so that the committed file diffs cleanly.
func Convert(swagger2 []byte) ([]byte, error) {
	doc3, err := ToV3(swagger2)
	if err != nil {
		return nil, err
	}
	out, err := json.MarshalIndent(doc3, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// ToV3 converts and post-processes the document.
func ToV3(swagger2 []byte) (*openapi3.T, error) {
	swagger2, err := Swagger2(swagger2)
	if err != nil {
		return nil, err
	}
	var doc2 openapi2.T
	if err := json.Unmarshal(swagger2, &doc2); err != nil {
		return nil, fmt.Errorf("read swagger 2.0: %w", err)
	}
	doc3, err := openapi2conv.ToV3(&doc2)
	if err != nil {
		return nil, fmt.Errorf("convert to 3.0: %w", err)
	}
	doc3.Servers = openapi3.Servers{{
		URL:         "/",
		Description: "this service, wherever it runs (production, staging or local): the URL is relative to the document, paths are absolute (/api/v1/…, /healthz)",
		Extensions:  map[string]any{"x-internal": false},
	}}
	doc3.Components.SecuritySchemes = openapi3.SecuritySchemes{
		bearerScheme: &openapi3.SecuritySchemeRef{Value: &openapi3.SecurityScheme{
			Type: "http", Scheme: "bearer",
			Description: "API token (ikz_…) from `ikz-verzeichnis token create` or POST /api/v1/tokens, or an OIDC access token (JWT) when single sign-on is configured. / API-Token oder OIDC-Zugriffstoken.",
		}},
	}
	doc3.Components.Headers = commonHeaders()
	for _, name := range sortedKeys(doc3.Components.Schemas) {
		if err := walkSchema(doc3.Components.Schemas[name], map[*openapi3.Schema]bool{}, keywordsFromExtensions); err != nil {
			return nil, fmt.Errorf("schema %s: %w", name, err)
		}
	}
	strictRequestBodies(doc3)
	patches := patchSchemas(doc3)
	for _, path := range doc3.Paths.InMatchingOrder() {
		item := doc3.Paths.Value(path)
		for method, op := range item.Operations() {
			for _, p := range op.Parameters {
				if p.Value != nil && p.Value.Schema != nil {
					// Swagger2 moved the example to x-example (2.0 allows none here)
					p.Value.Example = exampleFor(p.Value.Schema.Value, p.Value.Extensions["x-example"])
					delete(p.Value.Extensions, "x-example")
					if len(p.Value.Extensions) == 0 {
						p.Value.Extensions = nil
					}
				}
			}
			if err := fixOperation(path, method, op, patches); err != nil {
				return nil, fmt.Errorf("%s %s: %w", method, path, err)
			}
		}
	}
	openDataBodies(doc3)
	importBodies(doc3)
	inlined := inlineNullableRefs(doc3)
	if err := pruneSchemas(doc3); err != nil {
		return nil, err
	}
	nameInlined(doc3, inlined)
	webhookEvents(doc3)
	nullEnums(doc3)
	if err := requestBodyExamples(doc3); err != nil {
		return nil, err
	}
	composeExamples(doc3)
	return doc3, nil
}

// exampleFor fits a parameter's example to its schema: a comma list becomes an array
// for array parameters.
func exampleFor(s *openapi3.Schema, ex any) any {
	if str, ok := ex.(string); ok && s != nil && s.Type.Is("array") {
		items := []any{}
		for _, x := range strings.Split(str, ",") {
			items = append(items, strings.TrimSpace(x))
		}
		return items
	}
	return ex
}

// commonHeaders are the response headers shared by many operations.
func commonHeaders() openapi3.Headers {
	str := func(desc string, ex any) *openapi3.HeaderRef {
		return &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{
			Description: desc, Example: ex,
			Schema: &openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{"string"}, MaxLength: ptr(uint64(200))}},
		}}}
	}
	retry := &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{
		Description: "seconds to wait before trying again / Sekunden bis zum nächsten Versuch",
		Required:    true, Example: 5,
		Schema: &openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{"integer"}, Format: "int32",
			Min: ptr(0.0), Max: ptr(86400.0)}},
	}}}
	return openapi3.Headers{
		"X-Request-ID":     str("id of the request (echoed when the request sent one); logs and problems carry it too", "7f1c0a4e9b2d4c1f"),
		"Retry-After":      retry,
		"WWW-Authenticate": str("authentication scheme to use", `Bearer realm="ikz-verzeichnis"`),
	}
}

// PartialDatePattern is the pattern of the domain's dates with their precision kept:
// "2016", "2016-11" or "2016-11-15" (coop.PartialDate). Parameters name it as
// format(partial-date), which swag passes on.
const PartialDatePattern = `^\d{4}(-\d{2}(-\d{2})?)?$`

// keywordsFromExtensions turns the extensions that stand in for keywords swag v1
// cannot write (x-pattern, x-min-items, x-max-items, x-example-json, format
// partial-date) into those keywords.
func keywordsFromExtensions(s *openapi3.Schema) error {
	if s.Format == "partial-date" {
		s.Format, s.Pattern = "", PartialDatePattern
	}
	if s.Type.Is("array") && s.MaxLength != nil && s.Items != nil && s.Items.Value != nil && s.Items.Ref == "" {
		// swag puts a list parameter's maxLength(…) on the list; it bounds each item
		s.Items.Value.MaxLength, s.MaxLength = s.MaxLength, nil
	}
	if s.Type.Is("integer") && s.Format == "" {
		// Go's int is 64 bits; parameters bounded to 32 bits say so
		s.Format = "int64"
		if s.Max != nil && *s.Max <= math.MaxInt32 && (s.Min == nil || *s.Min >= math.MinInt32) {
			s.Format = "int32"
		}
	}
	if s.Type == nil && s.Nullable && len(s.AllOf)+len(s.AnyOf)+len(s.OneOf) == 0 && len(s.Properties) == 0 {
		// any JSON value or null (a change's old and new values): OpenAPI 3.0 can say
		// that only as a choice of types, each with its type beside nullable
		s.Nullable = false
		s.AnyOf = openapi3.SchemaRefs{
			{Value: &openapi3.Schema{Type: &openapi3.Types{"string"}, Nullable: true}},
			{Value: &openapi3.Schema{Type: &openapi3.Types{"number"}}},
			{Value: &openapi3.Schema{Type: &openapi3.Types{"boolean"}}},
			{Value: &openapi3.Schema{Type: &openapi3.Types{"array"}, Items: &openapi3.SchemaRef{Value: &openapi3.Schema{}}}},
			{Value: &openapi3.Schema{Type: &openapi3.Types{"object"}}},
		}
	}
	if s.Type == nil && len(s.AllOf) == 1 && s.AllOf[0].Ref != "" && s.Nullable {
		// a nullable reference (allOf: [$ref] + nullable): nullable needs a type
		// beside it, and every component it refers to is an object
		s.Type = &openapi3.Types{"object"}
	}
	for key, v := range s.Extensions {
		str, _ := v.(string)
		switch key {
		case "x-pattern":
			s.Pattern = str
		case "x-min-items", "x-max-items":
			var n uint64
			if _, err := fmt.Sscanf(str, "%d", &n); err != nil {
				return fmt.Errorf("%s: %q is not a count", key, str)
			}
			if key == "x-min-items" {
				s.MinItems = n
			} else {
				s.MaxItems = &n
			}
		case "x-nullable":
			s.Nullable = v == true || str == "true"
		case "x-example-json":
			// an example swag's example tag cannot write (maps of objects or lists)
			if err := json.Unmarshal([]byte(str), &s.Example); err != nil {
				return fmt.Errorf("x-example-json: %w", err)
			}
		default:
			continue
		}
		delete(s.Extensions, key)
	}
	if len(s.Extensions) == 0 {
		s.Extensions = nil
	}
	return nil
}

// walkSchema calls fn on every schema reachable from ref (each once).
func walkSchema(ref *openapi3.SchemaRef, seen map[*openapi3.Schema]bool, fn func(*openapi3.Schema) error) error {
	if ref == nil || ref.Value == nil || seen[ref.Value] {
		return nil
	}
	s := ref.Value
	seen[s] = true
	if err := fn(s); err != nil {
		return err
	}
	for _, name := range sortedKeys(s.Properties) {
		if err := walkSchema(s.Properties[name], seen, fn); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	subs := append(append(append(openapi3.SchemaRefs{s.Items, s.AdditionalProperties.Schema}, s.AllOf...), s.OneOf...), s.AnyOf...)
	for _, sub := range subs {
		if err := walkSchema(sub, seen, fn); err != nil {
			return err
		}
	}
	return nil
}

// fixOperation moves error bodies to application/problem+json, lets PATCH bodies be
// merge patches, documents the shared headers, and marks public reads as optionally
// authenticated.
func fixOperation(path, method string, op *openapi3.Operation, patches map[string]string) error {
	if rb := op.RequestBody; rb != nil && rb.Value != nil {
		delete(rb.Value.Extensions, "x-originalParamName")
		if mt := rb.Value.Content.Get(jsonType); mt != nil && method == "PATCH" {
			if mt.Schema == nil || patches[mt.Schema.Ref] == "" {
				return fmt.Errorf("PATCH body is not a component schema with a merge-patch form")
			}
			patch := &openapi3.MediaType{Schema: &openapi3.SchemaRef{Ref: patches[mt.Schema.Ref]}}
			rb.Value.Content = openapi3.Content{jsonType: patch, mergePatchJSON: patch}
		}
	}
	for _, p := range op.Parameters {
		if p.Value == nil {
			continue
		}
		if err := walkSchema(p.Value.Schema, map[*openapi3.Schema]bool{}, keywordsFromExtensions); err != nil {
			return fmt.Errorf("parameter %s: %w", p.Value.Name, err)
		}
	}
	switch {
	case op.Security != nil:
	case strings.HasPrefix(path, "/api/"):
		// Public reads: anonymous unless IKZ_PUBLIC_READ=false; a token shows more
		// (finance for controlling and admin).
		op.Security = &openapi3.SecurityRequirements{{}, {bearerScheme: {}}}
	default:
		// Operations endpoints (health, metrics, the contract) need no token.
		op.Security = &openapi3.SecurityRequirements{}
	}
	if op.Responses == nil {
		return nil
	}
	for _, code := range sortedKeys(op.Responses.Map()) {
		r := op.Responses.Value(code)
		if r == nil || r.Value == nil {
			continue
		}
		resp := r.Value
		if resp.Headers == nil {
			resp.Headers = openapi3.Headers{}
		}
		resp.Headers["X-Request-ID"] = &openapi3.HeaderRef{Ref: "#/components/headers/X-Request-ID"}
		switch code {
		case "429", "503":
			resp.Headers["Retry-After"] = &openapi3.HeaderRef{Ref: "#/components/headers/Retry-After"}
		case "401":
			resp.Headers["WWW-Authenticate"] = &openapi3.HeaderRef{Ref: "#/components/headers/WWW-Authenticate"}
		}
		if len(code) == 3 && (code[0] == '4' || code[0] == '5') {
			var schema *openapi3.SchemaRef
			for _, name := range sortedKeys(resp.Content) {
				if mt := resp.Content[name]; mt.Schema != nil {
					schema = mt.Schema
					break
				}
			}
			if schema == nil {
				return fmt.Errorf("%s response without a Problem body", code)
			}
			resp.Content = openapi3.Content{problemJSON: &openapi3.MediaType{Schema: schema}}
			continue
		}
		// Success bodies keep only the media types that fit them: JSON for JSON, the
		// file types for downloads.
		if len(resp.Content) > 1 {
			for name := range resp.Content {
				if name == problemJSON || (strings.Contains(name, "json") && hasFileType(resp.Content)) {
					delete(resp.Content, name)
				}
			}
		}
	}
	return nil
}

func hasFileType(c openapi3.Content) bool {
	for name := range c {
		if strings.HasPrefix(name, "text/csv") || strings.Contains(name, "spreadsheetml") {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func ptr[T any](v T) *T { return &v }
