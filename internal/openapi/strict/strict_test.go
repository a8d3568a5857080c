package strict_test

import (
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/openapi/strict"
)

// doc has the two forms of a nullable reference: the allOf one, which strict 3.0.3
// readers refuse null for, and a nullable object.
const doc = `{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
 "components": {"schemas": {
  "Ref": {"type": "object", "required": ["slug"], "properties": {"slug": {"type": "string"}}},
  "Thing": {"type": "object", "properties": {
    "allof": {"type": "object", "nullable": true, "allOf": [{"$ref": "#/components/schemas/Ref"}]},
    "inline": {"type": "object", "nullable": true, "required": ["slug"], "properties": {"slug": {"type": "string"}}},
    "code": {"type": "string", "nullable": true, "enum": ["a", "b"]},
    "code2": {"type": "string", "nullable": true, "enum": ["a", "b", null]},
    "at": {"type": "string", "format": "date-time"},
    "n": {"type": "integer", "minimum": 1, "exclusiveMinimum": true}
  }}}}}`

func TestStrictNullable(t *testing.T) {
	d, err := strict.New([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	thing := strict.Pointer("components", "schemas", "Thing")
	for _, c := range []struct {
		body string
		ok   bool
	}{
		{`{"allof": {"slug": "citeq"}}`, true},
		{`{"allof": null}`, false}, // the $ref'd object vetoes null
		{`{"inline": null}`, true},
		{`{"inline": {"slug": "citeq"}}`, true},
		{`{"inline": {}}`, false},
		{`{"code": null}`, false}, // the enum vetoes null
		{`{"code2": null}`, true},
		{`{"code2": "c"}`, false},
		{`{"at": "yesterday"}`, false},
		{`{"n": 1}`, false},
		{`{"n": 2}`, true},
	} {
		if err := d.Validate(thing, []byte(c.body)); (err == nil) != c.ok {
			t.Errorf("%s: valid %v, want %v (%v)", c.body, err == nil, c.ok, err)
		}
	}
}
