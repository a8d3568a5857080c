package store

import (
	"context"
	"fmt"
	"sort"
	"strconv"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"
	"gorm.io/gorm/callbacks"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// On PostgreSQL the hot reads of projects — a list page, a project by id or slug — run
// through pgx natively on a connection of the same pool instead of through
// database/sql: there pgx decoded every value into a driver.Value and database/sql
// converted it again, and GORM's callbacks came on top. The statements are still
// built by GORM where they have filters (one definition of every filter); they are
// routed like GORM's reads (readPool), counted in Statements, and their errors are
// translated like every other. SQLite keeps the database/sql path.
//
// A list page is two round trips: the page with its total, then the page's
// participants together with the brief refs of its cooperations and solutions, by
// arrays of the page's ids (the page without joins costs PostgreSQL less to plan and
// to run). pgx prepares each statement once per connection (its statement cache).

// withConn runs fn on a pgx connection of the pool reads with ctx go to.
func (db *DB) withConn(ctx context.Context, fn func(*pgx.Conn) error) error {
	pool := db.readPool(ctx)
	if gate := db.gateFor(pool); gate != nil {
		if err := gate.enter(ctx); err != nil {
			return err
		}
		defer gate.leave()
	}
	conn, err := pool.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("native reads need pgx's database/sql driver, not %T", dc)
		}
		return fn(c.Conn())
	})
}

// queryClauses are the clauses of a SELECT, in the order of GORM's query callback.
var queryClauses = []string{"SELECT", "FROM", "WHERE", "GROUP BY", "ORDER BY", "LIMIT", "FOR"}

// selectSQL builds q's SELECT without running it (no callbacks: the native path routes
// and counts itself) and limits it to limit rows. The limit is a literal, not a
// parameter as GORM writes it: PostgreSQL plans a parameter LIMIT as if it were 10 %
// of the rows, which makes the generic plan of a page look dear.
func selectSQL(q *gorm.DB, limit int) (string, []any, error) {
	stmt := q.Statement
	delete(stmt.Clauses, "LIMIT")
	stmt.BuildClauses = queryClauses
	callbacks.BuildQuerySQL(q)
	if q.Error != nil {
		return "", nil, q.Error
	}
	return stmt.SQL.String() + " LIMIT " + strconv.Itoa(limit), stmt.Vars, nil
}

// forceGenericPlan makes the statements after it in the same transaction run with
// their generic plan, planned without a sort where an index gives the order; sent in
// one pipelined batch with a statement (one Sync, so one implicit transaction), it
// applies to that statement alone and ends with it.
//
// PostgreSQL decides per connection, after five custom plans, whether a prepared
// statement keeps its generic plan; for a keyset page the custom plans' estimated cost
// depends on where the cursor stood in those five, so some connections re-planned the
// page on every execution (half of the page's PostgreSQL CPU) and others never did.
// The generic plan alone is not safe either: it guesses that few rows follow the
// cursor, and with the default cost settings it then sorts every row after the cursor
// (a bitmap scan and a sort instead of the index range), hence no sort.
const forceGenericPlan = "SELECT set_config('plan_cache_mode', 'force_generic_plan', true), set_config('enable_sort', 'off', true)"

// genericPlanSafe reports whether a page of f in the order of keys has one best plan
// whatever the parameters: a range of the index on (status or category or nothing,
// title_sort, id) from the cursor on, in index order. Filters whose selectivity varies
// (several statuses, dates, partners, …) and other orders keep PostgreSQL's choice.
func genericPlanSafe(f coop.ProjectFilter, keys []coop.SortKey) bool {
	_, _, counted := projectCounter(f) // nothing but status and category
	return counted && len(f.Statuses)+len(f.Categories) <= 1 &&
		len(keys) == 1 && keys[0].Field == "title" && !keys[0].Desc
}

// pgProjectScan holds pgx's scan destinations of projectRowCols and, for a single
// project, of the brief refs.
type pgProjectScan struct {
	row                                projectRow
	solutionID                         pgtype.Text
	budget, cost, savings              pgtype.Int8
	deleted                            pgtype.Timestamptz
	coopSlug, coopTitle, sSlug, sTitle pgtype.Text
}

// dest returns the destinations of projectRowCols followed by extra.
func (p *pgProjectScan) dest(extra ...any) []any {
	r := &p.row
	return append([]any{&r.ID, &r.Slug, &r.Title, &r.TitleSort, &r.Description, &r.CooperationID,
		&p.solutionID, &r.Category, &r.Status, &r.StartedOn, &r.StartedOnKey, &r.PlannedEndOn, &r.EndedOn,
		&r.LegalBasis, &p.budget, &p.cost, &p.savings, &r.Currency,
		&r.Tags, &r.Sources, &r.CreatedAt, &r.UpdatedAt, &r.Version, &p.deleted}, extra...)
}

// view returns what was scanned as a projectView.
func (p *pgProjectScan) view() projectView {
	v := projectView{Row: p.row, CoopSlug: p.coopSlug.String, CoopTitle: p.coopTitle.String}
	r := &v.Row
	if p.solutionID.Valid {
		id, slug, name := p.solutionID.String, p.sSlug.String, p.sTitle.String
		r.SolutionID, v.SolutionSlug, v.SolutionName = &id, &slug, &name
	}
	r.BudgetPlannedCents = pgInt(p.budget)
	r.CostActualCents = pgInt(p.cost)
	r.SavingsEstimatedCents = pgInt(p.savings)
	if p.deleted.Valid {
		t := p.deleted.Time
		r.DeletedAt = &t
	}
	return v
}

func pgInt(n pgtype.Int8) *int64 {
	if !n.Valid {
		return nil
	}
	return &n.Int64
}

// pgProjectPage runs the page statement q (selecting projectRowCols, then "total" with
// withTotal; see FindProjects) and then the participants and refs of its first limit
// rows, on one connection. It returns those rows with their refs, whether there were
// more, their participants, and the total (-1 without rows).
func (db *DB) pgProjectPage(ctx context.Context, q *gorm.DB, limit int, withTotal, generic bool) (
	views []projectView, more bool, parts [][]coop.Participant, total int64, err error) {
	sql, args, err := selectSQL(q, limit+1)
	if err != nil {
		return nil, false, nil, 0, err
	}
	err = db.withConn(ctx, func(c *pgx.Conn) error {
		if views, total, err = db.pgPage(ctx, c, sql, args, limit+1, withTotal, generic); err != nil {
			return err
		}
		if more = len(views) > limit; more {
			views = views[:limit]
		}
		if len(views) > 0 {
			parts, err = db.pgPageRefs(ctx, c, views)
		}
		return err
	})
	return views, more, parts, total, err
}

// pgPage runs a page statement of at most limit rows, after forceGenericPlan in the
// same round trip when generic is set.
func (db *DB) pgPage(ctx context.Context, c *pgx.Conn, sql string, args []any, limit int, withTotal, generic bool) (
	views []projectView, total int64, err error) {
	db.statements.Add(1)
	var rows pgx.Rows
	if generic {
		b := &pgx.Batch{}
		b.Queue(forceGenericPlan)
		b.Queue(sql, args...)
		br := c.SendBatch(ctx, b)
		defer func() {
			if cerr := br.Close(); err == nil {
				err = cerr
			}
		}()
		if _, err := br.Exec(); err != nil {
			return nil, 0, err
		}
		rows, err = br.Query()
	} else {
		rows, err = c.Query(ctx, sql, args...)
	}
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	total = -1
	views = make([]projectView, 0, limit)
	var s pgProjectScan
	dest := s.dest()
	if withTotal {
		dest = s.dest(&total)
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, 0, err
		}
		views = append(views, s.view())
	}
	return views, total, rows.Err()
}

// pageRefsSQL reads the participants of a page's projects ($1) with their partners'
// brief refs, and the brief refs of its cooperations ($2) and solutions ($3), marked
// p, c and s. Participants come in no order (the caller sorts them by position).
const pageRefsSQL = `SELECT 'p', pp.project_id, pp.partner_id, pa.slug, pa.name, pp.role, pp.since, pp.until, pp.position
 FROM project_participants pp JOIN partners pa ON pa.id = pp.partner_id WHERE pp.project_id = ANY($1)
 UNION ALL SELECT 'c', NULL, c.id, c.slug, c.title, '', '', '', 0 FROM cooperations c WHERE c.id = ANY($2)
 UNION ALL SELECT 's', NULL, s.id, s.slug, s.name, '', '', '', 0 FROM solutions s WHERE s.id = ANY($3)`

// pgPageRefs reads the participants of views (in the order of views) and fills in
// their cooperations' and solutions' brief refs, in one statement.
func (db *DB) pgPageRefs(ctx context.Context, c *pgx.Conn, views []projectView) ([][]coop.Participant, error) {
	ids := make([]pgtype.UUID, 0, len(views))
	coops := make([]pgtype.UUID, 0, len(views))
	var solutions []pgtype.UUID
	index := make(map[[16]byte]int, len(views))
	for i, v := range views {
		id := uuidParam(v.Row.ID)
		ids, coops = append(ids, id), append(coops, uuidParam(v.Row.CooperationID))
		index[id.Bytes] = i
		if v.Row.SolutionID != nil {
			solutions = append(solutions, uuidParam(*v.Row.SolutionID))
		}
	}
	db.statements.Add(1)
	rows, err := c.Query(ctx, pageRefsSQL, ids, coops, solutions)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type ref struct{ slug, name string }
	var (
		parts                                    = byPositionOf(4 * len(views))
		coopRefs                                 = make(map[string]ref, len(views))
		solutionRefs                             = make(map[string]ref, len(solutions))
		kind, id, slug, name, role, since, until string
		project                                  pgtype.UUID
		position                                 int
	)
	dest := []any{&kind, &project, &id, &slug, &name, &role, &since, &until, &position}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		switch kind {
		case "c":
			coopRefs[id] = ref{slug, name}
		case "s":
			solutionRefs[id] = ref{slug, name}
		default:
			parts.keys = append(parts.keys, [2]int{index[project.Bytes], position})
			parts.list = append(parts.list, coop.Participant{Partner: coop.Ref{ID: id, Slug: slug, Name: name},
				Role: role, Since: date(since), Until: date(until)})
		}
	}
	if err := rows.Err(); err != nil {
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
	sort.Sort(parts)
	out := make([][]coop.Participant, len(views))
	for i, start := 0, 0; i < len(parts.list); i++ {
		if v := parts.keys[i][0]; i+1 == len(parts.list) || parts.keys[i+1][0] != v {
			out[v] = parts.list[start : i+1 : i+1]
			start = i + 1
		}
	}
	return out, nil
}

// byPosition sorts participants by their keys: their project's index in the page,
// then their position.
type byPosition struct {
	keys [][2]int
	list []coop.Participant
}

func byPositionOf(n int) byPosition {
	return byPosition{keys: make([][2]int, 0, n), list: make([]coop.Participant, 0, n)}
}

func (p byPosition) Len() int { return len(p.keys) }
func (p byPosition) Less(i, j int) bool {
	a, b := p.keys[i], p.keys[j]
	return a[0] < b[0] || a[0] == b[0] && a[1] < b[1]
}
func (p byPosition) Swap(i, j int) {
	p.keys[i], p.keys[j] = p.keys[j], p.keys[i]
	p.list[i], p.list[j] = p.list[j], p.list[i]
}

// uuidParam returns id (as PostgreSQL writes a uuid) as a uuid parameter that pgx
// sends in binary (of a []string for a uuid[] it tries binary, fails per element and
// falls back to text).
func uuidParam(id string) pgtype.UUID {
	u, err := uuid.Parse(id)
	return pgtype.UUID{Bytes: u, Valid: err == nil}
}

// projectOneSQLByID and projectOneSQLBySlug read one live project natively (see
// projectOneSQL).
const (
	projectOneSQLByID   = projectOneSQL + "pr.deleted_at IS NULL AND pr.id = $1 ORDER BY pp.position"
	projectOneSQLBySlug = projectOneSQL + "pr.deleted_at IS NULL AND pr.slug = $1 ORDER BY pp.position"
)

// pgFindProject is findProject for a live project, natively: one statement.
func (db *DB) pgFindProject(ctx context.Context, ref string) (p coop.Project, err error) {
	stmt := projectOneSQLBySlug
	if isUUID(ref) {
		stmt = projectOneSQLByID
	}
	found := false
	err = db.withConn(ctx, func(c *pgx.Conn) error {
		db.statements.Add(1)
		rows, err := c.Query(ctx, stmt, ref)
		if err != nil {
			return err
		}
		defer rows.Close()
		var (
			s                                         pgProjectScan
			partner, pSlug, pName, role, since, until pgtype.Text
		)
		dest := s.dest(&s.coopSlug, &s.coopTitle, &s.sSlug, &s.sTitle, &partner, &pSlug, &pName, &role, &since, &until)
		for rows.Next() {
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			if !found {
				found = true
				p = s.view().project()
				p.Participants = make([]coop.Participant, 0, 4)
				// the next rows repeat the project: pgx skips nil destinations
				n := len(dest) - 6
				dest = append(make([]any, n, len(dest)), dest[n:]...)
			}
			if partner.Valid {
				p.Participants = append(p.Participants, coop.Participant{
					Partner: coop.Ref{ID: partner.String, Slug: pSlug.String, Name: pName.String},
					Role:    role.String, Since: date(since.String), Until: date(until.String)})
			}
		}
		return rows.Err()
	})
	if err != nil {
		return coop.Project{}, translate(err)
	}
	if !found {
		return coop.Project{}, coop.Errorf(coop.ENotFound, "%s %q nicht gefunden / not found", "Vorhaben", ref)
	}
	return p, nil
}
