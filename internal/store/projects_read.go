package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/sqldb"
)

// The one reader of projects. Every read of a project goes through it: a list page,
// a project by id or slug, the batches of an export and the re-reads of a write
// transaction for its answer and its change-log record. A project is read from its row
// alone: the brief refs of its cooperation, solution and participants are kept beside
// it (projects.refs, kept by triggers: migration 00045), so a page is one statement
// (with its total for the filters portals use, see projectCounter) and a project one
// row.

// projectCols are the columns of a project row (alias pr), in the order of
// projectRow.dest.
const projectCols = `pr.id, pr.slug, pr.title, pr.title_sort, pr.description, pr.cooperation_id,
 pr.solution_id, pr.category, pr.status, pr.started_on, pr.started_on_key, pr.planned_end_on, pr.ended_on,
 pr.legal_basis, pr.budget_planned_cents, pr.cost_actual_cents, pr.savings_estimated_cents, pr.currency,
 pr.tags, pr.sources, pr.created_at, pr.updated_at, pr.version, pr.deleted_at`

// projectReadCols are what the reader selects: projectCols and the refs, in the order
// of projectView.dest.
const projectReadCols = projectCols + ", pr.refs"

// dest returns the scan destinations of projectCols followed by extra. Nullable
// columns scan into pointer fields (NULL leaves them nil), on both executors.
func (r *projectRow) dest(extra ...any) []any {
	return append([]any{&r.ID, &r.Slug, &r.Title, &r.TitleSort, &r.Description, &r.CooperationID,
		&r.SolutionID, &r.Category, &r.Status, &r.StartedOn, &r.StartedOnKey, &r.PlannedEndOn, &r.EndedOn,
		&r.LegalBasis, &r.BudgetPlannedCents, &r.CostActualCents, &r.SavingsEstimatedCents, &r.Currency,
		&r.Tags, &r.Sources, &r.CreatedAt, &r.UpdatedAt, &r.Version, &r.DeletedAt}, extra...)
}

// projectView is a project row with the brief refs of its cooperation and solution.
type projectView struct {
	Row          projectRow
	CoopSlug     string
	CoopTitle    string
	SolutionSlug *string
	SolutionName *string
}

// projectScan is what the reader scans of a row: projectReadCols.
type projectScan struct {
	row  projectRow
	refs string
}

func (s *projectScan) dest(extra ...any) []any {
	return s.row.dest(append([]any{&s.refs}, extra...)...)
}

// view turns the scanned row into a view and its participants, in position order
// (an empty list for none).
func (s *projectScan) view() (projectView, []coop.Participant, error) {
	v := projectView{Row: s.row}
	parts, err := v.parseRefs(s.refs)
	return v, parts, err
}

// The separators of projects.refs (migration 00045): between fields and before each
// participant.
const (
	refsField       = '\x1f'
	refsParticipant = '\x1e'
)

// parseRefs reads refs (projects.refs: cooperation slug and title, solution slug and
// name, then per participant partner id, slug, name, role, since, until) into v's refs
// and returns the participants. The strings share refs' memory.
func (v *projectView) parseRefs(refs string) ([]coop.Participant, error) {
	bad := fmt.Errorf("project %s: malformed refs", v.Row.ID)
	head, rest, more := strings.Cut(refs, string(refsParticipant))
	var f [6]string
	if !fields(head, f[:4]) {
		return nil, bad
	}
	v.CoopSlug, v.CoopTitle = f[0], f[1]
	if v.Row.SolutionID != nil {
		slug, name := f[2], f[3]
		v.SolutionSlug, v.SolutionName = &slug, &name
	}
	parts := make([]coop.Participant, 0, strings.Count(rest, string(refsParticipant))+1)
	for more {
		var rec string
		rec, rest, more = strings.Cut(rest, string(refsParticipant))
		if !fields(rec, f[:]) {
			return nil, bad
		}
		parts = append(parts, coop.Participant{Partner: coop.Ref{ID: f[0], Slug: f[1], Name: f[2]},
			Role: f[3], Since: date(f[4]), Until: date(f[5])})
	}
	return parts, nil
}

// fields splits rec at its field separators into exactly len(out) fields.
func fields(rec string, out []string) bool {
	for i := range len(out) - 1 {
		j := strings.IndexByte(rec, refsField)
		if j < 0 {
			return false
		}
		out[i], rec = rec[:j], rec[j+1:]
	}
	out[len(out)-1] = rec
	return strings.IndexByte(rec, refsField) < 0
}

// projectPage is one page of projects as read.
type projectPage struct {
	views []projectView
	parts [][]coop.Participant // parts[i]: the participants of views[i], in position order
	more  bool                 // rows follow the page
	total int64                // with withTotal: the total the page's rows carry; -1 without rows
}

// readProjectPage runs q, a page of limit rows (listSpec.page) selecting
// projectReadCols (and "total" after them with withTotal; see FindProjects).
func readProjectPage(ctx context.Context, x sqldb.Executor, q *sqldb.Query, limit int, withTotal, generic bool) (projectPage, error) {
	page := projectPage{total: -1, views: make([]projectView, 0, limit+1), parts: make([][]coop.Participant, 0, limit+1)}
	s := q.Stmt()
	s.GenericPlan = generic
	var row projectScan
	dest := row.dest()
	if withTotal {
		dest = row.dest(&page.total)
	}
	err := x.Query(ctx, s, func(r sqldb.Rows) error {
		row = projectScan{}
		if err := r.Scan(dest...); err != nil {
			return err
		}
		v, parts, err := row.view()
		page.views, page.parts = append(page.views, v), append(page.parts, parts)
		return err
	})
	if err != nil {
		return page, err
	}
	if page.more = len(page.views) > limit; page.more {
		page.views, page.parts = page.views[:limit], page.parts[:limit]
	}
	return page, err
}

// readProject reads one project with its refs and participants: one row. deleted
// selects the most recently deleted row of that id or slug instead of the live one.
func readProject(ctx context.Context, x sqldb.Executor, ref string, deleted bool) (coop.Project, error) {
	col := "slug"
	if isUUID(ref) {
		col = "id"
	}
	q := sqldb.SelectFrom(projectReadCols, "projects pr")
	if deleted {
		q.Where("pr.id = (SELECT id FROM projects WHERE deleted_at IS NOT NULL AND "+col+
			" = ? ORDER BY deleted_at DESC LIMIT 1)", ref)
	} else {
		q.Where("pr.deleted_at IS NULL").Where("pr."+col+" = ?", ref)
	}
	var row projectScan
	found, err := sqldb.QueryRow(ctx, x, q.Stmt(), row.dest()...)
	if err != nil {
		return coop.Project{}, err
	}
	if !found {
		return coop.Project{}, coop.Errorf(coop.ENotFound, "%s %q nicht gefunden / not found", "Vorhaben", ref)
	}
	v, parts, err := row.view()
	if err != nil {
		return coop.Project{}, err
	}
	return withParticipants([]projectView{v}, [][]coop.Participant{parts})[0], nil
}

// withParticipants turns views into projects with their participants, parts[i] those
// of views[i] (an empty list for none).
func withParticipants(views []projectView, parts [][]coop.Participant) []coop.Project {
	out := make([]coop.Project, len(views))
	for i, v := range views {
		out[i] = v.project()
		if i < len(parts) {
			out[i].Participants = parts[i]
		}
		if out[i].Participants == nil {
			out[i].Participants = []coop.Participant{}
		}
	}
	return out
}

func (v projectView) project() coop.Project {
	r := v.Row
	p := coop.Project{
		Meta: coop.Meta{ID: r.ID, Slug: r.Slug, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
			Version: r.Version, DeletedAt: utcPtr(r.DeletedAt)},
		Title: r.Title, Description: r.Description,
		Cooperation: coop.Ref{ID: r.CooperationID, Slug: v.CoopSlug, Name: v.CoopTitle},
		Category:    r.Category, Status: r.Status, StartedOn: date(r.StartedOn),
		PlannedEndOn: date(r.PlannedEndOn), EndedOn: date(r.EndedOn),
		LegalBasis: fromJSONText[string](r.LegalBasis), Tags: fromJSONText[string](r.Tags),
		Sources: sourcesFrom(r.Sources),
		Finance: coop.Finance{BudgetPlanned: cents(r.BudgetPlannedCents), CostActual: cents(r.CostActualCents),
			SavingsEstimated: cents(r.SavingsEstimatedCents), Currency: r.Currency},
	}
	if r.SolutionID != nil {
		p.Solution = &coop.Ref{ID: *r.SolutionID, Slug: deref(v.SolutionSlug), Name: deref(v.SolutionName)}
	}
	return p
}

func cents(c *int64) *coop.Cents {
	if c == nil {
		return nil
	}
	x := coop.Cents(*c)
	return &x
}
