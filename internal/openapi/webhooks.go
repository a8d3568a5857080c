package openapi

import (
	"github.com/getkin/kin-openapi/openapi3"
)

// webhookEvents documents what the service POSTs to webhook subscribers (package
// webhook): OpenAPI 3.1 has `webhooks` for it; in this 3.0 document it is the schema
// WebhookEvent and the operation under the extension x-webhooks, as generators that
// know 3.0 only (Redocly among them) read it.
func webhookEvents(doc *openapi3.T) {
	if doc.Components.Schemas["Change"] == nil {
		return
	}
	doc.Components.Schemas["WebhookEvent"] = &openapi3.SchemaRef{Value: &openapi3.Schema{
		Type:        &openapi3.Types{"object"},
		Description: "Der Body einer Webhook-Zustellung / the body of a webhook delivery",
		Required:    []string{"type", "timestamp", "data"},
		Properties: openapi3.Schemas{
			"type": {Value: &openapi3.Schema{Type: &openapi3.Types{"string"}, Example: "project.status_changed",
				Description: "resource.action: partner|cooperation|project|solution . created|updated|deleted|restored|status_changed; webhook.ping for a ping",
				Pattern:     `^((partner|cooperation|project|solution)\.(created|updated|deleted|restored|status_changed)|webhook\.ping)$`}},
			"timestamp": {Value: &openapi3.Schema{Type: &openapi3.Types{"string"}, Format: "date-time", Example: "2026-01-31T12:00:00Z",
				Description: "when the change was committed (UTC)"}},
			"data": {Ref: schemaPrefix + "Change"},
		},
	}}
	header := func(name, desc, example string) *openapi3.ParameterRef {
		return &openapi3.ParameterRef{Value: &openapi3.Parameter{In: "header", Name: name, Required: true, Description: desc,
			Schema: &openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{"string"}, MaxLength: ptr(uint64(1000))}}, Example: example}}
	}
	ok := openapi3.NewResponse().WithDescription("2xx within the timeout (IKZ_WEBHOOK_TIMEOUT, default 10 s): delivered; anything else is retried on IKZ_WEBHOOK_RETRY_SCHEDULE")
	// the lint's rules for operations apply here too: the receiver's answer may carry
	// the house header, and the call carries no bearer token (the signature instead)
	ok.Headers = openapi3.Headers{"X-Request-ID": {Ref: "#/components/headers/X-Request-ID"}}
	op := &openapi3.Operation{
		OperationID: "webhookEvent",
		Summary:     "Webhook-Zustellung (vom Dienst an den Empfänger) / webhook delivery (sent by the service)",
		Description: "Je Änderung, die ein Webhook abonniert, ein POST an seine URL, in der Reihenfolge des Änderungsprotokolls, mindestens einmal (`webhook-id` erkennt Wiederholungen), signiert nach Standard Webhooks (standardwebhooks.com): `webhook-signature` = `v1,` + base64(HMAC-SHA256(Schlüssel, `webhook-id.webhook-timestamp.body`)), Schlüssel = das base64 des Geheimnisses nach `whsec_`; während der Frist einer Erneuerung zwei Signaturen, durch Leerzeichen getrennt. Per subscribed change a POST to the URL, in change-log order, at least once, signed per Standard Webhooks; during a rotation's grace period two signatures, space separated.",
		Tags:        []string{"webhooks"},
		Parameters: openapi3.Parameters{
			header("webhook-id", "id of the message, the same for every attempt at it: chg_<change id> (ping_… for a ping)", "chg_42"),
			header("webhook-timestamp", "Unix seconds of this attempt", "1769860800"),
			header("webhook-signature", "v1,<base64 signature> (two during a rotation's grace period)", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="),
		},
		RequestBody: &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).
			WithJSONSchemaRef(&openapi3.SchemaRef{Ref: schemaPrefix + "WebhookEvent"})},
		Responses: openapi3.NewResponses(openapi3.WithStatus(200, &openapi3.ResponseRef{Value: ok})),
		Security:  &openapi3.SecurityRequirements{},
	}
	if doc.Extensions == nil {
		doc.Extensions = map[string]any{}
	}
	doc.Extensions["x-webhooks"] = map[string]any{"change": map[string]any{"post": op}}
}
