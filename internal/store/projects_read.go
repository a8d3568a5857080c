package store

import (
	"database/sql"
	"strings"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// The read path of projects is the directory's hot path (a list page per portal page
// view), so it scans rows by hand into fixed destinations instead of GORM's reflective
// Find, and keeps its round trips constant: a list page is the page with its total
// (one statement for the filters portals use, see projectCounter) and the page's
// participants; a single project is one statement. On PostgreSQL the list and the get
// run through pgx natively (pgxfast.go); the scans here serve SQLite, and both
// databases inside write transactions and exports.

// projectRowCols are the columns of a project row (alias pr), in the order of
// projectScan's and pgProjectScan's destinations.
const projectRowCols = `pr.id, pr.slug, pr.title, pr.title_sort, pr.description, pr.cooperation_id,
 pr.solution_id, pr.category, pr.status, pr.started_on, pr.started_on_key, pr.planned_end_on, pr.ended_on,
 pr.legal_basis, pr.budget_planned_cents, pr.cost_actual_cents, pr.savings_estimated_cents, pr.currency,
 pr.tags, pr.sources, pr.created_at, pr.updated_at, pr.version, pr.deleted_at`

// projectCols are the columns projectScan reads, in its order: the project row and
// its cooperation's and solution's brief refs (aliases pr, c, s of projectQuery).
const projectCols = projectRowCols + `, c.slug, c.title, s.slug, s.name`

// projectScan holds the scan destinations of projectCols.
type projectScan struct {
	row                              projectRow
	solutionID                       sql.NullString
	budget, cost, savings            sql.NullInt64
	deleted                          sql.NullTime
	coopSlug, coopTitle, sSlug, sNam sql.NullString
}

// dest returns the destinations of projectCols followed by extra.
func (p *projectScan) dest(extra ...any) []any {
	r := &p.row
	return append([]any{&r.ID, &r.Slug, &r.Title, &r.TitleSort, &r.Description, &r.CooperationID,
		&p.solutionID, &r.Category, &r.Status, &r.StartedOn, &r.StartedOnKey, &r.PlannedEndOn, &r.EndedOn,
		&r.LegalBasis, &p.budget, &p.cost, &p.savings, &r.Currency,
		&r.Tags, &r.Sources, &r.CreatedAt, &r.UpdatedAt, &r.Version, &p.deleted,
		&p.coopSlug, &p.coopTitle, &p.sSlug, &p.sNam}, extra...)
}

// view returns what was scanned as a projectView.
func (p *projectScan) view() projectView {
	v := projectView{Row: p.row, CoopSlug: p.coopSlug.String, CoopTitle: p.coopTitle.String}
	r := &v.Row
	if p.solutionID.Valid {
		id, slug, name := p.solutionID.String, p.sSlug.String, p.sNam.String
		r.SolutionID, v.SolutionSlug, v.SolutionName = &id, &slug, &name
	}
	r.BudgetPlannedCents = nullInt(p.budget)
	r.CostActualCents = nullInt(p.cost)
	r.SavingsEstimatedCents = nullInt(p.savings)
	if p.deleted.Valid {
		t := p.deleted.Time
		r.DeletedAt = &t
	}
	return v
}

func nullInt(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	return &n.Int64
}

// projectCounter returns a statement that reads the number of live projects f selects
// from project_counts (kept by triggers, migration 00003), if f filters by nothing but
// status and category; ok is false for every other filter, which needs a COUNT.
func projectCounter(f coop.ProjectFilter) (stmt string, args []any, ok bool) {
	if len(f.Cooperations)+len(f.Solutions)+len(f.Partners)+len(f.Roles)+len(f.Tags) > 0 ||
		!f.StartedFrom.IsZero() || !f.StartedTo.IsZero() || f.Q != "" || f.UpdatedSince != nil || !f.AsOf.IsZero() {
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

// scanProjectPage runs q (a page of projectQuery) selecting projectCols, and with
// withTotal the column "total" after them; total is -1 when no row came back.
func scanProjectPage(q *gorm.DB, withTotal bool) (views []projectView, total int64, err error) {
	rows, err := q.Rows()
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	total = -1
	var s projectScan
	dest := s.dest()
	if withTotal {
		dest = s.dest(&total)
	}
	for rows.Next() {
		s = projectScan{}
		if err := rows.Scan(dest...); err != nil {
			return nil, 0, err
		}
		views = append(views, s.view())
	}
	return views, total, rows.Err()
}

// participantsSQL reads the participants of a set of projects (IN ?) with their
// partners' brief refs, in position order.
const participantsSQL = `SELECT pp.project_id, pp.partner_id, p.slug, p.name, pp.role, pp.since, pp.until
 FROM project_participants pp JOIN partners p ON p.id = pp.partner_id
 WHERE pp.project_id IN ? ORDER BY pp.project_id, pp.position`

// loadParticipants returns the participants of the given projects with their
// partners' brief refs, in position order, keyed by project id.
func loadParticipants(conn *gorm.DB, ids []string) (map[string][]coop.Participant, error) {
	rows, err := conn.Raw(participantsSQL, ids).Rows()
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := make(map[string][]coop.Participant, len(ids))
	var projectID, since, until string
	var x coop.Participant
	dest := []any{&projectID, &x.Partner.ID, &x.Partner.Slug, &x.Partner.Name, &x.Role, &since, &until}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, translate(err)
		}
		x.Since, x.Until = date(since), date(until)
		list := out[projectID]
		if list == nil {
			list = make([]coop.Participant, 0, 4)
		}
		out[projectID] = append(list, x)
	}
	return out, translate(rows.Err())
}

// projectOneSQL reads one project with its refs and participants (one row per
// participant, at least one row) in one statement; the caller adds the condition.
const projectOneSQL = `SELECT ` + projectCols + `, pp.partner_id, pa.slug, pa.name, pp.role, pp.since, pp.until
 FROM projects pr
 LEFT JOIN cooperations c ON c.id = pr.cooperation_id
 LEFT JOIN solutions s ON s.id = pr.solution_id
 LEFT JOIN project_participants pp ON pp.project_id = pr.id
 LEFT JOIN partners pa ON pa.id = pp.partner_id
 WHERE `

// findProject loads one project with its refs and participants in one statement;
// deleted selects the most recently deleted row of that id or slug instead of the live
// one.
func findProject(conn *gorm.DB, ref string, deleted bool) (coop.Project, error) {
	col := "slug"
	if isUUID(ref) {
		col = "id"
	}
	cond := "pr.deleted_at IS NULL AND pr." + col + " = ?"
	if deleted {
		cond = "pr.id = (SELECT id FROM projects WHERE deleted_at IS NOT NULL AND " + col +
			" = ? ORDER BY deleted_at DESC LIMIT 1)"
	}
	rows, err := conn.Raw(projectOneSQL+cond+" ORDER BY pp.position", ref).Rows()
	if err != nil {
		return coop.Project{}, translate(err)
	}
	defer rows.Close()
	var (
		s                   projectScan
		p                   coop.Project
		found               bool
		partner, pSlug, pNm sql.NullString
		role, since, until  sql.NullString
	)
	dest := s.dest(&partner, &pSlug, &pNm, &role, &since, &until)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return coop.Project{}, translate(err)
		}
		if !found {
			found = true
			p = s.view().project()
			p.Participants = make([]coop.Participant, 0, 4)
		}
		if partner.Valid {
			p.Participants = append(p.Participants, coop.Participant{
				Partner: coop.Ref{ID: partner.String, Slug: pSlug.String, Name: pNm.String},
				Role:    role.String, Since: date(since.String), Until: date(until.String)})
		}
	}
	if err := rows.Err(); err != nil {
		return coop.Project{}, translate(err)
	}
	if !found {
		return coop.Project{}, coop.Errorf(coop.ENotFound, "%s %q nicht gefunden / not found", "Vorhaben", ref)
	}
	return p, nil
}
