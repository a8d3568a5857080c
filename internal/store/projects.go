package store

import (
	"context"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

var projectList = listSpec{
	alias: "pr",
	sorts: map[string]sortColumn{
		"title": {column: "title_sort"}, "slug": {column: "slug"}, "status": {column: "status"},
		"category": {column: "category"}, "started_on": {column: "started_on_key"},
		"created_at": {column: "created_at", isTime: true}, "updated_at": {column: "updated_at", isTime: true},
	},
	defaultSort: "title",
}

// ProjectSortFields are the fields projects can be sorted by.
var ProjectSortFields = projectList.SortFields()

// projectView is a project row with the brief refs of its cooperation and solution,
// read in one query. The row is a named field: GORM skips unexported embedded structs.
type projectView struct {
	Row          projectRow `gorm:"embedded"`
	CoopSlug     string
	CoopTitle    string
	SolutionSlug *string
	SolutionName *string
}

const projectSelect = "pr.*, c.slug AS coop_slug, c.title AS coop_title, s.slug AS solution_slug, s.name AS solution_name"

// projectColumns are the columns of projects but status, for the as-of view.
const projectColumns = `id, slug, title, title_sort, description, cooperation_id, solution_id, category,
 started_on, started_on_key, planned_end_on, ended_on, legal_basis, budget_planned_cents, cost_actual_cents,
 savings_estimated_cents, currency, tags, sources, created_at, updated_at, version, deleted_at`

// projectQuery selects projects (alias pr) with their brief refs (aliases c, s); see
// projectTable.
func projectQuery(conn *gorm.DB, asOf coop.PartialDate) *gorm.DB {
	return projectTable(conn, asOf).Select(projectSelect).
		Joins("LEFT JOIN cooperations c ON c.id = pr.cooperation_id").
		Joins("LEFT JOIN solutions s ON s.id = pr.solution_id")
}

// projectTable selects projects (alias pr). With asOf set, pr is a view of projects
// whose status is the one they had on that date according to status_changes (the
// latest entry taking effect before asOf ends; undated entries count as the earliest);
// projects without an entry by then have a NULL status, which the caller filters out.
// Filters, sorts and counts then all see that status.
func projectTable(conn *gorm.DB, asOf coop.PartialDate) *gorm.DB {
	if asOf.IsZero() {
		return conn.Table("projects pr")
	}
	return conn.Table(`(SELECT `+projectColumns+`, (SELECT sc.to_status FROM status_changes sc
 WHERE sc.resource_type = 'project' AND sc.resource_id = p0.id AND sc.effective_on_key < ?
 ORDER BY sc.effective_on_key DESC, sc.id DESC LIMIT 1) AS status FROM projects p0) pr`,
		asOf.End().Format("2006-01-02"))
}

// FindProjects lists live projects matching f, one keyset page with its total and the
// page's participants, whatever the page size: two round trips when f filters by
// nothing but status and category (the total comes from project_counts with the page),
// three otherwise (a COUNT first). On PostgreSQL the page and the participants run
// natively (pgxfast.go), and the participants' statement brings the page's
// cooperation and solution refs too; SQLite joins them into the page.
func (db *DB) FindProjects(ctx context.Context, f coop.ProjectFilter) (coop.ListResult[coop.Project], error) {
	var out coop.ListResult[coop.Project]
	conn := db.gorm.WithContext(ctx)
	native := db.dialect == Postgres
	var q *gorm.DB
	cols := projectCols
	if native {
		q, cols = projectTable(conn, f.AsOf), projectRowCols
	} else {
		q = projectQuery(conn, f.AsOf)
	}
	q, err := db.filterProjectsIn(q, f)
	if err != nil {
		return out, err
	}
	counter, counterArgs, counted := projectCounter(f)
	if !counted {
		if err := q.Session(&gorm.Session{}).Count(&out.Total).Error; err != nil {
			return out, translate(err)
		}
	}
	q, keys, limit, err := projectList.page(q, f.Page)
	if err != nil {
		return out, err
	}
	if counted {
		q = q.Joins("CROSS JOIN ("+counter+") t", counterArgs...).Select(cols + ", t.total")
	} else {
		q = q.Select(cols)
	}
	var (
		rows  []projectView
		more  bool
		parts [][]coop.Participant
		total int64
	)
	if native {
		rows, more, parts, total, err = db.pgProjectPage(ctx, q, limit, counted, genericPlanSafe(f, keys))
	} else {
		rows, total, err = scanProjectPage(q, counted)
		if more = len(rows) > limit; more {
			rows = rows[:limit]
		}
		if err == nil && len(rows) > 0 {
			parts, err = participantsOf(conn, rows)
		}
	}
	if err != nil {
		return out, translate(err)
	}
	if counted {
		out.Total = total
		if total < 0 { // an empty page: no row carried the total
			if err := conn.Raw(counter, counterArgs...).Scan(&out.Total).Error; err != nil {
				return out, translate(err)
			}
		}
	}
	if more {
		last := rows[limit-1].Row
		out.NextCursor = nextCursor(keys, projectSortValues(last, keys), last.ID)
	}
	out.Items = withParticipants(rows, parts)
	return out, nil
}

// filterProjects selects the live projects f selects, by every project filter of
// api.md, from projectQuery(conn, f.AsOf) (alias pr; with AsOf, the statuses as they
// stood then); paging is the caller's. Lists, statistics and exports share it.
func (db *DB) filterProjects(conn *gorm.DB, f coop.ProjectFilter) (*gorm.DB, error) {
	return db.filterProjectsIn(projectQuery(conn, f.AsOf), f)
}

// filterProjectsIn applies f's filters to q, a projectTable or projectQuery of f.AsOf.
func (db *DB) filterProjectsIn(q *gorm.DB, f coop.ProjectFilter) (*gorm.DB, error) {
	q = q.Where("pr.deleted_at IS NULL")
	if !f.AsOf.IsZero() {
		q = q.Where("pr.status IS NOT NULL")
	}
	if len(f.Statuses) > 0 {
		q = q.Where("pr.status IN ?", f.Statuses)
	}
	if len(f.Categories) > 0 {
		q = q.Where("pr.category IN ?", f.Categories)
	}
	if len(f.Cooperations) > 0 {
		ids, slugs := splitRefs(f.Cooperations)
		q = q.Where("pr.cooperation_id IN (SELECT id FROM cooperations WHERE (id IN ? OR slug IN ?) AND deleted_at IS NULL)", ids, slugs)
	}
	if len(f.Solutions) > 0 {
		ids, slugs := splitRefs(f.Solutions)
		q = q.Where("pr.solution_id IN (SELECT id FROM solutions WHERE (id IN ? OR slug IN ?) AND deleted_at IS NULL)", ids, slugs)
	}
	switch {
	case len(f.Partners) > 0 && len(f.Roles) > 0:
		ids, slugs := splitRefs(f.Partners)
		q = q.Where(`EXISTS (SELECT 1 FROM project_participants pp WHERE pp.project_id = pr.id
 AND pp.partner_id IN (`+livePartnersSQL+`) AND pp.role IN ?)`, ids, slugs, f.Roles)
	case len(f.Partners) > 0:
		ids, slugs := splitRefs(f.Partners)
		q = q.Where(`EXISTS (SELECT 1 FROM project_participants pp WHERE pp.project_id = pr.id
 AND pp.partner_id IN (`+livePartnersSQL+`))`, ids, slugs)
	case len(f.Roles) > 0:
		q = q.Where("EXISTS (SELECT 1 FROM project_participants pp WHERE pp.project_id = pr.id AND pp.role IN ?)", f.Roles)
	}
	if len(f.Tags) > 0 {
		q = q.Where("EXISTS (SELECT 1 FROM project_tags t WHERE t.project_id = pr.id AND t.tag IN ?)", f.Tags)
	}
	if !f.StartedFrom.IsZero() || !f.StartedTo.IsZero() {
		q = q.Where("pr.started_on_key <> ''")
	}
	if !f.StartedFrom.IsZero() {
		q = q.Where("pr.started_on_key >= ?", f.StartedFrom.Key())
	}
	if !f.StartedTo.IsZero() {
		q = q.Where("pr.started_on_key < ?", f.StartedTo.End().Format("2006-01-02"))
	}
	if f.UpdatedSince != nil {
		q = q.Where("pr.updated_at >= ?", f.UpdatedSince.UTC())
	}
	return db.searchFilter(q, coop.TypeProject, "pr", f.Q)
}

func projectSortValues(r projectRow, keys []coop.SortKey) []any {
	vals := make([]any, len(keys))
	for i, k := range keys {
		switch k.Field {
		case "title":
			vals[i] = r.TitleSort
		case "slug":
			vals[i] = r.Slug
		case "status":
			vals[i] = r.Status
		case "category":
			vals[i] = r.Category
		case "started_on":
			vals[i] = r.StartedOnKey
		case "created_at":
			vals[i] = r.CreatedAt
		case "updated_at":
			vals[i] = r.UpdatedAt
		}
	}
	return vals
}

// FindProject returns the live project with that id or slug.
func (db *DB) FindProject(ctx context.Context, ref string) (coop.Project, error) {
	if db.dialect == Postgres {
		return db.pgFindProject(ctx, ref)
	}
	return findProject(db.gorm.WithContext(ctx), ref, false)
}

// projectsFrom turns views into projects, loading the participants of all of them in
// one query.
func projectsFrom(conn *gorm.DB, views []projectView) ([]coop.Project, error) {
	parts, err := participantsOf(conn, views)
	if err != nil {
		return nil, err
	}
	return withParticipants(views, parts), nil
}

// participantsOf loads the participants of views in one query, in the order of views.
func participantsOf(conn *gorm.DB, views []projectView) ([][]coop.Participant, error) {
	if len(views) == 0 {
		return nil, nil
	}
	ids := make([]string, len(views))
	for i, v := range views {
		ids[i] = v.Row.ID
	}
	byID, err := loadParticipants(conn, ids)
	if err != nil {
		return nil, err
	}
	out := make([][]coop.Participant, len(views))
	for i, v := range views {
		out[i] = byID[v.Row.ID]
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

// participantPartnerIDs returns the partner ids of p's participants, for the editor
// scope.
func participantPartnerIDs(p coop.Project) []string {
	out := make([]string, len(p.Participants))
	for i, x := range p.Participants {
		out[i] = x.Partner.ID
	}
	return out
}
