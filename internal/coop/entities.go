package coop

import "time"

// Ref is a brief reference to another resource: {id, slug, name} (a project's title
// is its name).
type Ref struct {
	ID   string
	Slug string
	Name string
}

// Meta is what every resource has.
type Meta struct {
	ID        string
	Slug      string
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int
	DeletedAt *time.Time
}

// Address is a postal address.
type Address struct {
	Street     string
	PostalCode string
	City       string
}

// Employees is a head count with the date it was true.
type Employees struct {
	Count int
	AsOf  PartialDate
}

// Source is where a fact comes from.
type Source struct {
	Title       string
	URL         string
	PublishedOn PartialDate
}

// Partner is an organisation that takes part in cooperations.
type Partner struct {
	Meta
	Name        string
	ShortName   string
	Type        string
	Parent      *Ref
	LegalForm   string
	AGS         string
	ARS         string
	State       string
	LeitwegID   string
	Website     string
	Email       string
	Address     Address
	Employees   *Employees
	Description string
	// Serves are the regions a partner that is no territorial unit itself serves
	// (12-digit ARS); they count for it in the population served.
	Serves []string
	// RegionStatus is how the partner's keys stand in the register in force (a
	// coop.RegionStatuses code).
	RegionStatus string
}

// Member is a partner's membership in a cooperation.
type Member struct {
	Partner Ref
	Role    string
}

// Cooperation is a framework of cooperation between two or more partners.
type Cooperation struct {
	Meta
	Title              string
	Description        string
	Status             string
	LegalForm          string
	StartedOn          PartialDate
	EndedOn            PartialDate
	Members            []Member
	LegalBasis         []string
	NoticePeriodMonths *int
	VATTreatment       string
	ProcurementExempt  *bool
	Sources            []Source
}

// Participant is a partner's part in a project.
type Participant struct {
	Partner Ref
	Role    string
	Since   PartialDate
	Until   PartialDate
}

// Finance holds a project's money; shown only to controlling and admin.
type Finance struct {
	BudgetPlanned    *Cents
	CostActual       *Cents
	SavingsEstimated *Cents
	Currency         string
}

// Project is one cooperation project ("Vorhaben").
type Project struct {
	Meta
	Title        string
	Description  string
	Cooperation  Ref
	Solution     *Ref
	Category     string
	Status       string
	Participants []Participant
	StartedOn    PartialDate
	PlannedEndOn PartialDate
	EndedOn      PartialDate
	LegalBasis   []string
	Tags         []string
	Sources      []Source
	Finance      Finance
	// PopulationServed is the number of inhabitants of the distinct regions of its
	// participants (in the filter's roles, if it names some), counted as ProjectStats
	// counts them; only EachProject (the exports) fills it, other reads leave it nil.
	PopulationServed *int64
}

// Solution is a reusable product or service that projects use.
type Solution struct {
	Meta
	Name        string
	Description string
	Category    string
	Website     string
	Developers  []Ref
}

// StatusChange is one entry of a project's or cooperation's status timeline.
type StatusChange struct {
	From        string // "" for the initial entry
	To          string
	EffectiveOn PartialDate
	RecordedAt  time.Time
	Actor       Actor
	Reason      string
}

// Transition asks to move a resource to another status.
type Transition struct {
	To          string
	EffectiveOn string // partial date; "" means today
	Reason      string
}

// Change is one accepted write, as the change feed and audit log show it.
type Change struct {
	ID           int64
	At           time.Time
	Actor        Actor
	RequestID    string
	ImportID     string // the bulk import that made it, if one did
	Action       string // create, update, delete, restore, transition
	ResourceType string // partner, cooperation, project, solution
	ResourceID   string
	Version      int
	Changes      map[string]FieldChange
}

// FieldChange is the old and new value of one field, in API form (JSON values).
type FieldChange struct {
	Old any `json:"old"`
	New any `json:"new"`
}

// Resource types as the change feed and search name them.
const (
	TypePartner     = "partner"
	TypeCooperation = "cooperation"
	TypeProject     = "project"
	TypeSolution    = "solution"
)

// Change actions.
const (
	ActionCreate     = "create"
	ActionUpdate     = "update"
	ActionDelete     = "delete"
	ActionRestore    = "restore"
	ActionTransition = "transition"
)

// Metadata returns the fields every resource has; it lets code that works on any
// resource (e.g. the HTTP write flow) read id and version.
func (m Meta) Metadata() Meta { return m }
