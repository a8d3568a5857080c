package store

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/textsearch"
)

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
		after, err := db.findPartner(tx, id, false)
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
		before, err := db.findPartner(tx, ref, false)
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
		after, err := db.findPartner(tx, id, false)
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
		p, err := db.findPartner(tx, ref, false)
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
		p, err := db.findPartner(tx, ref, true)
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
