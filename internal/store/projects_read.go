package store

import (
	"context"
	"slices"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/sqldb"
)

// The one reader of projects. Every read of a project goes through it: a list page,
// a project by id or slug, the batches of an export and the re-reads of a write
// transaction for its answer and its change-log record. It keeps the round trips
// constant: a page is the page itself (with its total for the filters portals use,
// see projectCounter) and one statement for the page's participants and the brief
// refs of its cooperations and solutions, by the page's ids; a single project is one
// statement.

// projectCols are the columns of a project row (alias pr), in the order of
// projectRow.dest.
const projectCols = `pr.id, pr.slug, pr.title, pr.title_sort, pr.description, pr.cooperation_id,
 pr.solution_id, pr.category, pr.status, pr.started_on, pr.started_on_key, pr.planned_end_on, pr.ended_on,
 pr.legal_basis, pr.budget_planned_cents, pr.cost_actual_cents, pr.savings_estimated_cents, pr.currency,
 pr.tags, pr.sources, pr.created_at, pr.updated_at, pr.version, pr.deleted_at`

// dest returns the scan destinations of projectCols followed by extra. Nullable
// columns scan into pointer fields (NULL leaves them nil), on both executors.
func (r *projectRow) dest(extra ...any) []any {
	return append([]any{&r.ID, &r.Slug, &r.Title, &r.TitleSort, &r.Description, &r.CooperationID,
		&r.SolutionID, &r.Category, &r.Status, &r.StartedOn, &r.StartedOnKey, &r.PlannedEndOn, &r.EndedOn,
		&r.LegalBasis, &r.BudgetPlannedCents, &r.CostActualCents, &r.SavingsEstimatedCents, &r.Currency,
		&r.Tags, &r.Sources, &r.CreatedAt, &r.UpdatedAt, &r.Version, &r.DeletedAt}, extra...)
}

// participantCols are the columns of a participant with its partner's brief ref
// (aliases pp, pa), in the order of participantScan.dest.
const participantCols = `pp.partner_id, pa.slug, pa.name, pp.role, pp.since, pp.until`

// participantScan holds the scan destinations of participantCols; they are NULL
// where a project without participants is LEFT JOINed to them.
type participantScan struct {
	partner, slug, name, role, since, until pgtype.Text
}

func (p *participantScan) dest(extra ...any) []any {
	return append([]any{&p.partner, &p.slug, &p.name, &p.role, &p.since, &p.until}, extra...)
}

// participant is what was scanned; ok is false for the NULL row of a project without
// participants.
func (p *participantScan) participant() (coop.Participant, bool) {
	return coop.Participant{Partner: coop.Ref{ID: p.partner.String, Slug: p.slug.String, Name: p.name.String},
		Role: p.role.String, Since: date(p.since.String), Until: date(p.until.String)}, p.partner.Valid
}

// projectView is a project row with the brief refs of its cooperation and solution.
type projectView struct {
	Row          projectRow
	CoopSlug     string
	CoopTitle    string
	SolutionSlug *string
	SolutionName *string
}

// projectPage is one page of projects as read.
type projectPage struct {
	views []projectView
	parts [][]coop.Participant // parts[i]: the participants of views[i], in position order
	more  bool                 // rows follow the page
	total int64                // with withTotal: the total the page's rows carry; -1 without rows
}

// readProjectPage runs q, a page of limit rows (listSpec.page) selecting projectCols
// (and "total" after them with withTotal; see FindProjects), then reads the page's
// participants and refs.
func readProjectPage(ctx context.Context, x sqldb.Executor, q *sqldb.Query, limit int, withTotal, generic bool) (projectPage, error) {
	page := projectPage{total: -1, views: make([]projectView, 0, limit+1)}
	s := q.Stmt()
	s.GenericPlan = generic
	var row projectRow
	dest := row.dest()
	if withTotal {
		dest = row.dest(&page.total)
	}
	err := x.Query(ctx, s, func(r sqldb.Rows) error {
		row = projectRow{}
		if err := r.Scan(dest...); err != nil {
			return err
		}
		page.views = append(page.views, projectView{Row: row})
		return nil
	})
	if err != nil {
		return page, err
	}
	if page.more = len(page.views) > limit; page.more {
		page.views = page.views[:limit]
	}
	if len(page.views) > 0 {
		page.parts, err = readPageRefs(ctx, x, page.views)
	}
	return page, err
}

// readPageRefs reads the participants of views (in the order of views) and fills in
// their cooperations' and solutions' brief refs, in one statement: rows marked p for
// participants (in no order: they are sorted here by position), c and s for the refs.
func readPageRefs(ctx context.Context, x sqldb.Executor, views []projectView) ([][]coop.Participant, error) {
	ids := make([]string, len(views))
	coops := make([]string, len(views))
	var solutions []string
	index := make(map[string]int, len(views))
	for i, v := range views {
		ids[i], coops[i] = v.Row.ID, v.Row.CooperationID
		index[v.Row.ID] = i
		if v.Row.SolutionID != nil {
			solutions = append(solutions, *v.Row.SolutionID)
		}
	}
	s := sqldb.Concat(
		sqldb.Fragment{SQL: `SELECT 'p', pp.project_id, pp.position, ` + participantCols + `
 FROM project_participants pp JOIN partners pa ON pa.id = pp.partner_id WHERE `},
		x.AnyOf("pp.project_id", ids),
		sqldb.Fragment{SQL: `
 UNION ALL SELECT 'c', NULL, 0, c.id, c.slug, c.title, '', '', '' FROM cooperations c WHERE `},
		x.AnyOf("c.id", coops),
		sqldb.Fragment{SQL: `
 UNION ALL SELECT 's', NULL, 0, s.id, s.slug, s.name, '', '', '' FROM solutions s WHERE `},
		x.AnyOf("s.id", solutions))
	type ref struct{ slug, name string }
	var (
		kind         string
		project      pgtype.Text
		position     int
		p            participantScan
		list         = make([]positioned, 0, 4*len(views))
		coopRefs     = make(map[string]ref, len(views))
		solutionRefs = make(map[string]ref, len(solutions))
	)
	dest := append([]any{&kind, &project, &position}, p.dest()...)
	err := x.Query(ctx, s, func(r sqldb.Rows) error {
		if err := r.Scan(dest...); err != nil {
			return err
		}
		switch kind {
		case "c":
			coopRefs[p.partner.String] = ref{p.slug.String, p.name.String}
		case "s":
			solutionRefs[p.partner.String] = ref{p.slug.String, p.name.String}
		default:
			part, _ := p.participant()
			list = append(list, positioned{index[project.String], position, part})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range views {
		v := &views[i]
		r := coopRefs[v.Row.CooperationID]
		v.CoopSlug, v.CoopTitle = r.slug, r.name
		if v.Row.SolutionID != nil {
			r := solutionRefs[*v.Row.SolutionID]
			v.SolutionSlug, v.SolutionName = &r.slug, &r.name
		}
	}
	slices.SortFunc(list, func(a, b positioned) int {
		if a.view != b.view {
			return a.view - b.view
		}
		return a.position - b.position
	})
	out := make([][]coop.Participant, len(views))
	for i, start := 0, 0; i < len(list); i++ {
		if v := list[i].view; i+1 == len(list) || list[i+1].view != v {
			parts := make([]coop.Participant, i+1-start)
			for j := range parts {
				parts[j] = list[start+j].p
			}
			out[v] = parts
			start = i + 1
		}
	}
	return out, nil
}

// positioned is a participant with its project's index in the page and its position.
type positioned struct {
	view, position int
	p              coop.Participant
}

// readProject reads one project with its refs and participants in one statement (one
// row per participant, at least one row); deleted selects the most recently deleted
// row of that id or slug instead of the live one.
func readProject(ctx context.Context, x sqldb.Executor, ref string, deleted bool) (coop.Project, error) {
	col := "slug"
	if isUUID(ref) {
		col = "id"
	}
	q := sqldb.SelectFrom(projectCols+`, c.slug, c.title, s.slug, s.name, `+participantCols, "projects pr").
		Join("LEFT JOIN cooperations c ON c.id = pr.cooperation_id").
		Join("LEFT JOIN solutions s ON s.id = pr.solution_id").
		Join("LEFT JOIN project_participants pp ON pp.project_id = pr.id").
		Join("LEFT JOIN partners pa ON pa.id = pp.partner_id").
		OrderBy("pp.position")
	if deleted {
		q.Where("pr.id = (SELECT id FROM projects WHERE deleted_at IS NOT NULL AND "+col+
			" = ? ORDER BY deleted_at DESC LIMIT 1)", ref)
	} else {
		q.Where("pr.deleted_at IS NULL").Where("pr."+col+" = ?", ref)
	}
	var (
		v     projectView
		p     participantScan
		out   coop.Project
		found bool
	)
	dest := append(v.Row.dest(&v.CoopSlug, &v.CoopTitle, &v.SolutionSlug, &v.SolutionName), p.dest()...)
	err := x.Query(ctx, q.Stmt(), func(r sqldb.Rows) error {
		if err := r.Scan(dest...); err != nil {
			return err
		}
		if !found {
			found = true
			out = v.project()
			out.Participants = make([]coop.Participant, 0, 4)
			// the next rows repeat the project: skip its columns
			n, skip := len(dest)-6, x.Skip()
			dest = slices.Clone(dest)
			for i := range n {
				dest[i] = skip
			}
		}
		if part, ok := p.participant(); ok {
			out.Participants = append(out.Participants, part)
		}
		return nil
	})
	if err != nil {
		return coop.Project{}, err
	}
	if !found {
		return coop.Project{}, coop.Errorf(coop.ENotFound, "%s %q nicht gefunden / not found", "Vorhaben", ref)
	}
	return out, nil
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
