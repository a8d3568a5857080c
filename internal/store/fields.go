package store

import "github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"

// The *Fields functions give a resource's fields in their API form (snake_case names,
// JSON-ready values). The change log stores the old and new values of the fields a
// write changed, so a portal can replay the feed into the current state.

func refField(r *coop.Ref) any {
	if r == nil {
		return nil
	}
	return map[string]any{"id": r.ID, "slug": r.Slug, "name": r.Name}
}

func dateField(d coop.PartialDate) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

func strField(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func strList(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

func sourcesField(list []coop.Source) []map[string]any {
	out := make([]map[string]any, len(list))
	for i, s := range list {
		out[i] = map[string]any{"title": s.Title, "url": strField(s.URL), "published_on": dateField(s.PublishedOn)}
	}
	return out
}

func centsField(c *coop.Cents) any {
	if c == nil {
		return nil
	}
	return c.String()
}

// partnerFields returns p's fields in API form.
func partnerFields(p coop.Partner) map[string]any {
	m := map[string]any{
		"slug": p.Slug, "name": p.Name, "short_name": strField(p.ShortName), "type": p.Type,
		"parent": refField(p.Parent), "legal_form": strField(p.LegalForm), "ags": strField(p.AGS),
		"ars": strField(p.ARS), "state": strField(p.State), "leitweg_id": strField(p.LeitwegID),
		"website": strField(p.Website), "email": strField(p.Email),
		"address":     map[string]any{"street": strField(p.Address.Street), "postal_code": strField(p.Address.PostalCode), "city": strField(p.Address.City)},
		"description": strField(p.Description), "employees": nil,
	}
	if len(p.Serves) > 0 { // absent rather than [] for the many partners that serve none
		m["serves"] = p.Serves
	}
	if p.Employees != nil {
		m["employees"] = map[string]any{"count": p.Employees.Count, "as_of": dateField(p.Employees.AsOf)}
	}
	return m
}

// cooperationFields returns c's fields in API form.
func cooperationFields(c coop.Cooperation) map[string]any {
	members := make([]map[string]any, len(c.Members))
	for i, m := range c.Members {
		members[i] = map[string]any{"partner": refField(&m.Partner), "role": m.Role}
	}
	return map[string]any{
		"slug": c.Slug, "title": c.Title, "description": strField(c.Description), "status": c.Status,
		"legal_form": c.LegalForm, "started_on": dateField(c.StartedOn), "ended_on": dateField(c.EndedOn),
		"members": members, "legal_basis": strList(c.LegalBasis), "notice_period_months": c.NoticePeriodMonths,
		"vat_treatment": strField(c.VATTreatment), "procurement_exempt": c.ProcurementExempt,
		"sources": sourcesField(c.Sources),
	}
}

// projectFields returns p's fields in API form, finance included (the HTTP layer drops
// it for callers who may not see money).
func projectFields(p coop.Project) map[string]any {
	parts := make([]map[string]any, len(p.Participants))
	for i, x := range p.Participants {
		parts[i] = map[string]any{"partner": refField(&x.Partner), "role": x.Role,
			"since": dateField(x.Since), "until": dateField(x.Until)}
	}
	coopRef := p.Cooperation
	return map[string]any{
		"slug": p.Slug, "title": p.Title, "description": strField(p.Description),
		"cooperation": refField(&coopRef), "solution": refField(p.Solution), "category": p.Category,
		"status": p.Status, "participants": parts, "started_on": dateField(p.StartedOn),
		"planned_end_on": dateField(p.PlannedEndOn), "ended_on": dateField(p.EndedOn),
		"legal_basis": strList(p.LegalBasis), "tags": strList(p.Tags), "sources": sourcesField(p.Sources),
		"finance": map[string]any{"budget_planned": centsField(p.Finance.BudgetPlanned),
			"cost_actual": centsField(p.Finance.CostActual), "savings_estimated": centsField(p.Finance.SavingsEstimated),
			"currency": "EUR"},
	}
}

// solutionFields returns s's fields in API form.
func solutionFields(s coop.Solution) map[string]any {
	devs := make([]any, len(s.Developers))
	for i := range s.Developers {
		devs[i] = refField(&s.Developers[i])
	}
	return map[string]any{
		"slug": s.Slug, "name": s.Name, "description": strField(s.Description),
		"category": strField(s.Category), "website": strField(s.Website), "developers": devs,
	}
}
