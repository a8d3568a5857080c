package coop

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits on text fields, so that nobody stores a novel in a name.
const (
	maxName        = 300
	maxDescription = 20000
	maxShort       = 100
	maxListItems   = 100
)

// Validate checks a partner's own fields; references are checked by the store.
func (d PartnerDraft) Validate() Violations {
	t := texts{"slug": d.Slug, "name": d.Name, "short_name": d.ShortName, "type": d.Type, "parent": d.Parent,
		"legal_form": d.LegalForm, "ags": d.AGS, "ars": d.ARS, "state": d.State, "leitweg_id": d.LeitwegID,
		"website": d.Website, "email": d.Email, "address.street": d.Address.Street, "address.postal_code": d.Address.PostalCode,
		"address.city": d.Address.City, "description": d.Description}
	if d.Employees != nil {
		t["employees.as_of"] = d.Employees.AsOf
	}
	t.list("serves", d.Serves)
	if v := t.check(); len(v) > 0 {
		return v
	}
	var v Violations
	checkSlug(&v, d.Slug)
	requireText(&v, "name", d.Name, maxName)
	optText(&v, "short_name", d.ShortName, maxShort)
	requireEnum(&v, "type", d.Type, PartnerTypes)
	optText(&v, "legal_form", d.LegalForm, maxName)
	optText(&v, "description", d.Description, maxDescription)
	if d.AGS != "" && !ValidAGS(d.AGS) {
		v.Add("ags", "pattern", "Der AGS besteht aus genau 8 Ziffern, z. B. 05515000")
	}
	if d.ARS != "" {
		switch {
		case !ValidARS(d.ARS):
			v.Add("ars", "pattern", "Der ARS besteht aus genau 12 Ziffern, z. B. 055150000000")
		case ValidAGS(d.AGS) && d.ARS[:5] != d.AGS[:5]:
			v.Add("ars", "mismatch", "Die ersten 5 Ziffern des ARS (%s) müssen denen des AGS (%s) gleichen", d.ARS[:5], d.AGS[:5])
		}
	}
	if d.State != "" {
		switch {
		case !States.Has(d.State):
			v.Add("state", "enum", "Unbekanntes Land %q; erwartet ISO 3166-2, z. B. DE-NW", d.State)
		case ValidAGS(d.AGS) && StateByAGS(d.AGS) != d.State:
			v.Add("state", "mismatch", "Der AGS %s gehört zu %s, nicht zu %s", d.AGS, StateByAGS(d.AGS), d.State)
		}
	}
	if d.LeitwegID != "" {
		switch ValidLeitwegID(d.LeitwegID) {
		case "pattern":
			v.Add("leitweg_id", "pattern", "Eine Leitweg-ID hat die Form Grobadressierung(2–12 Ziffern)[-Feinadressierung]-Prüfziffern, z. B. 04011000-1234512345-06")
		case "check_digits":
			v.Add("leitweg_id", "check_digits", "Die Prüfziffern der Leitweg-ID stimmen nicht (ISO 7064 MOD 97-10)")
		}
	}
	if d.Website != "" && !ValidURL(d.Website) {
		v.Add("website", "url", "Erwartet eine absolute http(s)-URL")
	}
	if d.Email != "" && !ValidEmail(d.Email) {
		v.Add("email", "email", "Keine gültige E-Mail-Adresse")
	}
	optText(&v, "address.street", d.Address.Street, maxName)
	optText(&v, "address.city", d.Address.City, maxName)
	if d.Address.PostalCode != "" && !ValidPostalCode(d.Address.PostalCode) {
		v.Add("address.postal_code", "pattern", "Eine Postleitzahl hat 5 Ziffern")
	}
	if e := d.Employees; e != nil {
		if e.Count < 0 {
			v.Add("employees.count", "minimum", "Die Zahl darf nicht negativ sein")
		}
		checkDate(&v, "employees.as_of", e.AsOf, false)
	}
	checkServes(&v, d.Type, d.Serves)
	return v
}

// checkServes checks the shape of a partner's served regions; the store checks that
// the register knows them.
func checkServes(v *Violations, typ string, serves []string) {
	if len(serves) == 0 {
		return
	}
	if TerritorialLevel(typ) != "" {
		v.Add("serves", "not_allowed", "Eine Gebietskörperschaft (%s) dient ihrem eigenen Gebiet; serves nur für andere Partner (IT-Dienstleister, Verbände)", typ)
		return
	}
	if len(serves) > maxListItems {
		v.Add("serves", "max_items", "Höchstens %d Gebietseinheiten", maxListItems)
		return
	}
	seen := map[string]int{}
	for i, s := range serves {
		p := fmt.Sprintf("serves[%d]", i)
		ars, ok := RegionARS(s)
		if !ok {
			v.Add(p, "pattern", "Erwartet einen ARS (12 Ziffern) oder die signifikanten Ziffern eines Schlüssels (05 Land, 055 Regierungsbezirk, 05515 Kreis), nicht %q", s)
			continue
		}
		if first, dup := seen[ars]; dup {
			v.Add(p, "duplicate", "Die Gebietseinheit %s ist schon genannt (Eintrag %d)", ars, first)
			continue
		}
		seen[ars] = i
	}
}

// Validate checks a cooperation's own fields; references are checked by the store.
func (d CooperationDraft) Validate() Violations {
	t := texts{"slug": d.Slug, "title": d.Title, "description": d.Description, "legal_form": d.LegalForm,
		"started_on": d.StartedOn, "ended_on": d.EndedOn, "vat_treatment": d.VATTreatment, "status": d.Status,
		"status_effective_on": d.StatusEffectiveOn}
	for i, m := range d.Members {
		t[fmt.Sprintf("members[%d].partner", i)], t[fmt.Sprintf("members[%d].role", i)] = m.Partner, m.Role
	}
	t.list("legal_basis", d.LegalBasis)
	t.sources(d.Sources)
	if v := t.check(); len(v) > 0 {
		return v
	}
	var v Violations
	checkSlug(&v, d.Slug)
	requireText(&v, "title", d.Title, maxName)
	optText(&v, "description", d.Description, maxDescription)
	requireEnum(&v, "legal_form", d.LegalForm, CooperationLegalForms)
	checkDateRange(&v, "started_on", d.StartedOn, "ended_on", d.EndedOn)
	if len(d.Members) < 2 {
		v.Add("members", "min_items", "Eine Kooperation braucht mindestens zwei Mitglieder")
	}
	seen := map[string]int{}
	for i, m := range d.Members {
		p := fmt.Sprintf("members[%d]", i)
		if strings.TrimSpace(m.Partner) == "" {
			v.Add(p+".partner", "required", "Partner fehlt (id oder slug)")
		}
		requireEnum(&v, p+".role", m.Role, MemberRoles)
		checkDuplicate(&v, seen, p, m.Partner, m.Role)
	}
	checkStrings(&v, "legal_basis", d.LegalBasis)
	if n := d.NoticePeriodMonths; n != nil && (*n < 0 || *n > 120) {
		v.Add("notice_period_months", "range", "Kündigungsfrist in Monaten: 0 bis 120")
	}
	optEnum(&v, "vat_treatment", d.VATTreatment, VATTreatments)
	checkSources(&v, d.Sources)
	checkInitialStatus(&v, d.Status, d.StatusEffectiveOn, CooperationMachine)
	return v
}

// Validate checks a project's own fields; references are checked by the store.
func (d ProjectDraft) Validate() Violations {
	t := texts{"slug": d.Slug, "title": d.Title, "description": d.Description, "cooperation": d.Cooperation,
		"solution": d.Solution, "category": d.Category, "started_on": d.StartedOn, "planned_end_on": d.PlannedEndOn,
		"ended_on": d.EndedOn, "status": d.Status, "status_effective_on": d.StatusEffectiveOn}
	for i, p := range d.Participants {
		at := fmt.Sprintf("participants[%d].", i)
		t[at+"partner"], t[at+"role"], t[at+"since"], t[at+"until"] = p.Partner, p.Role, p.Since, p.Until
	}
	t.list("legal_basis", d.LegalBasis)
	t.list("tags", d.Tags)
	t.sources(d.Sources)
	if f := d.Finance; f != nil {
		t["finance.currency"] = f.Currency
		for k, m := range map[string]*string{"budget_planned": f.BudgetPlanned, "cost_actual": f.CostActual, "savings_estimated": f.SavingsEstimated} {
			if m != nil {
				t["finance."+k] = *m
			}
		}
	}
	if v := t.check(); len(v) > 0 {
		return v
	}
	var v Violations
	checkSlug(&v, d.Slug)
	requireText(&v, "title", d.Title, maxName)
	optText(&v, "description", d.Description, maxDescription)
	if strings.TrimSpace(d.Cooperation) == "" {
		v.Add("cooperation", "required", "Kooperation fehlt (id oder slug)")
	}
	requireEnum(&v, "category", d.Category, ProjectCategories)
	if len(d.Participants) < 1 {
		v.Add("participants", "min_items", "Ein Vorhaben braucht mindestens einen Beteiligten")
	}
	seen := map[string]int{}
	for i, p := range d.Participants {
		path := fmt.Sprintf("participants[%d]", i)
		if strings.TrimSpace(p.Partner) == "" {
			v.Add(path+".partner", "required", "Partner fehlt (id oder slug)")
		}
		requireEnum(&v, path+".role", p.Role, ParticipantRoles)
		checkDateRange(&v, path+".since", p.Since, path+".until", p.Until)
		checkDuplicate(&v, seen, path, p.Partner, p.Role)
	}
	checkDateRange(&v, "started_on", d.StartedOn, "ended_on", d.EndedOn)
	var planned Violations // started_on's own errors are reported once, above
	checkDateRange(&planned, "started_on", d.StartedOn, "planned_end_on", d.PlannedEndOn)
	for _, f := range planned {
		if f.Field == "planned_end_on" {
			v = append(v, f)
		}
	}
	checkStrings(&v, "legal_basis", d.LegalBasis)
	checkStrings(&v, "tags", d.Tags)
	checkSources(&v, d.Sources)
	if f := d.Finance; f != nil {
		checkMoney(&v, "finance.budget_planned", f.BudgetPlanned)
		checkMoney(&v, "finance.cost_actual", f.CostActual)
		checkMoney(&v, "finance.savings_estimated", f.SavingsEstimated)
		if f.Currency != "" && f.Currency != "EUR" {
			v.Add("finance.currency", "enum", "Nur EUR wird geführt")
		}
	}
	checkInitialStatus(&v, d.Status, d.StatusEffectiveOn, ProjectMachine)
	return v
}

// Validate checks a solution's own fields; references are checked by the store.
func (d SolutionDraft) Validate() Violations {
	t := texts{"slug": d.Slug, "name": d.Name, "description": d.Description, "category": d.Category, "website": d.Website}
	t.list("developers", d.Developers)
	if v := t.check(); len(v) > 0 {
		return v
	}
	var v Violations
	checkSlug(&v, d.Slug)
	requireText(&v, "name", d.Name, maxName)
	optText(&v, "description", d.Description, maxDescription)
	optEnum(&v, "category", d.Category, ProjectCategories)
	if d.Website != "" && !ValidURL(d.Website) {
		v.Add("website", "url", "Erwartet eine absolute http(s)-URL")
	}
	seen := map[string]bool{}
	for i, dev := range d.Developers {
		p := fmt.Sprintf("developers[%d]", i)
		switch {
		case strings.TrimSpace(dev) == "":
			v.Add(p, "required", "Partner fehlt (id oder slug)")
		case seen[dev]:
			v.Add(p, "duplicate", "Partner %q ist doppelt genannt", dev)
		}
		seen[dev] = true
	}
	return v
}

func checkSlug(v *Violations, s string) {
	switch {
	case s == "":
		v.Add("slug", "required", "Slug fehlt")
	case !ValidSlug(s):
		v.Add("slug", "pattern", "Slug: Kleinbuchstaben a–z, Ziffern und einzelne Bindestriche, höchstens %d Zeichen, z. B. lwl-it", MaxSlugLen)
	}
}

func requireText(v *Violations, field, s string, max int) {
	if strings.TrimSpace(s) == "" {
		v.Add(field, "required", "Pflichtfeld")
		return
	}
	optText(v, field, s, max)
}

func optText(v *Violations, field, s string, max int) {
	if utf8.RuneCountInString(s) > max {
		v.Add(field, "max_length", "Höchstens %d Zeichen", max)
	}
}

func requireEnum(v *Violations, field, code string, e Enum) {
	if code == "" {
		v.Add(field, "required", "Pflichtfeld; erlaubt: %s", strings.Join(e.Codes(), ", "))
		return
	}
	optEnum(v, field, code, e)
}

func optEnum(v *Violations, field, code string, e Enum) {
	if code != "" && !e.Has(code) {
		v.Add(field, "enum", "Unbekannter Wert %q; erlaubt: %s", code, strings.Join(e.Codes(), ", "))
	}
}

func checkDate(v *Violations, field, s string, _ bool) (PartialDate, bool) {
	if s == "" {
		return PartialDate{}, false
	}
	d, err := ParsePartialDate(s)
	if err != nil {
		v.Add(field, "date", "%s", err.Error())
		return PartialDate{}, false
	}
	return d, true
}

// checkDateRange parses both dates and checks that the end is not before the start:
// a partial end date is wrong only if its whole period lies before the start.
func checkDateRange(v *Violations, fromField, from, toField, to string) {
	f, okF := checkDate(v, fromField, from, false)
	t, okT := checkDate(v, toField, to, false)
	if okF && okT && !t.End().After(f.First()) {
		v.Add(toField, "before_start", "%s (%s) liegt vor %s (%s)", toField, to, fromField, from)
	}
}

func checkDuplicate(v *Violations, seen map[string]int, path, partner, role string) {
	if partner == "" || role == "" {
		return
	}
	key := partner + "\x00" + role
	if first, ok := seen[key]; ok {
		v.Add(path, "duplicate", "Partner %q ist schon mit der Rolle %q genannt (Eintrag %d)", partner, role, first)
		return
	}
	seen[key] = len(seen)
}

func checkStrings(v *Violations, field string, list []string) {
	if len(list) > maxListItems {
		v.Add(field, "max_items", "Höchstens %d Einträge", maxListItems)
	}
	for i, s := range list {
		if strings.TrimSpace(s) == "" {
			v.Add(fmt.Sprintf("%s[%d]", field, i), "required", "Leerer Eintrag")
		} else if utf8.RuneCountInString(s) > maxName {
			v.Add(fmt.Sprintf("%s[%d]", field, i), "max_length", "Höchstens %d Zeichen", maxName)
		}
	}
}

func checkSources(v *Violations, list []SourceDraft) {
	for i, s := range list {
		p := fmt.Sprintf("sources[%d]", i)
		requireText(v, p+".title", s.Title, maxName)
		if s.URL != "" && !ValidURL(s.URL) {
			v.Add(p+".url", "url", "Erwartet eine absolute http(s)-URL")
		}
		checkDate(v, p+".published_on", s.PublishedOn, false)
	}
}

func checkMoney(v *Violations, field string, s *string) {
	if s == nil {
		return
	}
	if _, err := ParseMoney(*s); err != nil {
		v.Add(field, "money", "%s", err.Error())
	}
}

func checkInitialStatus(v *Violations, status, effectiveOn string, m Machine) {
	if status != "" && !m.Known(status) {
		v.Add("status", "enum", "Unbekannter Status %q", status)
	}
	if d, ok := checkDate(v, "status_effective_on", effectiveOn, false); ok && d.InFuture(time.Now()) {
		v.Add("status_effective_on", "future", "Das Datum liegt in der Zukunft")
	}
}

// texts are a draft's strings by field path: whatever way a write comes in (the API,
// the web pages, an import, the command line), text that may not be stored is refused
// first and alone (TextProblem), before any other rule or a database sees it.
type texts map[string]string

func (t texts) list(field string, l []string) {
	for i, s := range l {
		t[fmt.Sprintf("%s[%d]", field, i)] = s
	}
}

func (t texts) sources(l []SourceDraft) {
	for i, s := range l {
		at := fmt.Sprintf("sources[%d].", i)
		t[at+"title"], t[at+"url"], t[at+"published_on"] = s.Title, s.URL, s.PublishedOn
	}
}

// check returns the violations in field order; running text (a description, a
// transition's reason) may carry bidirectional formatting.
func (t texts) check() Violations {
	var v Violations
	for field, s := range t {
		if p := TextProblem(s, field != "description" && field != "reason"); p != "" {
			v.Add(field, p, "%s", TextMessage(p))
		}
	}
	slices.SortFunc(v, func(a, b FieldError) int { return strings.Compare(a.Field, b.Field) })
	return v
}

// Validate refuses a transition whose text may not be stored; the machine and the
// dates are checked against the resource's history by the store.
func (t Transition) Validate() Violations {
	return texts{"to": t.To, "effective_on": t.EffectiveOn, "reason": t.Reason}.check()
}
