package openapi

import "github.com/getkin/kin-openapi/openapi3"

// importsPath takes a file in one of four media types.
const importsPath = "/api/v1/imports"

// importBodies gives the import's request body the schema of each media type (swag
// gives every media type the same one): CSV and NDJSON are text, XLSX a binary file,
// JSON an array of objects with the API's fields.
func importBodies(doc *openapi3.T) {
	item := doc.Paths.Value(importsPath)
	if item == nil || item.Post == nil || item.Post.RequestBody == nil || item.Post.RequestBody.Value == nil {
		return
	}
	str := func(format, desc string, ex any) *openapi3.MediaType {
		return &openapi3.MediaType{Example: ex, Schema: &openapi3.SchemaRef{Value: &openapi3.Schema{
			Type: &openapi3.Types{"string"}, Format: format, Description: desc}}}
	}
	item.Post.RequestBody.Value.Content = openapi3.Content{
		"text/csv": str("", "CSV with the export's German headers, ';' or ',' separated, UTF-8",
			"Slug;Titel;Kategorie;Kooperation;Beteiligte;Beginn\r\n"+
				"it-hotline;IT-Hotline (Mitnutzung durch citeq);IT-Hotline/Service-Desk;IT-Kooperation Stadt Münster – LWL;"+
				"\"citeq (Leistungsnehmer); LWL.IT Service Abteilung (Leistungserbringer)\";2017-03\r\n"),
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": str("binary",
			"a workbook in the export's layout (first sheet)", "(an XLSX file as GET /api/v1/exports/projects?format=xlsx writes it)"),
		"application/x-ndjson": str("", "one JSON object per line, with the API's fields",
			`{"slug": "it-hotline", "started_on": "2017-03"}`+"\n"),
		jsonType: {Example: []any{map[string]any{"slug": "it-hotline", "started_on": "2017-03"}}, Schema: &openapi3.SchemaRef{Value: &openapi3.Schema{
			Type:        &openapi3.Types{"array"},
			Description: "objects with the API's fields (as POST takes them)",
			Items: &openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{"object"},
				AdditionalProperties: openapi3.AdditionalProperties{Has: ptr(true)}}},
		}}},
	}
}
