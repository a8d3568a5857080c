package store

import (
	"context"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/sqldb"
)

var cooperationList = listSpec{
	alias: "c",
	sorts: map[string]sortColumn{
		"title": {column: "title_sort"}, "slug": {column: "slug"}, "status": {column: "status"},
		"started_on": {column: "started_on_key"}, "created_at": {column: "created_at", isTime: true},
		"updated_at": {column: "updated_at", isTime: true},
	},
	defaultSort: "title",
}

// cooperationCols are the columns of a cooperation row (alias c), in the order of its
// dest.
const cooperationCols = `c.id, c.slug, c.title, c.title_sort, c.description, c.status, c.legal_form,
 c.started_on, c.started_on_key, c.ended_on, c.legal_basis, c.notice_period_months, c.vat_treatment,
 c.procurement_exempt, c.sources, c.created_at, c.updated_at, c.version, c.deleted_at`

func (r *cooperationRow) dest() []any {
	return []any{&r.ID, &r.Slug, &r.Title, &r.TitleSort, &r.Description, &r.Status, &r.LegalForm,
		&r.StartedOn, &r.StartedOnKey, &r.EndedOn, &r.LegalBasis, &r.NoticePeriodMonths, &r.VATTreatment,
		&r.ProcurementExempt, &r.Sources, &r.CreatedAt, &r.UpdatedAt, &r.Version, &r.DeletedAt}
}

// cooperationQuery selects cooperationCols.
func cooperationQuery() *sqldb.Query { return sqldb.SelectFrom(cooperationCols, "cooperations c") }

// FindCooperations lists live cooperations matching f, one keyset page: a count, the
// page and its members, whatever the page size.
func (s *CooperationService) FindCooperations(ctx context.Context, f coop.CooperationFilter) (coop.ListResult[coop.Cooperation], error) {
	var out coop.ListResult[coop.Cooperation]
	q := cooperationQuery().Where("c.deleted_at IS NULL")
	if len(f.Statuses) > 0 {
		q.Where("c.status IN ?", f.Statuses)
	}
	if len(f.LegalForms) > 0 {
		q.Where("c.legal_form IN ?", f.LegalForms)
	}
	if len(f.Partners) > 0 {
		ids, slugs := splitRefs(f.Partners)
		q.Where(`EXISTS (SELECT 1 FROM cooperation_members m WHERE m.cooperation_id = c.id
 AND m.partner_id IN (`+livePartnersSQL+`))`, ids, slugs)
	}
	if len(f.PartnerARS) > 0 {
		sql, args := locatedPartners("ars", f.PartnerARS)
		q.Where(`EXISTS (SELECT 1 FROM cooperation_members m WHERE m.cooperation_id = c.id
 AND m.partner_id IN (`+sql+`))`, args...)
	}
	if f.UpdatedSince != nil {
		q.Where("c.updated_at >= ?", f.UpdatedSince.UTC())
	}
	if err := s.searchFilter(ctx, q, coop.TypeCooperation, "c", f.Q); err != nil {
		return out, err
	}
	count := q.CountStmt()
	keys, limit, err := cooperationList.page(q, f.Page)
	if err != nil {
		return out, err
	}
	err = s.read(ctx, func(x sqldb.Executor) error {
		if _, err := sqldb.QueryRow(ctx, x, count, &out.Total); err != nil {
			return err
		}
		rows, err := sqldb.ReadAll(ctx, x, q.Stmt(), (*cooperationRow).dest)
		if err != nil {
			return err
		}
		if len(rows) > limit {
			rows = rows[:limit]
			last := rows[limit-1]
			out.NextCursor = nextCursor(keys, cooperationSortValues(last, keys), last.ID)
		}
		out.Items, err = readCooperations(ctx, x, rows)
		return err
	})
	return out, err
}

func cooperationSortValues(r cooperationRow, keys []coop.SortKey) []any {
	vals := make([]any, len(keys))
	for i, k := range keys {
		switch k.Field {
		case "title":
			vals[i] = r.TitleSort
		case "slug":
			vals[i] = r.Slug
		case "status":
			vals[i] = r.Status
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

// FindCooperation returns the live cooperation with that id or slug.
func (s *CooperationService) FindCooperation(ctx context.Context, ref string) (c coop.Cooperation, err error) {
	err = s.read(ctx, func(x sqldb.Executor) error {
		c, err = readCooperation(ctx, x, ref, false)
		return err
	})
	return c, err
}

// findCooperation reads a cooperation inside the write transaction tx
// (readCooperation).
func (b *base) findCooperation(tx *gorm.DB, ref string, deleted bool) (coop.Cooperation, error) {
	return readCooperation(tx.Statement.Context, b.core.InTx(tx), ref, deleted)
}

// readCooperation reads one cooperation with its members; deleted selects the most
// recently deleted row of that id or slug instead of the live one.
func readCooperation(ctx context.Context, x sqldb.Executor, ref string, deleted bool) (coop.Cooperation, error) {
	q := cooperationQuery().Where(refWhere("c", ref))
	if deleted {
		q.Where("c.deleted_at IS NOT NULL").OrderBy("c.deleted_at DESC")
	} else {
		q.Where("c.deleted_at IS NULL")
	}
	q.Limit = 1
	var row cooperationRow
	found, err := sqldb.QueryRow(ctx, x, q.Stmt(), row.dest()...)
	if err != nil {
		return coop.Cooperation{}, err
	}
	if !found {
		return coop.Cooperation{}, coop.Errorf(coop.ENotFound, "%s %q nicht gefunden / not found", "Kooperation", ref)
	}
	list, err := readCooperations(ctx, x, []cooperationRow{row})
	if err != nil {
		return coop.Cooperation{}, err
	}
	return list[0], nil
}

// readCooperations turns rows into cooperations, reading the members of all of them
// in one statement.
func readCooperations(ctx context.Context, x sqldb.Executor, rows []cooperationRow) ([]coop.Cooperation, error) {
	out := make([]coop.Cooperation, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	members, err := readMembers(ctx, x, ids)
	if err != nil {
		return nil, err
	}
	for i, r := range rows {
		out[i] = r.cooperation(members[r.ID])
	}
	return out, nil
}

// cooperation turns the row and its members (in position order) into a cooperation.
func (r cooperationRow) cooperation(members []coop.Member) coop.Cooperation {
	c := coop.Cooperation{
		Meta: coop.Meta{ID: r.ID, Slug: r.Slug, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
			Version: r.Version, DeletedAt: utcPtr(r.DeletedAt)},
		Title: r.Title, Description: r.Description, Status: r.Status, LegalForm: r.LegalForm,
		StartedOn: date(r.StartedOn), EndedOn: date(r.EndedOn), Members: members,
		LegalBasis: fromJSONText[string](r.LegalBasis), NoticePeriodMonths: r.NoticePeriodMonths,
		VATTreatment: r.VATTreatment, ProcurementExempt: r.ProcurementExempt,
		Sources: sourcesFrom(r.Sources),
	}
	if c.Members == nil {
		c.Members = []coop.Member{}
	}
	return c
}

// readMembers returns the members of the given cooperations with their partners'
// brief refs, in position order, keyed by cooperation id.
func readMembers(ctx context.Context, x sqldb.Executor, ids []string) (map[string][]coop.Member, error) {
	q := sqldb.SelectFrom("m.cooperation_id, m.partner_id, p.slug, p.name, m.role, m.position", "cooperation_members m").
		Join("JOIN partners p ON p.id = m.partner_id").WhereFragment(x.AnyOf("m.cooperation_id", ids)).
		OrderBy("m.cooperation_id").OrderBy("m.position")
	out := map[string][]coop.Member{}
	var (
		id       string
		m        coop.Member
		position int
	)
	dest := []any{&id, &m.Partner.ID, &m.Partner.Slug, &m.Partner.Name, &m.Role, &position}
	err := x.Query(ctx, q.Stmt(), func(r sqldb.Rows) error {
		if err := r.Scan(dest...); err != nil {
			return err
		}
		out[id] = append(out[id], m)
		return nil
	})
	return out, err
}

// memberPartnerIDs returns the partner ids of c's members, for the editor scope.
func memberPartnerIDs(c coop.Cooperation) []string {
	out := make([]string, len(c.Members))
	for i, m := range c.Members {
		out[i] = m.Partner.ID
	}
	return out
}
