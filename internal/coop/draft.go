package coop

// Drafts are what a write asks for: references by id or slug, dates and money as the
// strings the caller sent, so that validation can name exactly what is wrong.

// EmployeesDraft is a head count with its date as sent.
type EmployeesDraft struct {
	Count int
	AsOf  string
}

// SourceDraft is a source as sent.
type SourceDraft struct {
	Title       string
	URL         string
	PublishedOn string
}

// PartnerDraft is a partner as a create or a (merged) update sends it.
type PartnerDraft struct {
	Slug        string
	Name        string
	ShortName   string
	Type        string
	Parent      string // id or slug; "" for none
	LegalForm   string
	AGS         string
	ARS         string
	State       string
	LeitwegID   string
	Website     string
	Email       string
	Address     Address
	Employees   *EmployeesDraft
	Description string
	// Serves names regions by ARS (12 digits) or a key's significant digits (05, 055,
	// 05515); stored as 12-digit ARS.
	Serves []string
}

// MemberDraft is a cooperation member as sent.
type MemberDraft struct {
	Partner string
	Role    string
}

// CooperationDraft is a cooperation as a create or a (merged) update sends it.
type CooperationDraft struct {
	Slug               string
	Title              string
	Description        string
	LegalForm          string
	StartedOn          string
	EndedOn            string
	Members            []MemberDraft
	LegalBasis         []string
	NoticePeriodMonths *int
	VATTreatment       string
	ProcurementExempt  *bool
	Sources            []SourceDraft
	// Status and StatusEffectiveOn name the initial status of a create (historic
	// entries); updates ignore them: status changes only by transition.
	Status            string
	StatusEffectiveOn string
}

// ParticipantDraft is a project participant as sent.
type ParticipantDraft struct {
	Partner string
	Role    string
	Since   string
	Until   string
}

// FinanceDraft is a project's money as sent (decimal strings).
type FinanceDraft struct {
	BudgetPlanned    *string
	CostActual       *string
	SavingsEstimated *string
	Currency         string
}

// ProjectDraft is a project as a create or a (merged) update sends it.
type ProjectDraft struct {
	Slug              string
	Title             string
	Description       string
	Cooperation       string // id or slug
	Solution          string // id or slug; "" for none
	Category          string
	Participants      []ParticipantDraft
	StartedOn         string
	PlannedEndOn      string
	EndedOn           string
	LegalBasis        []string
	Tags              []string
	Sources           []SourceDraft
	Finance           *FinanceDraft
	Status            string // initial status of a create only
	StatusEffectiveOn string // its effective date
}

// SolutionDraft is a solution as a create or a (merged) update sends it.
type SolutionDraft struct {
	Slug        string
	Name        string
	Description string
	Category    string
	Website     string
	Developers  []string // ids or slugs
}
