package openapi

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

const schemaPrefix = "#/components/schemas/"

// component returns the component schema a $ref names (nil if none).
func component(doc *openapi3.T, ref string) *openapi3.Schema {
	if !strings.HasPrefix(ref, schemaPrefix) {
		return nil
	}
	if s := doc.Components.Schemas[strings.TrimPrefix(ref, schemaPrefix)]; s != nil {
		return s.Value
	}
	return nil
}

// reach calls fn on every schema reachable from ref, following $refs into the
// components (each schema once).
func reach(doc *openapi3.T, ref *openapi3.SchemaRef, seen map[*openapi3.Schema]bool, fn func(*openapi3.Schema)) {
	if ref == nil {
		return
	}
	s := ref.Value
	if ref.Ref != "" {
		s = component(doc, ref.Ref)
	}
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	fn(s)
	for _, name := range sortedKeys(s.Properties) {
		reach(doc, s.Properties[name], seen, fn)
	}
	for _, sub := range append(append(openapi3.SchemaRefs{s.Items, s.AdditionalProperties.Schema}, s.AllOf...), s.OneOf...) {
		reach(doc, sub, seen, fn)
	}
}

// strictRequestBodies marks every object reachable from a JSON request body with
// additionalProperties: false: the API refuses unknown fields with a 400.
func strictRequestBodies(doc *openapi3.T) {
	seen := map[*openapi3.Schema]bool{}
	for _, path := range doc.Paths.InMatchingOrder() {
		for _, op := range doc.Paths.Value(path).Operations() {
			if op.RequestBody == nil || op.RequestBody.Value == nil {
				continue
			}
			for _, mt := range op.RequestBody.Value.Content {
				reach(doc, mt.Schema, seen, func(s *openapi3.Schema) {
					if s.Type.Is("object") && len(s.Properties) > 0 && s.AdditionalProperties.Schema == nil {
						s.AdditionalProperties = openapi3.AdditionalProperties{Has: ptr(false)}
					}
				})
			}
		}
	}
}

// patchSchemas adds, for the body of every PATCH, its JSON Merge Patch form (RFC 7396):
// PartnerInput → PartnerPatch with every field optional, optional fields nullable
// (null clears them) and nested objects as patches of their own (they merge); lists
// are replaced whole, so their items keep their rules. It returns the $ref of each
// patch form by the $ref of its source.
func patchSchemas(doc *openapi3.T) map[string]string {
	out := map[string]string{}
	for _, path := range doc.Paths.InMatchingOrder() {
		op := doc.Paths.Value(path).Patch
		if op == nil || op.RequestBody == nil || op.RequestBody.Value == nil {
			continue
		}
		if mt := op.RequestBody.Value.Content.Get(jsonType); mt != nil && mt.Schema != nil {
			patchOf(doc, mt.Schema.Ref, out)
		}
	}
	return out
}

// patchOf creates the patch form of the component ref (once) and returns its $ref.
func patchOf(doc *openapi3.T, ref string, done map[string]string) string {
	if p, ok := done[ref]; ok {
		return p
	}
	src := component(doc, ref)
	if src == nil || !src.Type.Is("object") {
		return ""
	}
	name := strings.TrimPrefix(ref, schemaPrefix)
	patchName := strings.TrimSuffix(name, "Input") + "Patch"
	patchRef := schemaPrefix + patchName
	done[ref] = patchRef
	required := map[string]bool{}
	for _, r := range src.Required {
		required[r] = true
	}
	p := &openapi3.Schema{
		Type:                 &openapi3.Types{"object"},
		Description:          "JSON Merge Patch (RFC 7396) of " + name + ": any subset of its fields; `null` clears an optional field, objects merge, lists are replaced whole. / Beliebige Teilmenge der Felder; `null` löscht ein optionales Feld.",
		Properties:           openapi3.Schemas{},
		AdditionalProperties: src.AdditionalProperties,
	}
	for _, prop := range sortedKeys(src.Properties) {
		p.Properties[prop] = patchProperty(doc, src.Properties[prop], !required[prop], done)
	}
	doc.Components.Schemas[patchName] = &openapi3.SchemaRef{Value: p}
	return patchRef
}

// patchProperty is a property of a patch form: nested objects become patches,
// anything else stays as it is; optional ones may be null.
func patchProperty(doc *openapi3.T, prop *openapi3.SchemaRef, nullable bool, done map[string]string) *openapi3.SchemaRef {
	target, desc := prop.Ref, ""
	if target == "" && prop.Value != nil && len(prop.Value.AllOf) == 1 && len(prop.Value.Properties) == 0 {
		target, desc = prop.Value.AllOf[0].Ref, prop.Value.Description
	}
	if target != "" {
		if pr := patchOf(doc, target, done); pr != "" {
			return &openapi3.SchemaRef{Value: &openapi3.Schema{
				Type: &openapi3.Types{"object"}, AllOf: openapi3.SchemaRefs{{Ref: pr}}, Description: desc, Nullable: nullable,
			}}
		}
		if prop.Ref != "" {
			// A $ref to a non-object (none in this API) cannot carry nullable.
			return prop
		}
	}
	cp := *prop.Value
	cp.Nullable = cp.Nullable || nullable
	return &openapi3.SchemaRef{Value: &cp}
}

var schemaRef = regexp.MustCompile(`"#/components/schemas/([^"]+)"`)

// pruneSchemas drops component schemas that nothing refers to any more (the sources
// of the patch forms that only PATCH used).
func pruneSchemas(doc *openapi3.T) error {
	for {
		raw, err := json.Marshal(doc)
		if err != nil {
			return err
		}
		used := map[string]bool{}
		for _, m := range schemaRef.FindAllSubmatch(raw, -1) {
			used[string(m[1])] = true
		}
		dropped := false
		for name := range doc.Components.Schemas {
			if !used[name] {
				delete(doc.Components.Schemas, name)
				dropped = true
			}
		}
		if !dropped {
			return nil
		}
	}
}

// composeExamples gives every JSON request and answer body an example composed of its
// schema's property examples (nested references composed the same way, lists with one
// item), so that each operation shows a whole, valid instance; lint checks them against
// the schemas. They sit on the media types, not on the schemas, so that a schema's
// example never ends up inside another one.
func composeExamples(doc *openapi3.T) {
	done := map[string]any{}
	fill := func(c openapi3.Content) {
		for _, name := range sortedKeys(c) {
			mt := c[name]
			if strings.Contains(name, "json") && mt.Schema != nil && mt.Example == nil {
				mt.Example = exampleOf(doc, mt.Schema, done, map[string]bool{})
			}
		}
	}
	for _, path := range doc.Paths.InMatchingOrder() {
		for _, op := range doc.Paths.Value(path).Operations() {
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				fill(op.RequestBody.Value.Content)
			}
			for code, r := range op.Responses.Map() {
				if r.Value == nil {
					continue
				}
				fill(r.Value.Content)
				if mt := r.Value.Content.Get(problemJSON); mt != nil {
					mt.Example = problemExample(code, path, mt.Example)
				}
			}
		}
	}
}

// problemTypes are the problem type slugs the server writes (httpapi's problemSlug).
var problemTypes = map[int]string{
	400: "bad-request", 401: "unauthorized", 403: "forbidden", 404: "not-found",
	409: "conflict", 412: "precondition-failed", 413: "body-too-large",
	415: "unsupported-media-type", 422: "validation", 429: "rate-limited", 503: "unavailable",
}

// exampleIDs fills the {id} of a path in problem examples.
var exampleIDs = strings.NewReplacer(
	"/partners/{id}", "/partners/citeq", "/cooperations/{id}", "/cooperations/it-kooperation-muenster-lwl",
	"/projects/{id}", "/projects/it-hotline", "/solutions/{id}", "/solutions/dips-kommunal",
	"/tokens/{id}", "/tokens/5f0e4c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b")

// problemExample fits the composed Problem example to the status it answers: status,
// title and type of that status; field errors only on 422, allowed and blocked_by only
// on 409.
func problemExample(code, path string, ex any) any {
	base, ok := ex.(map[string]any)
	status, err := strconv.Atoi(code)
	if !ok || err != nil {
		return ex
	}
	out := map[string]any{}
	for k, v := range base {
		out[k] = v
	}
	slug := problemTypes[status]
	if slug == "" {
		slug = code
	}
	out["status"], out["title"], out["type"] = status, http.StatusText(status), "https://ikz-verzeichnis.de/problems/"+slug
	out["instance"] = exampleIDs.Replace(path)
	if status != http.StatusUnprocessableEntity {
		delete(out, "errors")
		delete(out, "detail")
	}
	if status != http.StatusConflict {
		delete(out, "allowed")
		delete(out, "blocked_by")
	}
	if status == http.StatusInternalServerError {
		out["detail"] = "internal error"
	}
	return out
}

// exampleOf composes the example of one schema (nil if it has none).
func exampleOf(doc *openapi3.T, ref *openapi3.SchemaRef, done map[string]any, busy map[string]bool) any {
	if ref == nil {
		return nil
	}
	s := ref.Value
	if ref.Ref != "" {
		if ex, ok := done[ref.Ref]; ok {
			return ex
		}
		if busy[ref.Ref] {
			return nil // a cycle: none in this API
		}
		busy[ref.Ref] = true
		defer delete(busy, ref.Ref)
		s = component(doc, ref.Ref)
	}
	if s == nil {
		return nil
	}
	var ex any
	switch {
	case s.Example != nil:
		ex = s.Example
	case len(s.AllOf) == 1:
		ex = exampleOf(doc, s.AllOf[0], done, busy)
	case s.Type.Is("array"):
		if item := exampleOf(doc, s.Items, done, busy); item != nil {
			list := []any{item}
			for uint64(len(list)) < s.MinItems {
				list = append(list, item)
			}
			ex = list
		}
	case s.Type.Is("object") && len(s.Properties) > 0:
		obj := map[string]any{}
		for _, name := range sortedKeys(s.Properties) {
			if v := exampleOf(doc, s.Properties[name], done, busy); v != nil {
				obj[name] = v
			}
		}
		ex = obj
	}
	if ref.Ref != "" {
		done[ref.Ref] = ex
	}
	return ex
}
