package openapi

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// bodyExamples are whole request-body examples where composing the fields' examples
// (composeExamples) would not make a request that succeeds: a merge patch is a small
// change (and shows null clearing a field), not every field at once; a token is
// created with expires_at or expires_in, not both. Each is sent, on a freshly seeded
// server, to the path example of its operation by the HTTP suite
// (internal/httpapi/examples_test.go), in CI also by Portman/Newman, and must succeed.
var bodyExamples = map[string]string{
	// PATCH /api/v1/partners/citeq
	"PartnerPatch": `{"employees": {"count": 160, "as_of": "2019-01"}, "website": "https://www.citeq.de", "address": null}`,
	// PATCH /api/v1/cooperations/it-kooperation-muenster-lwl
	"CooperationPatch": `{"notice_period_months": 6, "vat_treatment": "not_taxable_2b", "ended_on": null}`,
	// PATCH /api/v1/projects/it-hotline
	"ProjectPatch": `{"tags": ["ikz", "münsterland", "service-desk", "hotline"], "solution": null, "finance": {"budget_planned": "125000.00", "cost_actual": null}}`,
	// PATCH /api/v1/solutions/dips-kommunal
	"SolutionPatch": `{"website": "https://www.lwl-archivamt.de/", "developers": ["lwl", "stadt-koeln"]}`,
	// POST /api/v1/tokens
	"TokenInput": `{"name": "portal-muensterland", "roles": ["editor", "controlling"], "partners": ["citeq"], "expires_in": "90d"}`,
	// POST /api/v1/webhooks and PATCH …/{id}: without the partner and cooperation
	// filters, so that the redeliver example finds the seed's first change among its own
	"WebhookInput": `{"url": "https://portal.example.org/hooks/ikz", "events": ["partner.*", "project.created", "project.status_changed"], "description": "Portal Münsterland"}`,
	"WebhookPatch": `{"description": "Portal Münsterland (Test)", "partner": null}`,
}

// bodyExample is the example of a request body of component ref (nil if none is
// given here).
func bodyExample(ref string) (any, error) {
	raw, ok := bodyExamples[strings.TrimPrefix(ref, schemaPrefix)]
	if !ok || !strings.HasPrefix(ref, schemaPrefix) {
		return nil, nil
	}
	var v any
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		return nil, fmt.Errorf("example of %s: %w", ref, err)
	}
	return v, nil
}

// requestBodyExamples sets the given examples on the request bodies that use them.
func requestBodyExamples(doc *openapi3.T) error {
	for _, path := range doc.Paths.InMatchingOrder() {
		for _, op := range doc.Paths.Value(path).Operations() {
			if op.RequestBody == nil || op.RequestBody.Value == nil {
				continue
			}
			for _, mt := range op.RequestBody.Value.Content {
				if mt.Schema == nil {
					continue
				}
				ex, err := bodyExample(mt.Schema.Ref)
				if err != nil {
					return err
				}
				if ex != nil {
					mt.Example = ex
				}
			}
		}
	}
	return nil
}
