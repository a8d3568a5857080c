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

// cooperationResource describes cooperations to the write sequence (write.go).
var cooperationResource = &resource[coop.Cooperation, coop.CooperationDraft, *cooperationWrite]{
	typ: coop.TypeCooperation, table: "cooperations",
	searched:  []string{"title", "slug", "description", "legal_basis"},
	build:     cooperationWriteFrom,
	find:      (*base).findCooperation,
	scope:     memberPartnerIDs,
	authorize: mayEdit,
	change: func(ctx context.Context, before coop.Cooperation, w *cooperationWrite) error {
		return mayChangeParticipations(ctx, membershipsOf(before), w.memberships())
	},
	fields:  cooperationFields,
	search:  cooperationSearch,
	machine: &coop.CooperationMachine,
	status:  func(c coop.Cooperation) string { return c.Status },
	moved: func(c coop.Cooperation, status string, version int, now time.Time) coop.Cooperation {
		c.Status, c.Version, c.UpdatedAt = status, version, now
		return c
	},
	initial: func(d coop.CooperationDraft) (string, string, string) {
		return d.Status, d.StatusEffectiveOn, d.StartedOn
	},
	inUse: func(tx *gorm.DB, c coop.Cooperation) error {
		return refuseIfUsed(tx, "cooperation_id", c.ID, "Kooperation", c.Slug)
	},
	restorable: func(tx *gorm.DB, c coop.Cooperation) error { return refuseDeletedPartners(tx, memberPartnerIDs(c)) },
}

// CreateCooperation validates d and stores a new cooperation with its members, its
// initial status entry and its change-log record, in one transaction.
func (s *CooperationService) CreateCooperation(ctx context.Context, d coop.CooperationDraft) (coop.Cooperation, error) {
	return create(ctx, s.base, cooperationResource, d)
}

// UpdateCooperation replaces a cooperation's fields and members by d (the merged
// patch); its status is left alone: that changes only by transition.
func (s *CooperationService) UpdateCooperation(ctx context.Context, ref string, d coop.CooperationDraft, ifVersion int) (coop.Cooperation, error) {
	return update(ctx, s.base, cooperationResource, ref, d, ifVersion)
}

// DeleteCooperation soft-deletes a cooperation that has no live projects any more
// (409 naming them otherwise).
func (s *CooperationService) DeleteCooperation(ctx context.Context, ref string, ifVersion int) error {
	return remove(ctx, s.base, cooperationResource, ref, ifVersion)
}

// RestoreCooperation brings the most recently deleted cooperation of that id or slug
// back; 409 if one of its member partners is deleted or its slug is taken.
func (s *CooperationService) RestoreCooperation(ctx context.Context, ref string, ifVersion int) (coop.Cooperation, error) {
	return restore(ctx, s.base, cooperationResource, ref, ifVersion)
}

// TransitionCooperation moves a live cooperation along the cooperation machine, with
// the same rules as TransitionProject.
func (s *CooperationService) TransitionCooperation(ctx context.Context, ref string, t coop.Transition, ifVersion int) (coop.Cooperation, error) {
	return transit(ctx, s.base, cooperationResource, ref, t, ifVersion)
}

// cooperationWrite is what a write of a cooperation writes: its row and its members.
type cooperationWrite struct {
	row     cooperationRow
	members []memberRow
}

func (w *cooperationWrite) insert(tx *gorm.DB, now time.Time, status string) error {
	w.row.Status, w.row.CreatedAt, w.row.UpdatedAt, w.row.Version = status, now, now, 1
	return tx.Create(&w.row).Error
}

func (w *cooperationWrite) columns() map[string]any {
	r := &w.row
	return map[string]any{
		"slug": r.Slug, "title": r.Title, "title_sort": r.TitleSort, "description": r.Description,
		"legal_form": r.LegalForm, "started_on": r.StartedOn, "started_on_key": r.StartedOnKey,
		"ended_on": r.EndedOn, "legal_basis": r.LegalBasis, "notice_period_months": r.NoticePeriodMonths,
		"vat_treatment": r.VATTreatment, "procurement_exempt": r.ProcurementExempt, "sources": r.Sources,
	}
}

func (w *cooperationWrite) children(tx *gorm.DB, replace bool) error {
	if replace {
		if err := tx.Where("cooperation_id = ?", w.row.ID).Delete(&memberRow{}).Error; err != nil {
			return err
		}
	}
	if len(w.members) == 0 {
		return nil
	}
	return tx.Create(&w.members).Error
}

func (w *cooperationWrite) partners() []string { return memberRowPartners(w.members) }

// cooperationWriteFrom resolves d's member references (field errors at
// members[i].partner) and builds the cooperation's row and member rows.
func cooperationWriteFrom(_ *base, tx *gorm.DB, id string, d coop.CooperationDraft, _ bool) (*cooperationWrite, error) {
	var v coop.Violations
	refs := make([]string, len(d.Members))
	paths := make([]string, len(d.Members))
	for i, m := range d.Members {
		refs[i], paths[i] = m.Partner, fmt.Sprintf("members[%d].partner", i)
	}
	ids := resolveIDs(tx, "partners", refs, paths, &v, "Partner")
	row, members := buildCooperationRow(id, d, ids, &v)
	return &cooperationWrite{row, members}, v.Err()
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

func memberRowPartners(rows []memberRow) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.PartnerID
	}
	return out
}
