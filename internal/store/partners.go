package store

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/sqldb"
)

var partnerList = listSpec{
	alias: "p",
	sorts: map[string]sortColumn{
		"name": {column: "name_sort"}, "slug": {column: "slug"}, "type": {column: "type"},
		"state": {column: "state"}, "created_at": {column: "created_at", isTime: true},
		"updated_at": {column: "updated_at", isTime: true},
	},
	defaultSort: "name",
}

// partnerView is a partner row with its parent's brief ref.
type partnerView struct {
	Row        partnerRow
	ParentSlug *string
	ParentName *string
}

// partnerCols are the columns of partnerView (aliases p and, for the parent, pp), in
// the order of its dest.
const partnerCols = `p.id, p.slug, p.name, p.name_sort, p.short_name, p.type, p.parent_id, p.legal_form,
 p.ags, p.ars, p.state, p.leitweg_id, p.website, p.email, p.street, p.postal_code, p.city, p.employees_count,
 p.employees_as_of, p.description, p.serves, p.region_status, p.created_at, p.updated_at, p.version, p.deleted_at, pp.slug, pp.name`

func (v *partnerView) dest() []any {
	r := &v.Row
	return []any{&r.ID, &r.Slug, &r.Name, &r.NameSort, &r.ShortName, &r.Type, &r.ParentID, &r.LegalForm,
		&r.AGS, &r.ARS, &r.State, &r.LeitwegID, &r.Website, &r.Email, &r.Street, &r.PostalCode, &r.City,
		&r.EmployeesCount, &r.EmployeesAsOf, &r.Description, &r.Serves, &r.RegionStatus, &r.CreatedAt, &r.UpdatedAt, &r.Version,
		&r.DeletedAt, &v.ParentSlug, &v.ParentName}
}

// partnerQuery selects partnerCols.
func partnerQuery() *sqldb.Query {
	return sqldb.SelectFrom(partnerCols, "partners p").Join("LEFT JOIN partners pp ON pp.id = p.parent_id")
}

func (v partnerView) partner() coop.Partner {
	r := v.Row
	p := coop.Partner{
		Meta: coop.Meta{ID: r.ID, Slug: r.Slug, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
			Version: r.Version, DeletedAt: r.DeletedAt},
		Name: r.Name, ShortName: r.ShortName, Type: r.Type, LegalForm: r.LegalForm,
		AGS: r.AGS, ARS: r.ARS, State: r.State, LeitwegID: r.LeitwegID, Website: r.Website,
		Email: r.Email, Address: coop.Address{Street: r.Street, PostalCode: r.PostalCode, City: r.City},
		Description: r.Description, Serves: strings.Fields(r.Serves), RegionStatus: r.RegionStatus,
	}
	if r.ParentID != nil {
		p.Parent = &coop.Ref{ID: *r.ParentID, Slug: deref(v.ParentSlug), Name: deref(v.ParentName)}
	}
	if r.EmployeesCount != nil {
		p.Employees = &coop.Employees{Count: *r.EmployeesCount, AsOf: date(r.EmployeesAsOf)}
	}
	return p
}

// FindPartners lists live partners matching f, one keyset page.
func (s *PartnerService) FindPartners(ctx context.Context, f coop.PartnerFilter) (coop.ListResult[coop.Partner], error) {
	var out coop.ListResult[coop.Partner]
	q := partnerQuery().Where("p.deleted_at IS NULL")
	if len(f.Types) > 0 {
		q.Where("p.type IN ?", f.Types)
	}
	if len(f.States) > 0 {
		q.Where("p.state IN ?", f.States)
	}
	if len(f.Parents) > 0 {
		ids, slugs := splitRefs(f.Parents)
		q.Where("p.parent_id IN (SELECT id FROM partners WHERE (id IN ? OR slug IN ?) AND deleted_at IS NULL)", ids, slugs)
	}
	if len(f.ARS) > 0 {
		sql, args := locatedPartners("ars", f.ARS)
		q.Where("p.id IN ("+sql+")", args...)
	}
	if len(f.AGS) > 0 {
		sql, args := locatedPartners("ags", f.AGS)
		q.Where("p.id IN ("+sql+")", args...)
	}
	if f.UpdatedSince != nil {
		q.Where("p.updated_at >= ?", f.UpdatedSince.UTC())
	}
	if len(f.RegionStatuses) > 0 {
		q.Where("p.region_status IN ?", f.RegionStatuses)
	}
	if err := s.searchFilter(ctx, q, coop.TypePartner, "p", f.Q); err != nil {
		return out, err
	}
	count := q.CountStmt()
	keys, limit, err := partnerList.page(q, f.Page)
	if err != nil {
		return out, err
	}
	var rows []partnerView
	err = s.read(ctx, func(x sqldb.Executor) (err error) {
		if _, err := sqldb.QueryRow(ctx, x, count, &out.Total); err != nil {
			return err
		}
		rows, err = sqldb.ReadAll(ctx, x, q.Stmt(), (*partnerView).dest)
		return err
	})
	if err != nil {
		return out, err
	}
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[limit-1].Row
		out.NextCursor = nextCursor(keys, partnerSortValues(last, keys), last.ID)
	}
	out.Items = make([]coop.Partner, len(rows))
	for i, r := range rows {
		out.Items[i] = r.partner()
	}
	return out, nil
}

func partnerSortValues(r partnerRow, keys []coop.SortKey) []any {
	vals := make([]any, len(keys))
	for i, k := range keys {
		switch k.Field {
		case "name":
			vals[i] = r.NameSort
		case "slug":
			vals[i] = r.Slug
		case "type":
			vals[i] = r.Type
		case "state":
			vals[i] = r.State
		case "created_at":
			vals[i] = r.CreatedAt
		case "updated_at":
			vals[i] = r.UpdatedAt
		}
	}
	return vals
}

// FindPartner returns the live partner with that id or slug.
func (s *PartnerService) FindPartner(ctx context.Context, ref string) (p coop.Partner, err error) {
	err = s.read(ctx, func(x sqldb.Executor) error {
		p, err = readPartner(ctx, x, ref, false)
		return err
	})
	return p, err
}

// findPartner reads a partner inside the write transaction tx (readPartner).
func (b *base) findPartner(tx *gorm.DB, ref string, deleted bool) (coop.Partner, error) {
	return readPartner(tx.Statement.Context, b.core.InTx(tx), ref, deleted)
}

// readPartner reads the live partner with that id or slug; deleted selects the most
// recently deleted one instead.
func readPartner(ctx context.Context, x sqldb.Executor, ref string, deleted bool) (coop.Partner, error) {
	q := partnerQuery().Where(refWhere("p", ref))
	if deleted {
		q.Where("p.deleted_at IS NOT NULL").OrderBy("p.deleted_at DESC")
	} else {
		q.Where("p.deleted_at IS NULL")
	}
	q.Limit = 1
	var v partnerView
	found, err := sqldb.QueryRow(ctx, x, q.Stmt(), v.dest()...)
	if err != nil {
		return coop.Partner{}, err
	}
	if !found {
		return coop.Partner{}, coop.Errorf(coop.ENotFound, "Partner %q nicht gefunden / not found", ref)
	}
	return v.partner(), nil
}
