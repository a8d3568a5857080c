package store

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/textsearch"
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

// PartnerSortFields are the fields partners can be sorted by.
var PartnerSortFields = partnerList.SortFields()

// partnerView is a partner row with its parent's brief ref, read in one query. The row
// is a named field: GORM skips unexported embedded structs.
type partnerView struct {
	Row        partnerRow `gorm:"embedded"`
	ParentSlug *string
	ParentName *string
}

const partnerSelect = "p.*, pp.slug AS parent_slug, pp.name AS parent_name"

func (db *DB) partnerQuery(ctx context.Context) *gorm.DB {
	return db.gorm.WithContext(ctx).Table("partners p").
		Select(partnerSelect).
		Joins("LEFT JOIN partners pp ON pp.id = p.parent_id")
}

func (v partnerView) partner() coop.Partner {
	r := v.Row
	p := coop.Partner{
		Meta: coop.Meta{ID: r.ID, Slug: r.Slug, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
			Version: r.Version, DeletedAt: r.DeletedAt},
		Name: r.Name, ShortName: r.ShortName, Type: r.Type, LegalForm: r.LegalForm,
		AGS: r.AGS, ARS: r.ARS, State: r.State, LeitwegID: r.LeitwegID, Website: r.Website,
		Email: r.Email, Address: coop.Address{Street: r.Street, PostalCode: r.PostalCode, City: r.City},
		Description: r.Description,
	}
	if r.ParentID != nil {
		p.Parent = &coop.Ref{ID: *r.ParentID, Slug: deref(v.ParentSlug), Name: deref(v.ParentName)}
	}
	if r.EmployeesCount != nil {
		p.Employees = &coop.Employees{Count: *r.EmployeesCount, AsOf: date(r.EmployeesAsOf)}
	}
	return p
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// FindPartners lists live partners matching f, one keyset page.
func (db *DB) FindPartners(ctx context.Context, f coop.PartnerFilter) (coop.ListResult[coop.Partner], error) {
	var out coop.ListResult[coop.Partner]
	q := db.partnerQuery(ctx).Where("p.deleted_at IS NULL")
	if len(f.Types) > 0 {
		q = q.Where("p.type IN ?", f.Types)
	}
	if len(f.States) > 0 {
		q = q.Where("p.state IN ?", f.States)
	}
	if len(f.Parents) > 0 {
		ids, slugs := splitRefs(f.Parents)
		q = q.Where("p.parent_id IN (SELECT id FROM partners WHERE (id IN ? OR slug IN ?) AND deleted_at IS NULL)", ids, slugs)
	}
	if f.UpdatedSince != nil {
		q = q.Where("p.updated_at >= ?", f.UpdatedSince.UTC())
	}
	q, err := db.searchFilter(q, coop.TypePartner, "p", f.Q)
	if err != nil {
		return out, err
	}
	if err := q.Session(&gorm.Session{}).Count(&out.Total).Error; err != nil {
		return out, translate(err)
	}
	q, keys, limit, err := partnerList.page(q, f.Page)
	if err != nil {
		return out, err
	}
	var rows []partnerView
	if err := q.Find(&rows).Error; err != nil {
		return out, translate(err)
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

// splitRefs separates ids from slugs (an empty list becomes a never-matching one).
func splitRefs(refs []string) (ids, slugs []string) {
	for _, r := range refs {
		if isUUID(r) {
			ids = append(ids, r)
		} else {
			slugs = append(slugs, r)
		}
	}
	if len(ids) == 0 {
		ids = []string{"00000000-0000-0000-0000-000000000000"}
	}
	if len(slugs) == 0 {
		slugs = []string{""}
	}
	return ids, slugs
}

// FindPartner returns the live partner with that id or slug.
func (db *DB) FindPartner(ctx context.Context, ref string) (coop.Partner, error) {
	return db.findPartner(db.partnerQuery(ctx), ref, false)
}

func (db *DB) findPartner(q *gorm.DB, ref string, deleted bool) (coop.Partner, error) {
	cond, arg := refWhere("p", ref)
	if deleted {
		q = q.Where("p.deleted_at IS NOT NULL").Order("p.deleted_at DESC")
	} else {
		q = q.Where("p.deleted_at IS NULL")
	}
	var v partnerView
	if err := q.Where(cond, arg).Limit(1).Take(&v).Error; err != nil {
		if err := translate(err); coop.ErrorCode(err) == coop.ENotFound {
			return coop.Partner{}, coop.Errorf(coop.ENotFound, "Partner %q nicht gefunden", ref)
		}
		return coop.Partner{}, translate(err)
	}
	return v.partner(), nil
}

// CreatePartner validates d and stores a new partner with its change-log record.
func (db *DB) CreatePartner(ctx context.Context, d coop.PartnerDraft) (coop.Partner, error) {
	if err := d.Validate().Err(); err != nil {
		return coop.Partner{}, err
	}
	if err := mayEditPartner(ctx, ""); err != nil {
		return coop.Partner{}, err
	}
	id := newID()
	err := db.tx(ctx, func(tx *gorm.DB) error {
		row, err := partnerRowFrom(tx, id, d)
		if err != nil {
			return err
		}
		now := db.now()
		row.CreatedAt, row.UpdatedAt, row.Version = now, now, 1
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		if err := db.indexSearch(tx, coop.TypePartner, id); err != nil {
			return err
		}
		after, err := db.findPartner(tx.Table("partners p").Select(partnerSelect).Joins("LEFT JOIN partners pp ON pp.id = p.parent_id"), id, false)
		if err != nil {
			return err
		}
		return db.logChange(ctx, tx, coop.ActionCreate, coop.TypePartner, id, 1, diff(nil, PartnerFields(after)), now)
	})
	if err != nil {
		return coop.Partner{}, err
	}
	return db.FindPartner(ctx, id)
}

// partnerRowFrom checks d's references (parent exists, no cycle) and builds its row.
func partnerRowFrom(tx *gorm.DB, id string, d coop.PartnerDraft) (partnerRow, error) {
	var v coop.Violations
	row := buildPartnerRow(id, d)
	if d.Parent != "" {
		ids := resolveIDs(tx, "partners", []string{d.Parent}, []string{"parent"}, &v, "Partner")
		if ids[0] != "" {
			if err := checkNoCycle(tx, id, ids[0], &v); err != nil {
				return row, err
			}
			row.ParentID = &ids[0]
		}
	}
	return row, v.Err()
}

// buildPartnerRow builds d's row without its parent (the caller resolves that). The
// create path and the bulk loader (bulk.go) share it.
func buildPartnerRow(id string, d coop.PartnerDraft) partnerRow {
	row := partnerRow{
		ID: id, Slug: d.Slug, Name: strings.TrimSpace(d.Name), NameSort: textsearch.SortKey(d.Name),
		ShortName: d.ShortName, Type: d.Type, LegalForm: d.LegalForm, AGS: d.AGS, ARS: d.ARS,
		State: d.State, LeitwegID: d.LeitwegID, Website: d.Website, Email: d.Email,
		Street: d.Address.Street, PostalCode: d.Address.PostalCode, City: d.Address.City,
		Description: d.Description,
	}
	if d.Employees != nil {
		n := d.Employees.Count
		row.EmployeesCount = &n
		row.EmployeesAsOf = d.Employees.AsOf
	}
	return row
}

// checkNoCycle refuses a parent that is the partner itself or one of its descendants.
func checkNoCycle(tx *gorm.DB, id, parentID string, v *coop.Violations) error {
	cur := parentID
	for depth := 0; cur != ""; depth++ {
		if cur == id {
			v.Add("parent", "cycle", "Ein Partner kann nicht sein eigener Vorfahr sein")
			return nil
		}
		if depth > 64 {
			v.Add("parent", "depth", "Die Hierarchie ist zu tief (mehr als 64 Ebenen)")
			return nil
		}
		var next *string
		if err := tx.Table("partners").Select("parent_id").Where("id = ?", cur).Scan(&next).Error; err != nil {
			return err
		}
		cur = deref(next)
	}
	return nil
}

// UpdatePartner replaces a partner's fields by d (the merged patch).
func (db *DB) UpdatePartner(ctx context.Context, ref string, d coop.PartnerDraft, ifVersion int) (coop.Partner, error) {
	if err := d.Validate().Err(); err != nil {
		return coop.Partner{}, err
	}
	var id string
	err := db.tx(ctx, func(tx *gorm.DB) error {
		before, err := db.findPartner(partnerTxQuery(tx), ref, false)
		if err != nil {
			return err
		}
		id = before.ID
		if err := checkVersion(before.Version, ifVersion); err != nil {
			return err
		}
		if err := mayEditPartner(ctx, before.ID); err != nil {
			return err
		}
		row, err := partnerRowFrom(tx, id, d)
		if err != nil {
			return err
		}
		now := db.now()
		cols := map[string]any{
			"slug": row.Slug, "name": row.Name, "name_sort": row.NameSort, "short_name": row.ShortName,
			"type": row.Type, "parent_id": row.ParentID, "legal_form": row.LegalForm, "ags": row.AGS,
			"ars": row.ARS, "state": row.State, "leitweg_id": row.LeitwegID, "website": row.Website,
			"email": row.Email, "street": row.Street, "postal_code": row.PostalCode, "city": row.City,
			"employees_count": row.EmployeesCount, "employees_as_of": row.EmployeesAsOf,
			"description": row.Description,
		}
		if err := bump(tx, "partners", id, before.Version, cols, now); err != nil {
			return err
		}
		if err := db.indexSearch(tx, coop.TypePartner, id); err != nil {
			return err
		}
		after, err := db.findPartner(partnerTxQuery(tx), id, false)
		if err != nil {
			return err
		}
		return db.logChange(ctx, tx, coop.ActionUpdate, coop.TypePartner, id, after.Version, diff(PartnerFields(before), PartnerFields(after)), now)
	})
	if err != nil {
		return coop.Partner{}, err
	}
	return db.FindPartner(ctx, id)
}

func partnerTxQuery(tx *gorm.DB) *gorm.DB {
	return tx.Table("partners p").Select(partnerSelect).Joins("LEFT JOIN partners pp ON pp.id = p.parent_id")
}

// mayEditPartner: a bound editor may change only its own partners and create none.
func mayEditPartner(ctx context.Context, id string) error {
	if id == "" {
		a := coop.ActorFrom(ctx)
		if a.Role == "editor" && len(a.Partners) > 0 {
			return coop.Errorf(coop.EForbidden, "Ein an Partner gebundener Zugang kann keine Partner anlegen")
		}
		return nil
	}
	return mayEdit(ctx, []string{id}, []string{id})
}

// DeletePartner soft-deletes a partner that nothing live refers to any more.
func (db *DB) DeletePartner(ctx context.Context, ref string, ifVersion int) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		p, err := db.findPartner(partnerTxQuery(tx), ref, false)
		if err != nil {
			return err
		}
		if err := checkVersion(p.Version, ifVersion); err != nil {
			return err
		}
		if err := mayEditPartner(ctx, p.ID); err != nil {
			return err
		}
		blocked, err := partnerBlockers(tx, p.ID)
		if err != nil {
			return err
		}
		if len(blocked) > 0 {
			return &coop.Error{Code: coop.EConflict,
				Message: fmt.Sprintf("Partner %q wird noch verwendet (%d Verweise) / still referenced", p.Slug, len(blocked)),
				Extra:   map[string]any{"blocked_by": blocked}}
		}
		now := db.now()
		if err := bump(tx, "partners", p.ID, p.Version, map[string]any{"deleted_at": now}, now); err != nil {
			return err
		}
		return db.logChange(ctx, tx, coop.ActionDelete, coop.TypePartner, p.ID, p.Version+1,
			map[string]coop.FieldChange{"deleted_at": {Old: nil, New: now}}, now)
	})
}

// Blocker names a live resource that still refers to a partner.
type Blocker struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	Slug string `json:"slug"`
}

func partnerBlockers(tx *gorm.DB, id string) ([]Blocker, error) {
	var out []Blocker
	err := tx.Raw(`
SELECT 'cooperation' AS type, c.id, c.slug FROM cooperation_members m JOIN cooperations c ON c.id = m.cooperation_id
 WHERE m.partner_id = ? AND c.deleted_at IS NULL
UNION SELECT 'project', pr.id, pr.slug FROM project_participants pp JOIN projects pr ON pr.id = pp.project_id
 WHERE pp.partner_id = ? AND pr.deleted_at IS NULL
UNION SELECT 'partner', c.id, c.slug FROM partners c WHERE c.parent_id = ? AND c.deleted_at IS NULL
UNION SELECT 'solution', s.id, s.slug FROM solution_developers sd JOIN solutions s ON s.id = sd.solution_id
 WHERE sd.partner_id = ? AND s.deleted_at IS NULL
ORDER BY 1, 3`, id, id, id, id).Scan(&out).Error
	return out, err
}

// RestorePartner brings a soft-deleted partner back (409 if its slug was taken).
func (db *DB) RestorePartner(ctx context.Context, ref string, ifVersion int) (coop.Partner, error) {
	var id string
	err := db.tx(ctx, func(tx *gorm.DB) error {
		p, err := db.findPartner(partnerTxQuery(tx), ref, true)
		if err != nil {
			return err
		}
		id = p.ID
		if err := checkVersion(p.Version, ifVersion); err != nil {
			return err
		}
		if p.Parent != nil {
			var n int64
			if err := tx.Table("partners").Where("id = ? AND deleted_at IS NULL", p.Parent.ID).Count(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				return coop.Errorf(coop.EConflict, "Der übergeordnete Partner %q ist gelöscht / parent is deleted", p.Parent.Slug)
			}
		}
		now := db.now()
		if err := bump(tx, "partners", p.ID, p.Version, map[string]any{"deleted_at": nil}, now); err != nil {
			return err
		}
		return db.logChange(ctx, tx, coop.ActionRestore, coop.TypePartner, p.ID, p.Version+1,
			map[string]coop.FieldChange{"deleted_at": {Old: p.DeletedAt, New: nil}}, now)
	})
	if err != nil {
		return coop.Partner{}, err
	}
	return db.FindPartner(ctx, id)
}
