package openapi_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/openapi"
)

// swagger2 is a small document in the shape swag writes: a create and a merge patch
// with the same input, problem bodies, a partial-date parameter with an example, the
// extensions that stand in for keywords swag v1 cannot write.
const swagger2 = `{
  "swagger": "2.0", "info": {"title": "t", "version": "1"}, "basePath": "/",
  "produces": ["application/json"], "consumes": ["application/json"],
  "paths": {
    "/api/v1/things": {
      "get": {
        "operationId": "listThings",
        "parameters": [
          {"name": "since", "in": "query", "type": "string", "format": "partial-date", "example": "2016-11"},
          {"name": "status", "in": "query", "type": "array", "items": {"type": "string", "enum": ["a", "b"]}, "collectionFormat": "csv", "example": "a,b"},
          {"name": "limit", "in": "query", "type": "integer", "minimum": 1, "maximum": 500}
        ],
        "responses": {
          "200": {"description": "OK", "schema": {"$ref": "#/definitions/Thing"}},
          "429": {"description": "Too Many Requests", "schema": {"$ref": "#/definitions/Problem"}}
        }
      },
      "post": {
        "operationId": "createThing", "security": [{"BearerAuth": []}],
        "parameters": [{"name": "body", "in": "body", "required": true, "schema": {"$ref": "#/definitions/ThingInput"}}],
        "responses": {
          "201": {"description": "Created", "schema": {"$ref": "#/definitions/Thing"}},
          "422": {"description": "Unprocessable Entity", "schema": {"$ref": "#/definitions/Problem"}}
        }
      }
    },
    "/api/v1/things/{id}": {
      "patch": {
        "operationId": "updateThing", "security": [{"BearerAuth": []}],
        "parameters": [
          {"name": "id", "in": "path", "required": true, "type": "string"},
          {"name": "body", "in": "body", "required": true, "schema": {"$ref": "#/definitions/ThingInput"}}
        ],
        "responses": {"200": {"description": "OK", "schema": {"$ref": "#/definitions/Thing"}}}
      }
    }
  },
  "definitions": {
    "Problem": {"type": "object", "required": ["status"], "properties": {"status": {"type": "integer", "example": 422}}},
    "Address": {"type": "object", "properties": {"city": {"type": "string", "maxLength": 300, "example": "Münster"}}},
    "Thing": {"type": "object", "required": ["name", "started_on"], "properties": {
      "name": {"type": "string", "example": "citeq"},
      "started_on": {"type": "string", "x-pattern": "^\\d{4}(-\\d{2}(-\\d{2})?)?$", "example": "2016-11"},
      "parent": {"x-nullable": true, "allOf": [{"$ref": "#/definitions/Address"}]}
    }},
    "ThingInput": {"type": "object", "required": ["name", "members"], "properties": {
      "name": {"type": "string", "maxLength": 300, "example": "citeq"},
      "description": {"type": "string", "maxLength": 20000, "example": "IT-Dienstleister"},
      "members": {"type": "array", "items": {"type": "string"}, "x-min-items": "2", "example": ["citeq", "lwl"]},
      "kind": {"type": "string", "enum": ["a", "b"], "example": "a"},
      "address": {"$ref": "#/definitions/Address"}
    }}
  },
  "securityDefinitions": {"BearerAuth": {"type": "apiKey", "in": "header", "name": "Authorization"}}
}`

func TestConvert(t *testing.T) {
	raw, err := openapi.Convert([]byte(swagger2))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(t.Context()); err != nil {
		t.Fatalf("not valid OpenAPI 3.0: %v", err)
	}
	schemas := doc.Components.Schemas

	// the merge-patch form: nothing required, optional fields nullable, objects patch
	patch := schemas["ThingPatch"]
	if patch == nil {
		t.Fatalf("no ThingPatch among %v", keys(schemas))
	}
	if p := patch.Value; len(p.Required) != 0 || !p.Properties["description"].Value.Nullable || p.Properties["name"].Value.Nullable ||
		p.AdditionalProperties.Has == nil || *p.AdditionalProperties.Has {
		t.Errorf("ThingPatch = %+v", p)
	}
	// a nested object of a patch may be null (it clears the object): under OpenAPI
	// 3.0.3, nullable needs its type beside it, not an allOf of a $ref
	if a := patch.Value.Properties["address"]; a.Ref != "" || !a.Value.Nullable || !a.Value.Type.Is("object") || len(a.Value.AllOf) != 0 ||
		a.Value.Properties["city"] == nil || a.Value.Extensions["x-go-type-name"] != "AddressPatch" {
		t.Errorf("ThingPatch.address = %+v", a.Value)
	}
	// a nullable enum lists null
	if k := patch.Value.Properties["kind"].Value; !k.Nullable || len(k.Enum) != 3 || k.Enum[2] != nil {
		t.Errorf("ThingPatch.kind = %+v", k)
	}
	if k := schemas["ThingInput"].Value.Properties["kind"].Value; len(k.Enum) != 2 {
		t.Errorf("ThingInput.kind (not nullable) = %+v", k)
	}
	body := doc.Paths.Value("/api/v1/things/{id}").Patch.RequestBody.Value.Content
	for _, mt := range []string{"application/json", "application/merge-patch+json"} {
		if body[mt] == nil || body[mt].Schema.Ref != "#/components/schemas/ThingPatch" {
			t.Errorf("PATCH body %s: %+v", mt, body[mt])
		}
	}

	// keywords swag cannot write; strict request bodies
	in := schemas["ThingInput"].Value
	if in.Properties["members"].Value.MinItems != 2 || in.AdditionalProperties.Has == nil || *in.AdditionalProperties.Has {
		t.Errorf("ThingInput = %+v", in)
	}
	thing := schemas["Thing"].Value
	if thing.Properties["started_on"].Value.Pattern != openapi.PartialDatePattern || thing.Properties["started_on"].Value.Extensions != nil {
		t.Errorf("started_on = %+v", thing.Properties["started_on"].Value)
	}
	if p := thing.Properties["parent"].Value; !p.Nullable || !p.Type.Is("object") || len(p.AllOf) != 0 || p.Properties["city"] == nil ||
		p.Extensions["x-go-type"] != "Address" {
		t.Errorf("nullable ref = %+v", p)
	}

	// parameters: partial dates, examples, integer formats
	list := doc.Paths.Value("/api/v1/things").Get
	since, status, limit := list.Parameters[0].Value, list.Parameters[1].Value, list.Parameters[2].Value
	if since.Schema.Value.Pattern != openapi.PartialDatePattern || since.Schema.Value.Format != "" || since.Example != "2016-11" {
		t.Errorf("since = %+v %+v", since, since.Schema.Value)
	}
	if ex, ok := status.Example.([]any); !ok || len(ex) != 2 || status.Extensions["x-example"] != nil {
		t.Errorf("status example = %#v, extensions %v", status.Example, status.Extensions)
	}
	if limit.Schema.Value.Format != "int32" {
		t.Errorf("limit format = %q", limit.Schema.Value.Format)
	}

	// problems, headers, security, examples
	tooMany := list.Responses.Value("429").Value
	if tooMany.Content.Get("application/problem+json") == nil || len(tooMany.Content) != 1 || tooMany.Headers["Retry-After"] == nil {
		t.Errorf("429 = %+v", tooMany)
	}
	if list.Security == nil || len(*list.Security) != 2 {
		t.Errorf("public read security = %+v", list.Security)
	}
	create := doc.Paths.Value("/api/v1/things").Post
	ex, _ := create.RequestBody.Value.Content.Get("application/json").Example.(map[string]any)
	if members, _ := ex["members"].([]any); ex["name"] != "citeq" || len(members) != 2 {
		t.Errorf("composed request example = %#v", ex)
	}
	if doc.Components.SecuritySchemes["BearerAuth"].Value.Scheme != "bearer" {
		t.Error("no bearer scheme")
	}
}

func keys(m openapi3.Schemas) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestSwagger2: swag's document becomes valid Swagger 2.0: a non-body parameter's
// example moves to x-example, an empty host and empty schemes go; a clean document
// stays as it is.
func TestSwagger2(t *testing.T) {
	in := `{"swagger": "2.0", "host": "", "schemes": [], "basePath": "/", "info": {"title": "t", "version": "1"},
	  "paths": {"/a": {"get": {"parameters": [
	    {"name": "q", "in": "query", "type": "string", "example": "Archivierung"},
	    {"name": "body", "in": "body", "schema": {"type": "object"}, "example": {"x": 1}}],
	  "responses": {"200": {"description": "OK"}}}}}}`
	out, err := openapi.Swagger2([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if _, ok := doc["host"]; ok {
		t.Errorf("empty host kept: %s", out)
	}
	if _, ok := doc["schemes"]; ok {
		t.Errorf("empty schemes kept: %s", out)
	}
	params := doc["paths"].(map[string]any)["/a"].(map[string]any)["get"].(map[string]any)["parameters"].([]any)
	q, body := params[0].(map[string]any), params[1].(map[string]any)
	if q["example"] != nil || q["x-example"] != "Archivierung" || body["example"] == nil {
		t.Errorf("parameters: %v", params)
	}
	again, err := openapi.Swagger2(out)
	if err != nil || !bytes.Equal(again, out) {
		t.Errorf("cleaning a clean document changed it: %v\n%s\n%s", err, out, again)
	}
}
