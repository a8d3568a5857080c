package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/textsearch"
)

// partnerResource describes partners to the write sequence (write.go).
var partnerResource = &resource[coop.Partner, coop.PartnerDraft, *partnerWrite]{
	typ: coop.TypePartner, table: "partners",
	searched: []string{"name", "short_name", "slug", "ags", "ars", "leitweg_id", "description", "address"},
	build:    partnerWriteFrom,
	find:     (*base).findPartner,
	scope:    func(p coop.Partner) []string { return []string{p.ID} },
	authorize: func(ctx context.Context, before, after []string) error {
		if before == nil {
			return mayCreatePartner(ctx)
		}
		return mayEdit(ctx, before, after)
	},
	change: func(ctx context.Context, before coop.Partner, w *partnerWrite) error {
		var parent string
		if before.Parent != nil {
			parent = before.Parent.ID
		}
		if deref(w.row.ParentID) == parent {
			return nil
		}
		return mayMakeParent(ctx, deref(w.row.ParentID))
	},
	fields: partnerFields,
	search: partnerSearch,
	inUse: func(tx *gorm.DB, p coop.Partner) error {
		blocked, err := partnerBlockers(tx, p.ID)
		if err != nil || len(blocked) == 0 {
			return err
		}
		return &coop.Error{Code: coop.EConflict,
			Message:   fmt.Sprintf("Partner %q wird noch verwendet (%d Verweise) / still referenced", p.Slug, len(blocked)),
			BlockedBy: blocked}
	},
	restorable: func(tx *gorm.DB, p coop.Partner) error {
		if p.Parent == nil {
			return nil
		}
		return refuseDeleted(tx, "partners", p.Parent.ID, "Der übergeordnete Partner", p.Parent.Slug)
	},
}

// CreatePartner validates d and stores a new partner with its change-log record.
func (s *PartnerService) CreatePartner(ctx context.Context, d coop.PartnerDraft) (coop.Partner, error) {
	reg, err := s.register(ctx)
	if err != nil {
		return coop.Partner{}, err
	}
	fillFromRegister(reg, &d)
	return create(ctx, s.base, partnerResource, d)
}

// UpdatePartner replaces a partner's fields by d (the merged patch).
func (s *PartnerService) UpdatePartner(ctx context.Context, ref string, d coop.PartnerDraft, ifVersion int) (coop.Partner, error) {
	return update(ctx, s.base, partnerResource, ref, d, ifVersion)
}

// DeletePartner soft-deletes a partner that nothing live refers to any more.
func (s *PartnerService) DeletePartner(ctx context.Context, ref string, ifVersion int) error {
	return remove(ctx, s.base, partnerResource, ref, ifVersion)
}

// RestorePartner brings a soft-deleted partner back (409 if its slug was taken or its
// parent is deleted).
func (s *PartnerService) RestorePartner(ctx context.Context, ref string, ifVersion int) (coop.Partner, error) {
	return restore(ctx, s.base, partnerResource, ref, ifVersion)
}

// partnerWrite is what a write of a partner writes: its row.
type partnerWrite struct{ row partnerRow }

func (w *partnerWrite) insert(tx *gorm.DB, now time.Time, _ string) error {
	w.row.CreatedAt, w.row.UpdatedAt, w.row.Version = now, now, 1
	return tx.Create(&w.row).Error
}

func (w *partnerWrite) columns() map[string]any {
	r := &w.row
	return map[string]any{
		"slug": r.Slug, "name": r.Name, "name_sort": r.NameSort, "short_name": r.ShortName,
		"type": r.Type, "parent_id": r.ParentID, "legal_form": r.LegalForm, "ags": r.AGS,
		"ars": r.ARS, "state": r.State, "leitweg_id": r.LeitwegID, "website": r.Website,
		"email": r.Email, "street": r.Street, "postal_code": r.PostalCode, "city": r.City,
		"employees_count": r.EmployeesCount, "employees_as_of": r.EmployeesAsOf,
		"description": r.Description, "serves": r.Serves, "region_status": r.RegionStatus,
	}
}

func (w *partnerWrite) children(*gorm.DB, bool) error { return nil }

func (w *partnerWrite) partners() []string { return []string{w.row.ID} }

// partnerWriteFrom checks d's references (parent exists, no cycle) and builds its row.
func partnerWriteFrom(_ *base, tx *gorm.DB, id string, d coop.PartnerDraft, _ bool) (*partnerWrite, error) {
	var v coop.Violations
	row := buildPartnerRow(id, d)
	reg, err := registerIn(tx)
	if err != nil {
		return nil, err
	}
	var old *partnerRow
	var before []partnerRow
	if err := tx.Select("ags", "ars", "serves").Where("id = ?", id).Limit(1).Find(&before).Error; err != nil {
		return nil, translate(err)
	}
	if len(before) == 1 {
		old = &before[0]
	}
	checkPartnerRegions(reg, &row, old, &v)
	if d.Parent != "" {
		ids := resolveIDs(tx, "partners", []string{d.Parent}, []string{"parent"}, &v, "Partner")
		if ids[0] != "" {
			if err := checkNoCycle(tx, id, ids[0], &v); err != nil {
				return nil, err
			}
			row.ParentID = &ids[0]
		}
	}
	return &partnerWrite{row}, v.Err()
}

// buildPartnerRow builds d's row without its parent (the caller resolves that). The
// create path and the bulk loader (bulk.go) share it.
func buildPartnerRow(id string, d coop.PartnerDraft) partnerRow {
	row := partnerRow{
		ID: id, Slug: d.Slug, Name: strings.TrimSpace(d.Name), NameSort: textsearch.SortKey(d.Name),
		ShortName: d.ShortName, Type: d.Type, LegalForm: d.LegalForm, AGS: d.AGS, ARS: d.ARS,
		State: d.State, LeitwegID: d.LeitwegID, Website: d.Website, Email: d.Email,
		Street: d.Address.Street, PostalCode: d.Address.PostalCode, City: d.Address.City,
		Description: d.Description, RegionStatus: coop.RegionStatusCurrent,
	}
	serves := make([]string, 0, len(d.Serves))
	for _, s := range d.Serves {
		if ars, ok := coop.RegionARS(s); ok {
			serves = append(serves, ars)
		}
	}
	row.Serves = strings.Join(serves, " ")
	if coop.TerritorialLevel(d.Type) != "" && d.AGS == "" && d.ARS == "" {
		row.RegionStatus = coop.RegionStatusMissing
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
		// locked: a parent changed meanwhile could close a cycle through it
		if err := lockRows(tx.Table("partners").Select("parent_id").Where("id = ?", cur), share).Scan(&next).Error; err != nil {
			return err
		}
		cur = deref(next)
	}
	return nil
}

// partnerBlockers names the live resources that still refer to the partner id.
func partnerBlockers(tx *gorm.DB, id string) ([]coop.Blocker, error) {
	var out []coop.Blocker
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
