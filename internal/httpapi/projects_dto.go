package httpapi

import (
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// Participant is a partner's part in a project.
type Participant struct {
	// the participating partner
	Partner Ref `json:"partner"`
	// role of the partner in the project
	Role string `json:"role" enums:"lead,partner,provider,consumer,developer,operator,funder,observer" example:"provider"`
	// taking part since, precision kept
	Since string `json:"since,omitempty" example:"2017-01" extensions:"x-pattern=^\\d{4}(-\\d{2}(-\\d{2})?)?$"`
	// taking part until, precision kept
	Until string `json:"until,omitempty" example:"2020-12" extensions:"x-pattern=^\\d{4}(-\\d{2}(-\\d{2})?)?$"`
} // @name Participant

// ParticipantInput names a participant by id or slug.
type ParticipantInput struct {
	// id or slug of the partner
	Partner string `json:"partner" example:"citeq" maxLength:"100"`
	// role of the partner in the project
	Role string `json:"role" enums:"lead,partner,provider,consumer,developer,operator,funder,observer" example:"provider"`
	// taking part since, precision kept
	Since string `json:"since,omitempty" example:"2017-01" extensions:"x-pattern=^\\d{4}(-\\d{2}(-\\d{2})?)?$"`
	// taking part until, precision kept; not before since
	Until string `json:"until,omitempty" example:"2020-12" extensions:"x-pattern=^\\d{4}(-\\d{2}(-\\d{2})?)?$"`
} // @name ParticipantInput

// Finance holds a project's money (only for controlling and admin): decimal strings
// with two fraction digits, never floats.
type Finance struct {
	// planned budget
	BudgetPlanned *string `json:"budget_planned" example:"125000.00" extensions:"x-nullable,x-pattern=^-?\\d+\\.\\d{2}$"`
	// actual cost so far
	CostActual *string `json:"cost_actual" example:"98000.50" extensions:"x-nullable,x-pattern=^-?\\d+\\.\\d{2}$"`
	// estimated savings
	SavingsEstimated *string `json:"savings_estimated" example:"40000.00" extensions:"x-nullable,x-pattern=^-?\\d+\\.\\d{2}$"`
	// currency, always EUR
	Currency string `json:"currency" enums:"EUR" example:"EUR"`
} // @name Finance

// FinanceInput sets a project's money: decimal strings with at most two fraction
// digits and at most ten before the point (at most ±9999999999.99 EUR, so that every
// sum is exact, also as a spreadsheet number); null clears a value.
type FinanceInput struct {
	// planned budget
	BudgetPlanned *string `json:"budget_planned,omitempty" example:"125000.00" extensions:"x-nullable,x-pattern=^-?\\d{1,10}(\\.\\d{1,2})?$"`
	// actual cost so far
	CostActual *string `json:"cost_actual,omitempty" example:"98000.50" extensions:"x-nullable,x-pattern=^-?\\d{1,10}(\\.\\d{1,2})?$"`
	// estimated savings
	SavingsEstimated *string `json:"savings_estimated,omitempty" example:"40000" extensions:"x-nullable,x-pattern=^-?\\d{1,10}(\\.\\d{1,2})?$"`
	// currency; only EUR
	Currency string `json:"currency,omitempty" enums:"EUR" example:"EUR"`
} // @name FinanceInput

// Project is one cooperation project ("Vorhaben").
type Project struct {
	// server-assigned id
	ID string `json:"id" format:"uuid" example:"9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"`
	// unique slug
	Slug string `json:"slug" example:"it-hotline"`
	// title
	Title string `json:"title" example:"IT-Hotline (Mitnutzung durch citeq)"`
	// German description
	Description string `json:"description,omitempty" example:"citeq nutzt die IT-Hotline der LWL.IT mit."`
	// the cooperation it belongs to
	Cooperation Ref `json:"cooperation"`
	// the solution it uses
	Solution *Ref `json:"solution" extensions:"x-nullable"`
	// subject area
	Category string `json:"category" enums:"service_desk,archiving,network,data_center,software,information_security,organisation,online_services,other" example:"service_desk"`
	// status; changes only through POST …/transitions
	Status string `json:"status" enums:"idea,planned,in_progress,operational,suspended,completed,terminated,cancelled" example:"operational"`
	// participants (at least one)
	Participants []Participant `json:"participants"`
	// start, precision kept
	StartedOn string `json:"started_on,omitempty" example:"2017" extensions:"x-pattern=^\\d{4}(-\\d{2}(-\\d{2})?)?$"`
	// planned end, precision kept
	PlannedEndOn string `json:"planned_end_on,omitempty" example:"2019-12" extensions:"x-pattern=^\\d{4}(-\\d{2}(-\\d{2})?)?$"`
	// end, precision kept
	EndedOn string `json:"ended_on,omitempty" example:"2020-06-30" extensions:"x-pattern=^\\d{4}(-\\d{2}(-\\d{2})?)?$"`
	// legal bases
	LegalBasis []string `json:"legal_basis" example:"GkG NRW"`
	// free tags
	Tags []string `json:"tags" example:"rechenzentrum"`
	// where the facts come from
	Sources []Source `json:"sources"`
	// money; present only for callers with the controlling or admin role
	Finance *Finance `json:"finance,omitempty"`
	// creation time (UTC)
	CreatedAt time.Time `json:"created_at" example:"2026-01-31T12:00:00Z" format:"date-time"`
	// last change (UTC)
	UpdatedAt time.Time `json:"updated_at" example:"2026-01-31T12:00:00Z" format:"date-time"`
	// 1 on create, +1 on every change
	Version int `json:"version" example:"1"`
} // @name Project

// ProjectInput is a project as a PATCH changes it (the merged result); status is not
// writable here.
type ProjectInput struct {
	// unique slug: lower-case ASCII, digits and single hyphens
	Slug string `json:"slug" example:"dips-kommunal-lwl-archivamt" maxLength:"100" extensions:"x-pattern=^[a-z0-9]+(-[a-z0-9]+)*$"`
	// title
	Title string `json:"title" example:"DiPS.kommunal im LWL-Archivamt" maxLength:"300"`
	// German description
	Description string `json:"description,omitempty" example:"Das LWL-Archivamt für Westfalen archiviert elektronische Unterlagen mit DiPS.kommunal." maxLength:"20000"`
	// id or slug of the cooperation it belongs to
	Cooperation string `json:"cooperation" example:"it-kooperation-muenster-lwl" maxLength:"100"`
	// id or slug of the solution it uses
	Solution *string `json:"solution,omitempty" example:"dips-kommunal" extensions:"x-nullable" maxLength:"100"`
	// subject area
	Category string `json:"category" enums:"service_desk,archiving,network,data_center,software,information_security,organisation,online_services,other" example:"archiving"`
	// participants (at least one), partners by id or slug; no partner twice with the same role
	Participants []ParticipantInput `json:"participants" extensions:"x-min-items=1"`
	// start, precision kept
	StartedOn string `json:"started_on,omitempty" example:"2018-03" extensions:"x-pattern=^\\d{4}(-\\d{2}(-\\d{2})?)?$"`
	// planned end, precision kept; not before started_on
	PlannedEndOn string `json:"planned_end_on,omitempty" example:"2019-12" extensions:"x-pattern=^\\d{4}(-\\d{2}(-\\d{2})?)?$"`
	// end, precision kept; not before started_on
	EndedOn string `json:"ended_on,omitempty" example:"2020-06-30" extensions:"x-pattern=^\\d{4}(-\\d{2}(-\\d{2})?)?$"`
	// legal bases
	LegalBasis []string `json:"legal_basis,omitempty" example:"GkG NRW" extensions:"x-max-items=100" maxLength:"300"`
	// free tags (no duplicates)
	Tags []string `json:"tags,omitempty" example:"langzeitarchivierung" extensions:"x-max-items=100" maxLength:"300"`
	// where the facts come from
	Sources []Source `json:"sources,omitempty"`
	// money (visible only to controlling and admin)
	Finance *FinanceInput `json:"finance,omitempty" extensions:"x-nullable"`
} // @name ProjectInput

// ProjectCreate creates a project; it may name an initial status with its effective
// date for historic entries.
type ProjectCreate struct {
	ProjectInput
	// initial status (default planned)
	Status string `json:"status,omitempty" enums:"idea,planned,in_progress,operational,suspended,completed,terminated,cancelled" example:"planned"`
	// date the initial status took effect (default: started_on), not in the future
	StatusEffectiveOn string `json:"status_effective_on,omitempty" example:"2018-03" extensions:"x-pattern=^\\d{4}(-\\d{2}(-\\d{2})?)?$"`
} // @name ProjectCreate

// ProjectList is a page of projects.
type ProjectList struct {
	// the page's projects
	Items []Project `json:"items"`
	// number of all matching projects
	Total int64 `json:"total" example:"6"`
	// pass as cursor for the next page; null on the last page
	NextCursor *string `json:"next_cursor" example:"eyJrIjpbImNpdGVxIl0sImlkIjoiMGI3YyJ9" extensions:"x-nullable"`
} // @name ProjectList

// etagVariant: a project with its finance is a representation of its own.
func (p Project) etagVariant() string { return financeVariant(p.Finance != nil) }

// financeVariant names the representation with money.
func financeVariant(finance bool) string {
	if finance {
		return "finance"
	}
	return ""
}

func centsStr(c *coop.Cents) *string {
	if c == nil {
		return nil
	}
	s := c.String()
	return &s
}

// projectOut converts a project; finance only when the caller may see money. The list
// and get answers write the same bytes without it (projectJSON, jsonwrite.go), held to
// encoding/json over these DTOs by jsonwrite_test.go.
func projectOut(p coop.Project, finance bool) Project {
	out := Project{
		ID: p.ID, Slug: p.Slug, Title: p.Title, Description: p.Description,
		Cooperation: refOut(cooperationsPath, p.Cooperation), Solution: refPtr(solutionsPath, p.Solution), Category: p.Category,
		Status: p.Status, Participants: make([]Participant, len(p.Participants)),
		StartedOn: p.StartedOn.String(), PlannedEndOn: p.PlannedEndOn.String(), EndedOn: p.EndedOn.String(),
		LegalBasis: nonNil(p.LegalBasis), Tags: nonNil(p.Tags), Sources: sourcesOut(p.Sources),
		CreatedAt: utc(p.CreatedAt), UpdatedAt: utc(p.UpdatedAt), Version: p.Version,
	}
	for i, x := range p.Participants {
		out.Participants[i] = Participant{Partner: refOut(partnersPath, x.Partner), Role: x.Role, Since: x.Since.String(), Until: x.Until.String()}
	}
	if finance {
		out.Finance = &Finance{
			BudgetPlanned: centsStr(p.Finance.BudgetPlanned), CostActual: centsStr(p.Finance.CostActual),
			SavingsEstimated: centsStr(p.Finance.SavingsEstimated), Currency: "EUR",
		}
	}
	return out
}

// projectsOut converts a page: the reference the writer's pages are tested against.
func projectsOut(list []coop.Project, finance bool) []Project {
	out := make([]Project, len(list))
	for i, p := range list {
		out[i] = projectOut(p, finance)
	}
	return out
}

// projectInputOf is the request form of a stored project: the base a PATCH merges
// into. It carries the stored finance whoever asks, so that a caller who cannot see
// money does not clear it by leaving it out.
func projectInputOf(p coop.Project) ProjectInput {
	in := ProjectInput{
		Slug: p.Slug, Title: p.Title, Description: p.Description, Cooperation: p.Cooperation.Slug,
		Category: p.Category, Participants: make([]ParticipantInput, len(p.Participants)),
		StartedOn: p.StartedOn.String(), PlannedEndOn: p.PlannedEndOn.String(), EndedOn: p.EndedOn.String(),
		LegalBasis: p.LegalBasis, Tags: p.Tags, Sources: sourcesOut(p.Sources),
	}
	if p.Solution != nil {
		in.Solution = &p.Solution.Slug
	}
	for i, x := range p.Participants {
		in.Participants[i] = ParticipantInput{Partner: x.Partner.Slug, Role: x.Role, Since: x.Since.String(), Until: x.Until.String()}
	}
	f := p.Finance
	if f.BudgetPlanned != nil || f.CostActual != nil || f.SavingsEstimated != nil {
		in.Finance = &FinanceInput{BudgetPlanned: centsStr(f.BudgetPlanned), CostActual: centsStr(f.CostActual),
			SavingsEstimated: centsStr(f.SavingsEstimated), Currency: "EUR"}
	}
	return in
}

func (in ProjectInput) draft() coop.ProjectDraft {
	d := coop.ProjectDraft{
		Slug: in.Slug, Title: in.Title, Description: in.Description, Cooperation: in.Cooperation,
		Solution: deref(in.Solution), Category: in.Category,
		Participants: make([]coop.ParticipantDraft, len(in.Participants)),
		StartedOn:    in.StartedOn, PlannedEndOn: in.PlannedEndOn, EndedOn: in.EndedOn,
		LegalBasis: in.LegalBasis, Tags: in.Tags, Sources: sourcesIn(in.Sources),
	}
	for i, x := range in.Participants {
		d.Participants[i] = coop.ParticipantDraft{Partner: x.Partner, Role: x.Role, Since: x.Since, Until: x.Until}
	}
	if f := in.Finance; f != nil {
		d.Finance = &coop.FinanceDraft{BudgetPlanned: f.BudgetPlanned, CostActual: f.CostActual,
			SavingsEstimated: f.SavingsEstimated, Currency: f.Currency}
	}
	return d
}

func (in ProjectCreate) draft() coop.ProjectDraft {
	d := in.ProjectInput.draft()
	d.Status, d.StatusEffectiveOn = in.Status, in.StatusEffectiveOn
	return d
}
