package store

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/sqldb"
)

// A project list, in the order a request runs through it: FindProjects, projectQuery
// (every filter; ids or slugs told apart in refs.go, the q filter in search.go),
// projectTable, projectCounter, the page (list.go: sort, cursor, limit), the one reader
// (projects_read.go: readProjectPage, withParticipants) and the next
// cursor (projectSortValues, list.go's nextCursor).

var projectList = listSpec{
	alias: "pr",
	sorts: map[string]sortColumn{
		"title": {column: "title_sort"}, "slug": {column: "slug"}, "status": {column: "status"},
		"category": {column: "category"}, "started_on": {column: "started_on_key"},
		"created_at": {column: "created_at", isTime: true}, "updated_at": {column: "updated_at", isTime: true},
	},
	defaultSort: "title",
}

// FindProjects lists live projects matching f, one keyset page with its total and the
// page's participants, whatever the page size: one round trip when f filters by
// nothing but status and category (the total comes from project_counts with the page),
// two otherwise (a COUNT first).
func (s *ProjectService) FindProjects(ctx context.Context, f coop.ProjectFilter) (coop.ListResult[coop.Project], error) {
	var out coop.ListResult[coop.Project]
	q, err := s.projectQuery(ctx, f, projectReadCols)
	if err != nil {
		return out, err
	}
	count := q.CountStmt()
	counter, counterArgs, counted := projectCounter(f)
	keys, limit, err := projectList.page(q, f.Page)
	if err != nil {
		return out, err
	}
	if counted {
		q.Join("CROSS JOIN ("+counter+") t", counterArgs...)
		q.Cols = projectReadCols + ", t.total"
	}
	var page projectPage
	err = s.read(ctx, func(x sqldb.Executor) error {
		if !counted {
			if _, err := sqldb.QueryRow(ctx, x, count, &out.Total); err != nil {
				return err
			}
		}
		if page, err = readProjectPage(ctx, x, q, limit, counted, genericPlanSafe(f, keys)); err != nil {
			return err
		}
		if counted {
			out.Total = page.total
			if page.total < 0 { // an empty page: no row carried the total
				_, err = sqldb.QueryRow(ctx, x, sqldb.Raw(counter, counterArgs...), &out.Total)
			}
		}
		return err
	})
	if err != nil {
		return out, err
	}
	if page.more {
		last := page.views[limit-1].Row
		out.NextCursor = nextCursor(keys, projectSortValues(last, keys), last.ID)
	}
	out.Items = withParticipants(page.views, page.parts)
	return out, nil
}

// projectQuery selects cols of the live projects f selects (alias pr), by every
// project filter (api/README.md, "Filters"; with AsOf, the statuses as they stood then); paging is the
// caller's. Lists, statistics and exports share it.
func (b *base) projectQuery(ctx context.Context, f coop.ProjectFilter, cols string) (*sqldb.Query, error) {
	from, args := projectTable(f.AsOf)
	q := sqldb.SelectFrom(cols, from, args...).Where("pr.deleted_at IS NULL")
	if !f.AsOf.IsZero() {
		q.Where("pr.status IS NOT NULL")
	}
	if len(f.Statuses) > 0 {
		q.Where("pr.status IN ?", f.Statuses)
	}
	if len(f.Categories) > 0 {
		q.Where("pr.category IN ?", f.Categories)
	}
	if len(f.Cooperations) > 0 {
		ids, slugs := splitRefs(f.Cooperations)
		q.Where("pr.cooperation_id IN (SELECT id FROM cooperations WHERE (id IN ? OR slug IN ?) AND deleted_at IS NULL)", ids, slugs)
	}
	if len(f.Solutions) > 0 {
		ids, slugs := splitRefs(f.Solutions)
		q.Where("pr.solution_id IN (SELECT id FROM solutions WHERE (id IN ? OR slug IN ?) AND deleted_at IS NULL)", ids, slugs)
	}
	// A participant named (partner) or located (partner_ars) there, each in one of
	// the roles if any are given; roles alone: any participant in them.
	participant := func(partners string, args []any) {
		sql := `EXISTS (SELECT 1 FROM project_participants pp WHERE pp.project_id = pr.id
 AND pp.partner_id IN (` + partners + `)`
		if len(f.Roles) > 0 {
			sql, args = sql+" AND pp.role IN ?", append(args, f.Roles)
		}
		q.Where(sql+")", args...)
	}
	if len(f.Partners) > 0 {
		ids, slugs := splitRefs(f.Partners)
		participant(livePartnersSQL, []any{ids, slugs})
	}
	if len(f.PartnerARS) > 0 {
		participant(locatedPartners("ars", f.PartnerARS))
	}
	if len(f.Roles) > 0 && len(f.Partners)+len(f.PartnerARS) == 0 {
		q.Where("EXISTS (SELECT 1 FROM project_participants pp WHERE pp.project_id = pr.id AND pp.role IN ?)", f.Roles)
	}
	if len(f.Tags) > 0 {
		q.Where("EXISTS (SELECT 1 FROM project_tags t WHERE t.project_id = pr.id AND t.tag IN ?)", f.Tags)
	}
	if !f.StartedFrom.IsZero() || !f.StartedTo.IsZero() {
		q.Where("pr.started_on_key <> ''")
	}
	if !f.StartedFrom.IsZero() {
		q.Where("pr.started_on_key >= ?", f.StartedFrom.Key())
	}
	if !f.StartedTo.IsZero() {
		q.Where("pr.started_on_key < ?", f.StartedTo.End().Format("2006-01-02"))
	}
	if f.UpdatedSince != nil {
		q.Where("pr.updated_at >= ?", f.UpdatedSince.UTC())
	}
	return q, b.searchFilter(ctx, q, coop.TypeProject, "pr", f.Q)
}

// projectColumns are the columns of projects but status, for the as-of view.
const projectColumns = `id, slug, title, title_sort, description, cooperation_id, solution_id, category,
 started_on, started_on_key, planned_end_on, ended_on, legal_basis, budget_planned_cents, cost_actual_cents,
 savings_estimated_cents, currency, tags, sources, created_at, updated_at, version, deleted_at, refs`

// projectTable is the table expression of projects (alias pr) with its arguments. With
// asOf set, pr is a view of projects whose status is the one they had on that date
// according to status_changes (the latest entry taking effect before asOf ends;
// undated entries count as the earliest); projects without an entry by then have a
// NULL status, which projectQuery filters out. Filters, sorts and counts then all see
// that status.
func projectTable(asOf coop.PartialDate) (string, []any) {
	if asOf.IsZero() {
		return "projects pr", nil
	}
	return `(SELECT ` + projectColumns + `, (SELECT sc.to_status FROM status_changes sc
 WHERE sc.resource_type = 'project' AND sc.resource_id = p0.id AND sc.effective_on_key < ?
 ORDER BY sc.effective_on_key DESC, sc.id DESC LIMIT 1) AS status FROM projects p0) pr`,
		[]any{asOf.End().Format("2006-01-02")}
}

// projectCounter returns a statement that reads the number of live projects f selects
// from project_counts (kept by triggers, migration 00003), if f filters by nothing but
// status and category; ok is false for every other filter, which needs a COUNT.
func projectCounter(f coop.ProjectFilter) (stmt string, args []any, ok bool) {
	if !countableFilter(f) {
		return "", nil, false
	}
	var where []string
	if len(f.Statuses) > 0 {
		where, args = append(where, "status IN ?"), append(args, f.Statuses)
	}
	if len(f.Categories) > 0 {
		where, args = append(where, "category IN ?"), append(args, f.Categories)
	}
	// bigint: PostgreSQL sums bigints as numeric, which pgx decodes through big.Int
	stmt = "SELECT CAST(COALESCE(SUM(n), 0) AS bigint) AS total FROM project_counts"
	if len(where) > 0 {
		stmt += " WHERE " + strings.Join(where, " AND ")
	}
	return stmt, args, true
}

// genericPlanSafe reports whether a page of f in the order of keys has one best plan
// whatever the parameters: a range of the index on (status or category or nothing,
// title_sort, id) from the cursor on, in index order. Filters whose selectivity varies
// (several statuses, dates, partners, …) and other orders keep PostgreSQL's choice.
func genericPlanSafe(f coop.ProjectFilter, keys []coop.SortKey) bool {
	_, _, counted := projectCounter(f) // nothing but status and category
	return counted && len(f.Statuses)+len(f.Categories) <= 1 &&
		len(keys) == 1 && keys[0].Field == "title" && !keys[0].Desc
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

// findProject reads a project inside the write transaction tx (readProject).
func (b *base) findProject(tx *gorm.DB, ref string, deleted bool) (coop.Project, error) {
	return readProject(tx.Statement.Context, b.core.InTx(tx), ref, deleted)
}

// FindProject returns the live project with that id or slug.
func (s *ProjectService) FindProject(ctx context.Context, ref string) (p coop.Project, err error) {
	err = s.read(ctx, func(x sqldb.Executor) error {
		p, err = readProject(ctx, x, ref, false)
		return err
	})
	return p, err
}
