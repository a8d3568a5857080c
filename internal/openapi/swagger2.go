package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Swagger2 makes the Swagger 2.0 document swag writes valid under the Swagger 2.0
// schema (what swagger-parser and Dredd check), so that docs/swagger.json and the
// served /swagger/doc.json are one and the same valid document:
//
//   - swag writes a parameter's example(…) as "example", which 2.0 allows only on body
//     parameters: it becomes the extension "x-example" (Convert turns it back into the
//     3.0 parameter's example);
//   - the served copy has "host": "" and "schemes": [] (swag's template with no @host,
//     @schemes): an empty host breaks the schema, and both mean "the host and scheme
//     that served the document" when absent, so they are left out.
//
// The output is indented with four spaces and its keys sorted; cleaning a clean
// document changes nothing.
func Swagger2(raw []byte) ([]byte, error) {
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("read swagger 2.0: %w", err)
	}
	if h, ok := doc["host"].(string); ok && h == "" {
		delete(doc, "host")
	}
	if s, ok := doc["schemes"].([]any); ok && len(s) == 0 {
		delete(doc, "schemes")
	}
	paths, _ := doc["paths"].(map[string]any)
	for _, item := range paths {
		ops, _ := item.(map[string]any)
		for _, op := range ops {
			o, _ := op.(map[string]any)
			params, _ := o["parameters"].([]any)
			for _, p := range params {
				param, _ := p.(map[string]any)
				if ex, ok := param["example"]; ok && param["in"] != "body" {
					param["x-example"] = ex
					delete(param, "example")
				}
			}
		}
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "    ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
