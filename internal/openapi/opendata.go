package openapi

import (
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

const (
	ldJSONType   = "application/ld+json"
	linkedDataID = "LinkedData"
)

// exportItems are the download paths with a JSON form and the schema of their items.
var exportItems = map[string]string{
	"/api/v1/exports/partners":     "Partner",
	"/api/v1/exports/cooperations": "Cooperation",
	"/api/v1/exports/projects":     "Project",
}

// openDataBodies gives the open-data answers the schemas swag cannot write (it gives
// every media type of an answer the same schema): application/ld+json answers are
// JSON-LD documents (LinkedData), and the downloads' application/json is an array of
// the collection's items.
func openDataBodies(doc *openapi3.T) {
	used := false
	for _, path := range doc.Paths.InMatchingOrder() {
		op := doc.Paths.Value(path).Get
		if op == nil || op.Responses == nil {
			continue
		}
		ok := op.Responses.Value("200")
		if ok == nil || ok.Value == nil {
			continue
		}
		if mt := ok.Value.Content.Get(ldJSONType); mt != nil {
			mt.Schema = &openapi3.SchemaRef{Ref: "#/components/schemas/" + linkedDataID}
			mt.Example = linkedDataExamples[path]
			used = true
		}
		if item, isExport := exportItems[path]; isExport {
			ok.Value.Content[jsonType] = &openapi3.MediaType{Schema: &openapi3.SchemaRef{Value: &openapi3.Schema{
				Type:  &openapi3.Types{"array"},
				Items: &openapi3.SchemaRef{Ref: "#/components/schemas/" + item},
			}}}
		}
	}
	if used {
		doc.Components.Schemas[linkedDataID] = &openapi3.SchemaRef{Value: linkedDataSchema()}
	}
}

// linkedDataSchema is a JSON-LD document with its context inline: a resource as a
// schema.org node (@id, @type and its properties) or the catalogue as a @graph of
// DCAT-AP.de nodes.
func linkedDataSchema() *openapi3.Schema {
	obj := func(desc string, ex any) *openapi3.SchemaRef {
		return &openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{"object"}, Description: desc, Example: ex}}
	}
	str := func(desc string, ex any) *openapi3.SchemaRef {
		return &openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{"string"}, Description: desc, Example: ex}}
	}
	return &openapi3.Schema{
		Type: &openapi3.Types{"object"},
		Description: strings.Join([]string{
			"JSON-LD (https://www.w3.org/TR/json-ld11/) with its context inline, so that no processor fetches anything.",
			"A partner, cooperation or project is a schema.org node (GovernmentOrganization, Organization, Project) whose @id is its URI under IKZ_PUBLIC_URL;",
			"the catalogue is a @graph of DCAT-AP.de nodes.",
		}, " "),
		Required: []string{"@context"},
		Properties: openapi3.Schemas{
			"@context": obj("the terms' vocabularies: schema.org for resources, DCAT, Dublin Core, FOAF, vCard and the EU and DCAT-AP.de vocabularies for the catalogue",
				map[string]any{"@vocab": "http://schema.org/"}),
			"@id":   str("the node's IRI", "https://ikz.example.org/api/v1/partners/citeq"),
			"@type": str("the node's schema.org type", "Organization"),
			"@graph": {Value: &openapi3.Schema{Type: &openapi3.Types{"array"}, Description: "the catalogue's nodes",
				Items: obj("a node", map[string]any{"@id": "https://ikz.example.org/api/v1/catalog#projects", "@type": "dcat:Dataset"})}},
		},
		AdditionalProperties: openapi3.AdditionalProperties{Has: ptr(true)},
	}
}

// linkedDataExamples are short examples of each JSON-LD answer, by path.
var linkedDataExamples = func() map[string]any {
	schema := map[string]any{"@vocab": "http://schema.org/", "url": map[string]any{"@type": "@id"}}
	base := "https://ikz.example.org/api/v1/"
	role := func(name, partner, slug string) map[string]any {
		return map[string]any{"@type": "OrganizationRole", "roleName": name,
			"member": map[string]any{"@id": base + "partners/" + slug, "@type": "Organization", "name": partner}}
	}
	id := func(kind, value string) map[string]any {
		return map[string]any{"@type": "PropertyValue", "propertyID": kind, "value": value}
	}
	return map[string]any{
		"/api/v1/partners/{id}": map[string]any{
			"@context": schema, "@id": base + "partners/stadt-muenster", "@type": "GovernmentOrganization",
			"name": "Stadt Münster", "url": "https://www.stadt-muenster.de",
			"identifier": []any{id("AGS", "05515000"), id("ARS", "055150000000")},
			"areaServed": map[string]any{"@id": "http://dcat-ap.de/def/politicalGeocoding/regionalKey/055150000000"},
		},
		"/api/v1/cooperations/{id}": map[string]any{
			"@context": schema, "@id": base + "cooperations/it-kooperation-muenster-lwl", "@type": "Organization",
			"name": "IT-Kooperation Stadt Münster – LWL", "foundingDate": "2018-02",
			"member": []any{role("Partner", "Stadt Münster", "stadt-muenster"), role("Partner", "Landschaftsverband Westfalen-Lippe", "lwl")},
		},
		"/api/v1/projects/{id}": map[string]any{
			"@context": schema, "@id": base + "projects/dips-kommunal", "@type": "Project", "name": "DiPS.kommunal",
			"parentOrganization": map[string]any{"@id": base + "cooperations/it-kooperation-muenster-lwl", "@type": "Organization", "name": "IT-Kooperation Stadt Münster – LWL"},
			"member":             []any{role("Leistungserbringer", "LWL.IT Service Abteilung", "lwl-it"), role("Leistungsnehmer", "citeq", "citeq")},
		},
		"/api/v1/catalog": map[string]any{
			"@context": map[string]any{"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/"},
			"@graph": []any{map[string]any{
				"@id": base + "catalog", "@type": "dcat:Catalog",
				"dct:title":    []any{map[string]any{"@language": "de", "@value": "IKZ-Verzeichnis: interkommunale IT-Kooperationen"}},
				"dcat:dataset": []any{map[string]any{"@id": base + "catalog#partners"}, map[string]any{"@id": base + "catalog#projects"}},
			}},
		},
	}
}()
