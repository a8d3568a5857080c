package store

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// Row types mirror the tables of migration 00001. They are the store's own: the
// domain types carry no database concerns.

type partnerRow struct {
	ID             string `gorm:"primaryKey"`
	Slug           string
	Name           string
	NameSort       string
	ShortName      string
	Type           string
	ParentID       *string
	LegalForm      string
	AGS            string `gorm:"column:ags"`
	ARS            string `gorm:"column:ars"`
	State          string
	LeitwegID      string
	Website        string
	Email          string
	Street         string
	PostalCode     string
	City           string
	EmployeesCount *int
	EmployeesAsOf  string
	Description    string
	Serves         string // 12-digit ARS separated by blanks
	RegionStatus   string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Version        int
	DeletedAt      *time.Time
}

func (partnerRow) TableName() string { return "partners" }

type solutionRow struct {
	ID          string `gorm:"primaryKey"`
	Slug        string
	Name        string
	NameSort    string
	Description string
	Category    string
	Website     string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Version     int
	DeletedAt   *time.Time
}

func (solutionRow) TableName() string { return "solutions" }

type solutionDeveloperRow struct {
	SolutionID string
	PartnerID  string
	Position   int
}

func (solutionDeveloperRow) TableName() string { return "solution_developers" }

type cooperationRow struct {
	ID                 string `gorm:"primaryKey"`
	Slug               string
	Title              string
	TitleSort          string
	Description        string
	Status             string
	LegalForm          string
	StartedOn          string
	StartedOnKey       string
	EndedOn            string
	LegalBasis         string
	NoticePeriodMonths *int
	VATTreatment       string `gorm:"column:vat_treatment"`
	ProcurementExempt  *bool
	Sources            string
	CreatedAt          time.Time
	UpdatedAt          time.Time
	Version            int
	DeletedAt          *time.Time
}

func (cooperationRow) TableName() string { return "cooperations" }

type memberRow struct {
	CooperationID string
	PartnerID     string
	Role          string
	Position      int
}

func (memberRow) TableName() string { return "cooperation_members" }

type projectRow struct {
	ID                    string `gorm:"primaryKey"`
	Slug                  string
	Title                 string
	TitleSort             string
	Description           string
	CooperationID         string
	SolutionID            *string
	Category              string
	Status                string
	StartedOn             string
	StartedOnKey          string
	PlannedEndOn          string
	EndedOn               string
	LegalBasis            string
	BudgetPlannedCents    *int64
	CostActualCents       *int64
	SavingsEstimatedCents *int64
	Currency              string
	Tags                  string
	Sources               string
	CreatedAt             time.Time
	UpdatedAt             time.Time
	Version               int
	DeletedAt             *time.Time
	// Refs are the brief refs a create writes with the row (projectWrite.refsText;
	// migration 00061); "" lets the triggers compute them. Reads keep them in
	// projectView.refs and leave this empty.
	Refs string
}

func (projectRow) TableName() string { return "projects" }

type participantRow struct {
	ProjectID string
	PartnerID string
	Role      string
	Since     string
	Until     string
	Position  int
}

func (participantRow) TableName() string { return "project_participants" }

type projectTagRow struct {
	ProjectID string
	Tag       string
	Position  int
}

func (projectTagRow) TableName() string { return "project_tags" }

type statusChangeRow struct {
	ID             int64 `gorm:"primaryKey;autoIncrement"`
	ResourceType   string
	ResourceID     string
	FromStatus     string
	ToStatus       string
	EffectiveOn    string
	EffectiveOnKey string
	RecordedAt     time.Time
	ActorType      string
	ActorID        string
	ActorName      string
	Reason         string
}

func (statusChangeRow) TableName() string { return "status_changes" }

type changeRow struct {
	ID           int64 `gorm:"primaryKey;autoIncrement"`
	At           time.Time
	ActorType    string
	ActorID      string
	ActorName    string
	RequestID    string
	ImportID     string
	Action       string
	ResourceType string
	ResourceID   string
	Version      int
	Changes      string
	// Pos is the change's place in the feed, given after it committed (changes.go);
	// never written by a write.
	Pos *int64 `gorm:"->"`
}

func (changeRow) TableName() string { return "changes" }

type tokenRow struct {
	ID         string `gorm:"primaryKey"`
	Name       string
	Prefix     string
	Hash       string
	Role       string // the highest of Roles, for binaries from before migration 00006
	Roles      string // JSON list, a set
	Partners   string
	CreatedAt  time.Time
	ExpiresAt  *time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

func (tokenRow) TableName() string { return "api_tokens" }

// jsonText encodes v for a JSON text column ("[]" for empty lists).
func jsonText[T any](v []T) string {
	if len(v) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// fromJSONText decodes a JSON text column; a broken value reads as empty.
func fromJSONText[T any](s string) []T {
	switch s {
	case "[]": // most lists are empty: no decoder for them (a list page reads 150)
		return []T{}
	case "":
		return nil
	}
	var zero T
	if _, ok := any(zero).(string); ok { // lists of strings: the columns' common case
		if list, ok := stringList(s); ok {
			return any(list).([]T)
		}
	}
	var v []T
	_ = json.Unmarshal([]byte(s), &v)
	return v
}

// stringList reads a JSON array of strings without escapes (what json.Marshal writes
// for plain text: no quote, backslash, control character or HTML character) without
// the reflective decoder; ok is false for anything else.
func stringList(s string) ([]string, bool) {
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' || strings.IndexByte(s, '\\') >= 0 {
		return nil, false
	}
	out := make([]string, 0, strings.Count(s, ",")+1)
	rest := s[1 : len(s)-1]
	for {
		if len(rest) < 2 || rest[0] != '"' {
			return nil, false
		}
		end := strings.IndexByte(rest[1:], '"')
		if end < 0 {
			return nil, false
		}
		out = append(out, rest[1:1+end])
		rest = rest[2+end:]
		if rest == "" {
			return out, true
		}
		if rest[0] != ',' {
			return nil, false
		}
		rest = rest[1:]
	}
}

// sourceJSON is how sources are kept in their JSON column.
type sourceJSON struct {
	Title       string `json:"title"`
	URL         string `json:"url,omitempty"`
	PublishedOn string `json:"published_on,omitempty"`
}

func sourcesText(list []coop.SourceDraft) string {
	out := make([]sourceJSON, len(list))
	for i, s := range list {
		out[i] = sourceJSON{Title: s.Title, URL: s.URL, PublishedOn: s.PublishedOn}
	}
	return jsonText(out)
}

func sourcesFrom(s string) []coop.Source {
	list := fromJSONText[sourceJSON](s)
	out := make([]coop.Source, len(list))
	for i, x := range list {
		d, _ := coop.ParsePartialDate(x.PublishedOn)
		out[i] = coop.Source{Title: x.Title, URL: x.URL, PublishedOn: d}
	}
	return out
}

// date parses a stored partial date ("" is no date).
func date(s string) coop.PartialDate {
	if s == "" {
		return coop.PartialDate{}
	}
	if d, ok := parseStoredDate(s); ok {
		return d
	}
	d, _ := coop.ParsePartialDate(s)
	return d
}

// parseStoredDate reads the forms the store writes (YYYY, YYYY-MM, YYYY-MM-DD, checked
// when written) without a regular expression; ok is false for anything else.
func parseStoredDate(s string) (coop.PartialDate, bool) {
	num := func(s string) (int, bool) {
		n := 0
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	var d coop.PartialDate
	var ok bool
	switch {
	case len(s) >= 4 && (len(s) == 4 || len(s) == 7 && s[4] == '-' || len(s) == 10 && s[4] == '-' && s[7] == '-'):
		if d.Year, ok = num(s[:4]); !ok || d.Year < 1000 {
			return d, false
		}
	default:
		return d, false
	}
	if len(s) >= 7 {
		if d.Month, ok = num(s[5:7]); !ok || d.Month < 1 || d.Month > 12 {
			return d, false
		}
	}
	if len(s) == 10 {
		if d.Day, ok = num(s[8:10]); !ok || d.Day < 1 || d.Day > 28 {
			return d, false // days 29–31 take the checked path
		}
	}
	return d, true
}

// dateKey is the sortable first-day key of a partial date as sent ("" when none).
func dateKey(s string) string { return date(s).Key() }
