// Package openapi turns the Swagger 2.0 spec that swag generates into the OpenAPI 3.0
// contract that client generators need, restoring what the conversion cannot know:
// problem+json error bodies, merge-patch request bodies, bearer security, and the
// partial-date and nullable conventions of the API.
package openapi

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
)

const (
	problemJSON    = "application/problem+json"
	mergePatchJSON = "application/merge-patch+json"
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
	var doc2 openapi2.T
	if err := json.Unmarshal(swagger2, &doc2); err != nil {
		return nil, fmt.Errorf("read swagger 2.0: %w", err)
	}
	doc3, err := openapi2conv.ToV3(&doc2)
	if err != nil {
		return nil, fmt.Errorf("convert to 3.0: %w", err)
	}
	doc3.Servers = openapi3.Servers{{URL: "/", Description: "this service"}}
	doc3.Components.SecuritySchemes = openapi3.SecuritySchemes{
		"BearerAuth": &openapi3.SecuritySchemeRef{Value: &openapi3.SecurityScheme{
			Type: "http", Scheme: "bearer",
			Description: "API token (ikz_…) from `ikz-verzeichnis token create` or POST /api/v1/tokens, or an OIDC access token (JWT) when single sign-on is configured.",
		}},
	}
	for _, path := range doc3.Paths.InMatchingOrder() {
		item := doc3.Paths.Value(path)
		for method, op := range item.Operations() {
			fixOperation(method, op)
		}
	}
	return doc3, nil
}

// fixOperation moves error bodies to application/problem+json, lets PATCH bodies be
// merge patches, and lists both JSON media types where the API answers JSON.
func fixOperation(method string, op *openapi3.Operation) {
	if op.RequestBody != nil && op.RequestBody.Value != nil {
		content := op.RequestBody.Value.Content
		if mt := content.Get("application/json"); mt != nil && method == "PATCH" {
			content[mergePatchJSON] = mt
		}
	}
	if op.Responses == nil {
		return
	}
	codes := make([]string, 0, op.Responses.Len())
	for code := range op.Responses.Map() {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		r := op.Responses.Value(code)
		if r == nil || r.Value == nil {
			continue
		}
		if len(code) == 3 && (code[0] == '4' || code[0] == '5') {
			var schema *openapi3.SchemaRef
			for _, mt := range r.Value.Content {
				if mt.Schema != nil {
					schema = mt.Schema
					break
				}
			}
			if schema != nil {
				r.Value.Content = openapi3.Content{problemJSON: &openapi3.MediaType{Schema: schema}}
			}
			continue
		}
		// Success bodies keep only the media types that fit them: JSON for JSON, the
		// file types for downloads.
		if len(r.Value.Content) > 1 {
			for name := range r.Value.Content {
				if name == problemJSON || (strings.Contains(name, "json") && hasFileType(r.Value.Content)) {
					delete(r.Value.Content, name)
				}
			}
		}
	}
}

func hasFileType(c openapi3.Content) bool {
	for name := range c {
		if strings.HasPrefix(name, "text/csv") || strings.Contains(name, "spreadsheetml") {
			return true
		}
	}
	return false
}
