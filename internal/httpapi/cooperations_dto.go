package httpapi

import (
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// Member is a partner's membership in a cooperation.
type Member struct {
	// the member partner
	Partner Ref `json:"partner"`
	// role of the member in the cooperation
	Role string `json:"role" enums:"party,implementer,observer" example:"party"`
} // @name Member

// MemberInput names a member partner by id or slug.
type MemberInput struct {
	// id or slug of the partner
	Partner string `json:"partner" example:"stadt-muenster" maxLength:"100"`
	// role of the member in the cooperation
	Role string `json:"role" enums:"party,implementer,observer" example:"party"`
} // @name MemberInput

// Cooperation is a framework of cooperation between two or more partners.
type Cooperation struct {
	// server-assigned id
	ID string `json:"id" format:"uuid" example:"6d1f0c2a-3b4e-4f5a-8b9c-0d1e2f3a4b5c"`
	// unique slug
	Slug string `json:"slug" example:"it-kooperation-muenster-lwl"`
	// title
	Title string `json:"title" example:"IT-Kooperation Stadt Münster – LWL"`
	// German description
	Description string `json:"description,omitempty" example:"Gemeinsame Nutzung von Rechenzentrumskapazitäten, Erfahrungsaustausch zur IT-Sicherheit"`
	// status; changes only through POST …/transitions
	Status string `json:"status" enums:"planned,active,suspended,ended" example:"active"`
	// legal form of the cooperation
	LegalForm string `json:"legal_form" enums:"letter_of_intent,working_group,public_law_agreement,special_purpose_association,joint_municipal_enterprise,public_law_contract,private_law_contract,other" example:"letter_of_intent"`
	// start, precision kept
	StartedOn string `json:"started_on,omitempty" example:"2016-11" extensions:"x-pattern=^\\d{4}(-\\d{2}(-\\d{2})?)?$"`
	// end, precision kept
	EndedOn string `json:"ended_on,omitempty" example:"2030" extensions:"x-pattern=^\\d{4}(-\\d{2}(-\\d{2})?)?$"`
	// members (at least two)
	Members []Member `json:"members"`
	// legal bases, e.g. EGovG NRW
	LegalBasis []string `json:"legal_basis" example:"EGovG NRW"`
	// notice period of the agreement in months
	NoticePeriodMonths *int `json:"notice_period_months,omitempty" example:"12" minimum:"0" maximum:"120"`
	// how VAT applies (§ 2b UStG)
	VATTreatment string `json:"vat_treatment,omitempty" enums:"not_taxable_2b,taxable,under_review" example:"not_taxable_2b"`
	// horizontal cooperation exempt from procurement law (§ 108 Abs. 6 GWB)
	ProcurementExempt *bool `json:"procurement_exempt,omitempty" example:"true"`
	// where the facts come from
	Sources []Source `json:"sources"`
	// creation time (UTC)
	CreatedAt time.Time `json:"created_at" example:"2026-01-31T12:00:00Z" format:"date-time"`
	// last change (UTC)
	UpdatedAt time.Time `json:"updated_at" example:"2026-01-31T12:00:00Z" format:"date-time"`
	// 1 on create, +1 on every change
	Version int `json:"version" example:"1"`
} // @name Cooperation

// CooperationInput is a cooperation as a PATCH changes it (the merged result); status
// is not writable here.
type CooperationInput struct {
	// unique slug: lower-case ASCII, digits and single hyphens
	Slug string `json:"slug" example:"archivverbund-westfalen" maxLength:"100" extensions:"x-pattern=^[a-z0-9]+(-[a-z0-9]+)*$"`
	// title
	Title string `json:"title" example:"Archivverbund Westfalen" maxLength:"300"`
	// German description
	Description string `json:"description,omitempty" example:"Gemeinsame elektronische Langzeitarchivierung kommunaler Archive" maxLength:"20000"`
	// legal form of the cooperation
	LegalForm string `json:"legal_form" enums:"letter_of_intent,working_group,public_law_agreement,special_purpose_association,joint_municipal_enterprise,public_law_contract,private_law_contract,other" example:"public_law_agreement"`
	// start, precision kept
	StartedOn string `json:"started_on,omitempty" example:"2018-03" extensions:"x-pattern=^\\d{4}(-\\d{2}(-\\d{2})?)?$"`
	// end, precision kept; not before started_on
	EndedOn string `json:"ended_on,omitempty" example:"2030" extensions:"x-pattern=^\\d{4}(-\\d{2}(-\\d{2})?)?$"`
	// members (at least two), partners by id or slug; no partner twice with the same role
	Members []MemberInput `json:"members" extensions:"x-min-items=2,x-example-json=[{\"partner\": \"stadt-muenster\", \"role\": \"party\"}, {\"partner\": \"lwl\", \"role\": \"party\"}]"`
	// legal bases
	LegalBasis []string `json:"legal_basis,omitempty" example:"GkG NRW" extensions:"x-max-items=100" maxLength:"300"`
	// notice period in months
	NoticePeriodMonths *int `json:"notice_period_months,omitempty" example:"12" minimum:"0" maximum:"120" extensions:"x-nullable"`
	// how VAT applies
	VATTreatment string `json:"vat_treatment,omitempty" enums:"not_taxable_2b,taxable,under_review" example:"not_taxable_2b"`
	// horizontal cooperation exempt from procurement law
	ProcurementExempt *bool `json:"procurement_exempt,omitempty" example:"true" extensions:"x-nullable"`
	// where the facts come from
	Sources []Source `json:"sources,omitempty"`
} // @name CooperationInput

// CooperationCreate creates a cooperation; it may name an initial status with its
// effective date for historic entries.
type CooperationCreate struct {
	CooperationInput
	// initial status (default planned)
	Status string `json:"status,omitempty" enums:"planned,active,suspended,ended" example:"planned"`
	// date the initial status took effect (default: started_on), not in the future
	StatusEffectiveOn string `json:"status_effective_on,omitempty" example:"2018-03" extensions:"x-pattern=^\\d{4}(-\\d{2}(-\\d{2})?)?$"`
} // @name CooperationCreate

// CooperationList is a page of cooperations.
type CooperationList struct {
	// the page's cooperations
	Items []Cooperation `json:"items"`
	// number of all matching cooperations
	Total int64 `json:"total" example:"1"`
	// pass as cursor for the next page; null on the last page
	NextCursor *string `json:"next_cursor" example:"eyJrIjpbImNpdGVxIl0sImlkIjoiMGI3YyJ9" extensions:"x-nullable"`
} // @name CooperationList

func cooperationOut(c coop.Cooperation) Cooperation {
	out := Cooperation{
		ID: c.ID, Slug: c.Slug, Title: c.Title, Description: c.Description, Status: c.Status,
		LegalForm: c.LegalForm, StartedOn: c.StartedOn.String(), EndedOn: c.EndedOn.String(),
		Members: make([]Member, len(c.Members)), LegalBasis: nonNil(c.LegalBasis),
		NoticePeriodMonths: c.NoticePeriodMonths, VATTreatment: c.VATTreatment,
		ProcurementExempt: c.ProcurementExempt, Sources: sourcesOut(c.Sources),
		CreatedAt: utc(c.CreatedAt), UpdatedAt: utc(c.UpdatedAt), Version: c.Version,
	}
	for i, m := range c.Members {
		out.Members[i] = Member{Partner: refOut(partnersPath, m.Partner), Role: m.Role}
	}
	return out
}

func cooperationsOut(list []coop.Cooperation) []Cooperation {
	out := make([]Cooperation, len(list))
	for i, c := range list {
		out[i] = cooperationOut(c)
	}
	return out
}

// cooperationInputOf is the request form of a stored cooperation: the base a PATCH
// merges into.
func cooperationInputOf(c coop.Cooperation) CooperationInput {
	in := CooperationInput{
		Slug: c.Slug, Title: c.Title, Description: c.Description, LegalForm: c.LegalForm,
		StartedOn: c.StartedOn.String(), EndedOn: c.EndedOn.String(),
		Members: make([]MemberInput, len(c.Members)), LegalBasis: c.LegalBasis,
		NoticePeriodMonths: c.NoticePeriodMonths, VATTreatment: c.VATTreatment,
		ProcurementExempt: c.ProcurementExempt, Sources: sourcesOut(c.Sources),
	}
	for i, m := range c.Members {
		in.Members[i] = MemberInput{Partner: m.Partner.Slug, Role: m.Role}
	}
	return in
}

func (in CooperationInput) draft() coop.CooperationDraft {
	d := coop.CooperationDraft{
		Slug: in.Slug, Title: in.Title, Description: in.Description, LegalForm: in.LegalForm,
		StartedOn: in.StartedOn, EndedOn: in.EndedOn, LegalBasis: in.LegalBasis,
		NoticePeriodMonths: in.NoticePeriodMonths, VATTreatment: in.VATTreatment,
		ProcurementExempt: in.ProcurementExempt, Sources: sourcesIn(in.Sources),
		Members: make([]coop.MemberDraft, len(in.Members)),
	}
	for i, m := range in.Members {
		d.Members[i] = coop.MemberDraft{Partner: m.Partner, Role: m.Role}
	}
	return d
}

func (in CooperationCreate) draft() coop.CooperationDraft {
	d := in.CooperationInput.draft()
	d.Status, d.StatusEffectiveOn = in.Status, in.StatusEffectiveOn
	return d
}
