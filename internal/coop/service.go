package coop

import (
	"context"
	"time"
)

// SortKey is one field of a list's sort order.
type SortKey struct {
	Field string
	Desc  bool
}

// The fields each collection's lists sort by (?sort=), in name order: the HTTP layer
// accepts only these, the store maps each to its column (its TestSortFields checks
// that the two agree).
var (
	PartnerSortFields     = []string{"created_at", "name", "slug", "state", "type", "updated_at"}
	CooperationSortFields = []string{"created_at", "slug", "started_on", "status", "title", "updated_at"}
	ProjectSortFields     = []string{"category", "created_at", "slug", "started_on", "status", "title", "updated_at"}
	SolutionSortFields    = []string{"category", "created_at", "name", "slug", "updated_at"}
)

// Page asks for one page of a keyset-paginated list.
type Page struct {
	Limit  int
	Cursor string // opaque, from a previous ListResult.NextCursor
	Sort   []SortKey
}

// ListResult is one page of a list, the total count of all matches, and the cursor of
// the next page ("" on the last one).
type ListResult[T any] struct {
	Items      []T
	Total      int64
	NextCursor string
}

// PartnerFilter selects partners.
type PartnerFilter struct {
	Page
	Types        []string
	States       []string
	Parents      []string // ids or slugs
	ARS, AGS     []string // key prefixes (see MaxARSLen)
	Q            string
	UpdatedSince *time.Time
	// RegionStatuses: coop.RegionStatuses codes.
	RegionStatuses []string
}

// Lengths of the regional keys: AGS 8 digits, ARS 12. The regional key filters
// (PartnerFilter.ARS and AGS, PartnerARS of projects and cooperations) take prefixes
// of 1 to that many digits (ARS 055 is Regierungsbezirk Münster; a whole key is one
// place) and locate a partner by its own key or, if it has none, by its parent's
// (citeq, the Stadt Münster's IT provider, lies in Münster), as the statistics give a
// partner without a state its parent's.
const (
	MaxAGSLen = 8
	MaxARSLen = 12
)

// CooperationFilter selects cooperations.
type CooperationFilter struct {
	Page
	Statuses     []string
	LegalForms   []string
	Partners     []string // member ids or slugs
	PartnerARS   []string // ARS prefixes: a member located there (see MaxARSLen)
	Q            string
	UpdatedSince *time.Time
}

// ProjectFilter selects projects.
type ProjectFilter struct {
	Page
	Statuses     []string
	Categories   []string
	Cooperations []string // ids or slugs
	Solutions    []string // ids or slugs
	Partners     []string // participant ids or slugs (any role, or Roles)
	PartnerARS   []string // ARS prefixes: a participant located there (any role, or Roles; see MaxARSLen)
	Roles        []string
	Tags         []string
	StartedFrom  PartialDate
	StartedTo    PartialDate
	Q            string
	UpdatedSince *time.Time
	AsOf         PartialDate // status as it stood on that date (from the history)
}

// SolutionFilter selects solutions.
type SolutionFilter struct {
	Page
	Categories   []string
	Developers   []string // ids or slugs
	Q            string
	UpdatedSince *time.Time
}

// Writes take ifVersion: 0 writes whatever the current version is; any other value
// writes only if the stored version still equals it (EPrecondition otherwise), checked
// and written in one conditional UPDATE.

// PartnerService reads and writes partners. Errors: ENotFound, EValidation, EConflict
// (duplicate slug, blocking references), EPrecondition, EForbidden.
type PartnerService interface {
	FindPartners(ctx context.Context, f PartnerFilter) (ListResult[Partner], error)
	FindPartner(ctx context.Context, ref string) (Partner, error)
	CreatePartner(ctx context.Context, d PartnerDraft) (Partner, error)
	UpdatePartner(ctx context.Context, ref string, d PartnerDraft, ifVersion int) (Partner, error)
	DeletePartner(ctx context.Context, ref string, ifVersion int) error
	RestorePartner(ctx context.Context, ref string, ifVersion int) (Partner, error)
}

// CooperationService reads and writes cooperations and moves them along their machine.
type CooperationService interface {
	FindCooperations(ctx context.Context, f CooperationFilter) (ListResult[Cooperation], error)
	FindCooperation(ctx context.Context, ref string) (Cooperation, error)
	CreateCooperation(ctx context.Context, d CooperationDraft) (Cooperation, error)
	UpdateCooperation(ctx context.Context, ref string, d CooperationDraft, ifVersion int) (Cooperation, error)
	DeleteCooperation(ctx context.Context, ref string, ifVersion int) error
	RestoreCooperation(ctx context.Context, ref string, ifVersion int) (Cooperation, error)
	TransitionCooperation(ctx context.Context, ref string, t Transition, ifVersion int) (Cooperation, error)
	CooperationHistory(ctx context.Context, ref string) ([]StatusChange, error)
}

// ProjectService reads and writes projects and moves them along their machine.
type ProjectService interface {
	FindProjects(ctx context.Context, f ProjectFilter) (ListResult[Project], error)
	FindProject(ctx context.Context, ref string) (Project, error)
	CreateProject(ctx context.Context, d ProjectDraft) (Project, error)
	UpdateProject(ctx context.Context, ref string, d ProjectDraft, ifVersion int) (Project, error)
	DeleteProject(ctx context.Context, ref string, ifVersion int) error
	RestoreProject(ctx context.Context, ref string, ifVersion int) (Project, error)
	TransitionProject(ctx context.Context, ref string, t Transition, ifVersion int) (Project, error)
	ProjectHistory(ctx context.Context, ref string) ([]StatusChange, error)
}

// SolutionService reads and writes solutions.
type SolutionService interface {
	FindSolutions(ctx context.Context, f SolutionFilter) (ListResult[Solution], error)
	FindSolution(ctx context.Context, ref string) (Solution, error)
	CreateSolution(ctx context.Context, d SolutionDraft) (Solution, error)
	UpdateSolution(ctx context.Context, ref string, d SolutionDraft, ifVersion int) (Solution, error)
	DeleteSolution(ctx context.Context, ref string, ifVersion int) error
	RestoreSolution(ctx context.Context, ref string, ifVersion int) (Solution, error)
}

// Page sizes of the change feed: the default and the largest a caller may ask for.
const (
	ChangeDefaultLimit = 100
	ChangeMaxLimit     = 1000
)

// ChangeFilter selects entries of the change feed.
type ChangeFilter struct {
	// After is a position in the order asked for: entries after it (with Desc, older).
	After int64
	Limit int
	// Desc reads newest first.
	Desc         bool
	ResourceType string
	// ResourceID is a resource's id or the current slug of a live resource.
	ResourceID string
}

// ChangeService reads the change feed, oldest first (or newest first).
type ChangeService interface {
	FindChanges(ctx context.Context, f ChangeFilter) ([]Change, error)
	// LatestChangeID is the id of the newest entry (0 when the log is empty): the
	// position of a reader who has read everything.
	LatestChangeID(ctx context.Context) (int64, error)
}

// Directory is everything the HTTP layer needs of the store.
type Directory interface {
	PartnerService
	CooperationService
	ProjectService
	SolutionService
	ChangeService
	Ping(ctx context.Context) error
}
