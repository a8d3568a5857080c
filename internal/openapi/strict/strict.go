// Package strict validates JSON values against the schemas of an OpenAPI 3.0 document
// as the strict tools read OpenAPI 3.0.3 (Prism and Portman's ajv, swagger-parser):
// `nullable: true` adds null only to the `type` beside it in the same schema object,
// an enum refuses what it does not list (null too), a `$ref`'d schema keeps its veto.
// kin-openapi, which the HTTP suite's contract check uses, lets a nullable allOf of a
// $ref and a nullable enum pass null; this package does not. It is for tests.
package strict

import (
	"bytes"
	"fmt"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

const docURL = "file:///openapi.json"

// Doc is an OpenAPI 3.0 document whose schemas validate values.
type Doc struct {
	compiler *jsonschema.Compiler
	mu       sync.Mutex
	schemas  map[string]*jsonschema.Schema
}

// New reads an OpenAPI 3.0 document (JSON).
func New(openapiJSON []byte) (*Doc, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(openapiJSON))
	if err != nil {
		return nil, fmt.Errorf("read the document: %w", err)
	}
	toJSONSchema(doc)
	c := jsonschema.NewCompiler()
	// OpenAPI 3.0's schema object is JSON Schema Wright draft 00 (draft 5): boolean
	// exclusiveMinimum/Maximum as in draft 4.
	c.DefaultDraft(jsonschema.Draft4)
	c.AssertFormat()
	if err := c.AddResource(docURL, doc); err != nil {
		return nil, err
	}
	return &Doc{compiler: c, schemas: map[string]*jsonschema.Schema{}}, nil
}

// toJSONSchema rewrites the OpenAPI 3.0 keywords that JSON Schema reads differently:
// `type: T, nullable: true` becomes `type: [T, "null"]`; `nullable` without a type
// adds nothing (an untyped schema allows null already).
func toJSONSchema(v any) {
	switch x := v.(type) {
	case map[string]any:
		if x["nullable"] == true {
			if t, ok := x["type"].(string); ok {
				x["type"] = []any{t, "null"}
			}
		}
		delete(x, "nullable")
		for k, sub := range x {
			if k != "example" && k != "enum" && k != "default" {
				toJSONSchema(sub)
			}
		}
	case []any:
		for _, sub := range x {
			toJSONSchema(sub)
		}
	}
}

// Pointer is the JSON pointer of a document's node: Pointer("paths", "/api/v1/partners",
// "get") = "/paths/~1api~1v1~1partners/get".
func Pointer(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteByte('/')
		b.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(p))
	}
	return b.String()
}

// Validate checks value (as encoding/json decodes it into any, or raw JSON bytes)
// against the schema at the document's JSON pointer.
func (d *Doc) Validate(pointer string, value any) error {
	if raw, ok := value.([]byte); ok {
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			return fmt.Errorf("not JSON: %w", err)
		}
		value = v
	}
	d.mu.Lock()
	s, ok := d.schemas[pointer]
	if !ok {
		var err error
		if s, err = d.compiler.Compile(docURL + "#" + pointer); err != nil {
			d.mu.Unlock()
			return fmt.Errorf("schema %s: %w", pointer, err)
		}
		d.schemas[pointer] = s
	}
	d.mu.Unlock()
	return s.Validate(value)
}
