package store

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/textsearch"
)

// CreateCooperation validates d and stores a new cooperation with its members, its
// initial status entry and its change-log record, in one transaction.
func (db *DB) CreateCooperation(ctx context.Context, d coop.CooperationDraft) (coop.Cooperation, error) {
	if err := d.Validate().Err(); err != nil {
		return coop.Cooperation{}, err
	}
	var out coop.Cooperation
	err := db.tx(ctx, func(tx *gorm.DB) error {
		id := newID()
		row, members, err := cooperationRowFrom(tx, id, d)
		if err != nil {
			return err
		}
		if err := mayEdit(ctx, nil, memberRowPartners(members)); err != nil {
			return err
		}
		now := db.now()
		row.Status = initialStatus(d.Status, coop.CooperationMachine)
		row.CreatedAt, row.UpdatedAt, row.Version = now, now, 1
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		if err := replaceMembers(tx, id, members, false); err != nil {
			return err
		}
		if err := db.recordInitialStatus(ctx, tx, coop.TypeCooperation, id, row.Status, d.StatusEffectiveOn, d.StartedOn, now); err != nil {
			return err
		}
		if err := db.indexSearch(tx, coop.TypeCooperation, id); err != nil {
			return err
		}
		if out, err = db.findCooperation(tx, id, false); err != nil {
			return err
		}
		return db.logChange(ctx, tx, coop.ActionCreate, coop.TypeCooperation, id, 1, diff(nil, CooperationFields(out)), now)
	})
	if err != nil {
		return coop.Cooperation{}, err
	}
	return out, nil
}

// UpdateCooperation replaces a cooperation's fields and members by d (the merged
// patch); its status is left alone: that changes only by transition.
func (db *DB) UpdateCooperation(ctx context.Context, ref string, d coop.CooperationDraft, ifVersion int) (coop.Cooperation, error) {
	if err := d.Validate().Err(); err != nil {
		return coop.Cooperation{}, err
	}
	var out coop.Cooperation
	err := db.tx(ctx, func(tx *gorm.DB) error {
		before, err := db.findCooperation(tx, ref, false)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, ifVersion); err != nil {
			return err
		}
		row, members, err := cooperationRowFrom(tx, before.ID, d)
		if err != nil {
			return err
		}
		if err := mayEdit(ctx, memberPartnerIDs(before), memberRowPartners(members)); err != nil {
			return err
		}
		now := db.now()
		cols := map[string]any{
			"slug": row.Slug, "title": row.Title, "title_sort": row.TitleSort, "description": row.Description,
			"legal_form": row.LegalForm, "started_on": row.StartedOn, "started_on_key": row.StartedOnKey,
			"ended_on": row.EndedOn, "legal_basis": row.LegalBasis, "notice_period_months": row.NoticePeriodMonths,
			"vat_treatment": row.VATTreatment, "procurement_exempt": row.ProcurementExempt, "sources": row.Sources,
		}
		if err := bump(tx, "cooperations", before.ID, before.Version, cols, now); err != nil {
			return err
		}
		if err := replaceMembers(tx, before.ID, members, true); err != nil {
			return err
		}
		if err := db.indexSearch(tx, coop.TypeCooperation, before.ID); err != nil {
			return err
		}
		if out, err = db.findCooperation(tx, before.ID, false); err != nil {
			return err
		}
		return db.logChange(ctx, tx, coop.ActionUpdate, coop.TypeCooperation, out.ID, out.Version,
			diff(CooperationFields(before), CooperationFields(out)), now)
	})
	if err != nil {
		return coop.Cooperation{}, err
	}
	return out, nil
}

// cooperationRowFrom resolves d's member references (field errors at members[i].partner)
// and builds the cooperation's row and member rows.
func cooperationRowFrom(tx *gorm.DB, id string, d coop.CooperationDraft) (cooperationRow, []memberRow, error) {
	var v coop.Violations
	refs := make([]string, len(d.Members))
	paths := make([]string, len(d.Members))
	for i, m := range d.Members {
		refs[i], paths[i] = m.Partner, fmt.Sprintf("members[%d].partner", i)
	}
	ids := resolveIDs(tx, "partners", refs, paths, &v, "Partner")
	row, members := buildCooperationRow(id, d, ids, &v)
	return row, members, v.Err()
}

// buildCooperationRow builds the rows of d from its members' resolved partner ids (""
// for an unresolved one) and adds duplicate members to v. The create path and the bulk
// loader (bulk.go) share it.
func buildCooperationRow(id string, d coop.CooperationDraft, ids []string, v *coop.Violations) (cooperationRow, []memberRow) {
	members := make([]memberRow, 0, len(d.Members))
	seen := map[[2]string]int{}
	for i, m := range d.Members {
		if ids[i] == "" {
			continue
		}
		if first, dup := seen[[2]string{ids[i], m.Role}]; dup {
			v.Add(fmt.Sprintf("members[%d]", i), "duplicate", "Derselbe Partner ist schon mit der Rolle %q genannt (Eintrag %d)", m.Role, first)
			continue
		}
		seen[[2]string{ids[i], m.Role}] = i
		members = append(members, memberRow{CooperationID: id, PartnerID: ids[i], Role: m.Role, Position: i})
	}
	row := cooperationRow{
		ID: id, Slug: d.Slug, Title: strings.TrimSpace(d.Title), TitleSort: textsearch.SortKey(d.Title),
		Description: d.Description, LegalForm: d.LegalForm, StartedOn: d.StartedOn, StartedOnKey: dateKey(d.StartedOn),
		EndedOn: d.EndedOn, LegalBasis: jsonText(d.LegalBasis), NoticePeriodMonths: d.NoticePeriodMonths,
		VATTreatment: d.VATTreatment, ProcurementExempt: d.ProcurementExempt, Sources: sourcesText(d.Sources),
	}
	return row, members
}

// replaceMembers writes a cooperation's member rows, first removing the old ones.
func replaceMembers(tx *gorm.DB, id string, rows []memberRow, clear bool) error {
	if clear {
		if err := tx.Where("cooperation_id = ?", id).Delete(&memberRow{}).Error; err != nil {
			return err
		}
	}
	if len(rows) == 0 {
		return nil
	}
	return tx.Create(&rows).Error
}

func memberRowPartners(rows []memberRow) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.PartnerID
	}
	return out
}

// DeleteCooperation soft-deletes a cooperation that has no live projects any more
// (409 naming them otherwise).
func (db *DB) DeleteCooperation(ctx context.Context, ref string, ifVersion int) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		c, err := db.findCooperation(tx, ref, false)
		if err != nil {
			return err
		}
		if err := checkVersion(c.Version, ifVersion); err != nil {
			return err
		}
		ids := memberPartnerIDs(c)
		if err := mayEdit(ctx, ids, ids); err != nil {
			return err
		}
		if err := refuseIfUsed(tx, "cooperation_id", c.ID, "Kooperation", c.Slug); err != nil {
			return err
		}
		return db.softDelete(ctx, tx, "cooperations", coop.TypeCooperation, c.Meta)
	})
}

// RestoreCooperation brings the most recently deleted cooperation of that id or slug
// back; 409 if one of its member partners is deleted or its slug is taken.
func (db *DB) RestoreCooperation(ctx context.Context, ref string, ifVersion int) (coop.Cooperation, error) {
	var out coop.Cooperation
	err := db.tx(ctx, func(tx *gorm.DB) error {
		c, err := db.findCooperation(tx, ref, true)
		if err != nil {
			return err
		}
		if err := checkVersion(c.Version, ifVersion); err != nil {
			return err
		}
		ids := memberPartnerIDs(c)
		if err := mayEdit(ctx, ids, ids); err != nil {
			return err
		}
		if err := refuseDeletedPartners(tx, ids); err != nil {
			return err
		}
		if err := db.restore(ctx, tx, "cooperations", coop.TypeCooperation, c.Meta); err != nil {
			return err
		}
		out, err = db.findCooperation(tx, c.ID, false)
		return err
	})
	if err != nil {
		return coop.Cooperation{}, err
	}
	return out, nil
}
