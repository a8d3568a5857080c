package openapi

import (
	"maps"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Nullable references under OpenAPI 3.0.3's own wording: `nullable: true` adds null
// only to a `type` in the same schema object. `{nullable: true, allOf: [$ref]}` — what
// the 2.0 → 3.0 conversion writes for x-nullable references — therefore still refuses
// null: the referenced object schema vetoes it, and strict validators (Prism, Portman's
// ajv, swagger-parser) reject every partner without parent and every merge patch that
// clears an address. kin-openapi lets it pass, so only strict tools see it.
//
// The wire stays as it is (an absent reference is null, as a merge patch clears it),
// and such a property becomes a copy of the referenced schema with `nullable: true`
// beside its own `type: object`: valid for strict 3.0.3 validators, `T | null` in
// openapi-typescript. A `oneOf: [$ref, null]` would say the same, but oapi-codegen
// turns it into a union of raw JSON; the copy carries oapi-codegen's x-go-type (the
// component's Go type, when it is still a component) or x-go-type-name (the name of
// the component it was, when only such properties used it), so that the Go client
// keeps *Ref, *AddressPatch, *FinanceInput.

// inlinedRef is a property that became a nullable copy of component name.
type inlinedRef struct {
	schema *openapi3.Schema
	name   string
}

// inlineNullableRefs replaces every nullable reference among the component schemas'
// properties by a nullable copy of what it refers to.
func inlineNullableRefs(doc *openapi3.T) []inlinedRef {
	var out []inlinedRef
	for _, name := range sortedKeys(doc.Components.Schemas) {
		s := doc.Components.Schemas[name].Value
		if s == nil {
			continue
		}
		for _, prop := range sortedKeys(s.Properties) {
			p := s.Properties[prop]
			if p.Ref != "" || p.Value == nil || !p.Value.Nullable || len(p.Value.AllOf) != 1 || len(p.Value.Properties) != 0 {
				continue
			}
			ref := p.Value.AllOf[0].Ref
			target := component(doc, ref)
			if target == nil || !target.Type.Is("object") {
				continue
			}
			cp := *target
			cp.Nullable = true
			cp.Extensions = maps.Clone(target.Extensions)
			if p.Value.Description != "" {
				cp.Description = p.Value.Description
			}
			s.Properties[prop] = &openapi3.SchemaRef{Value: &cp}
			out = append(out, inlinedRef{schema: &cp, name: strings.TrimPrefix(ref, schemaPrefix)})
		}
	}
	return out
}

// nameInlined tells oapi-codegen the Go type of each inlined copy (after unused
// components are pruned, so that it knows which still exist).
func nameInlined(doc *openapi3.T, list []inlinedRef) {
	for _, x := range list {
		if x.schema.Extensions == nil {
			x.schema.Extensions = map[string]any{}
		}
		if doc.Components.Schemas[x.name] != nil {
			x.schema.Extensions["x-go-type"] = x.name
		} else {
			x.schema.Extensions["x-go-type-name"] = x.name
		}
	}
}

// nullEnums lists null among the values of every nullable enum: under 3.0.3 the enum
// vetoes what it does not list, null included (StatusChange.from, the patch bodies'
// optional codes).
func nullEnums(doc *openapi3.T) {
	seen := map[*openapi3.Schema]bool{}
	for _, name := range sortedKeys(doc.Components.Schemas) {
		_ = walkSchema(doc.Components.Schemas[name], seen, func(s *openapi3.Schema) error {
			if s.Nullable && len(s.Enum) > 0 && !slices.Contains(s.Enum, nil) {
				s.Enum = append(slices.Clip(s.Enum), nil)
			}
			return nil
		})
	}
}
