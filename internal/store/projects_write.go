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

// projectResource describes projects to the write sequence (write.go).
var projectResource = &resource[coop.Project, coop.ProjectDraft, *projectWrite]{
	typ: coop.TypeProject, table: "projects",
	searched:  []string{"title", "slug", "tags", "description"},
	build:     projectWriteFrom,
	find:      (*base).findProject,
	scope:     participantPartnerIDs,
	authorize: mayEdit,
	change: func(ctx context.Context, before coop.Project, w *projectWrite) error {
		return mayChangeParticipations(ctx, participationsOf(before), w.participations())
	},
	fields:  projectFields,
	machine: &coop.ProjectMachine,
	status:  func(p coop.Project) string { return p.Status },
	initial: func(d coop.ProjectDraft) (string, string, string) {
		return d.Status, d.StatusEffectiveOn, d.StartedOn
	},
	restorable: func(tx *gorm.DB, p coop.Project) error {
		if err := refuseDeleted(tx, "cooperations", p.Cooperation.ID, "Die Kooperation", p.Cooperation.Slug); err != nil {
			return err
		}
		if p.Solution != nil {
			if err := refuseDeleted(tx, "solutions", p.Solution.ID, "Die Lösung", p.Solution.Slug); err != nil {
				return err
			}
		}
		return refuseDeletedPartners(tx, participantPartnerIDs(p))
	},
}

// CreateProject validates d and stores a new project with its participants, tags,
// initial status entry and change-log record, in one transaction.
func (s *ProjectService) CreateProject(ctx context.Context, d coop.ProjectDraft) (coop.Project, error) {
	return create(ctx, s.base, projectResource, d)
}

// UpdateProject replaces a project's fields, participants and tags by d (the merged
// patch); its status is left alone: that changes only by transition.
func (s *ProjectService) UpdateProject(ctx context.Context, ref string, d coop.ProjectDraft, ifVersion int) (coop.Project, error) {
	return update(ctx, s.base, projectResource, ref, d, ifVersion)
}

// DeleteProject soft-deletes a project.
func (s *ProjectService) DeleteProject(ctx context.Context, ref string, ifVersion int) error {
	return remove(ctx, s.base, projectResource, ref, ifVersion)
}

// RestoreProject brings the most recently deleted project of that id or slug back;
// 409 if a participant, its cooperation or its solution is deleted, or its slug taken.
func (s *ProjectService) RestoreProject(ctx context.Context, ref string, ifVersion int) (coop.Project, error) {
	return restore(ctx, s.base, projectResource, ref, ifVersion)
}

// TransitionProject moves a live project along the project machine: 422 for an unknown
// target or a bad, future or out-of-order effective_on, 409 (with the allowed targets)
// for a move the machine refuses, 412 for a stale ifVersion.
func (s *ProjectService) TransitionProject(ctx context.Context, ref string, t coop.Transition, ifVersion int) (coop.Project, error) {
	return transit(ctx, s.base, projectResource, ref, t, ifVersion)
}

// projectWrite is what a write of a project writes: the row and its child rows.
type projectWrite struct {
	row          projectRow
	participants []participantRow
	tags         []projectTagRow
}

func (w *projectWrite) insert(tx *gorm.DB, now time.Time, status string) error {
	w.row.Status, w.row.CreatedAt, w.row.UpdatedAt, w.row.Version = status, now, now, 1
	return tx.Create(&w.row).Error
}

func (w *projectWrite) columns() map[string]any {
	r := &w.row
	return map[string]any{
		"slug": r.Slug, "title": r.Title, "title_sort": r.TitleSort, "description": r.Description,
		"cooperation_id": r.CooperationID, "solution_id": r.SolutionID, "category": r.Category,
		"started_on": r.StartedOn, "started_on_key": r.StartedOnKey, "planned_end_on": r.PlannedEndOn,
		"ended_on": r.EndedOn, "legal_basis": r.LegalBasis, "budget_planned_cents": r.BudgetPlannedCents,
		"cost_actual_cents": r.CostActualCents, "savings_estimated_cents": r.SavingsEstimatedCents,
		"currency": r.Currency, "tags": r.Tags, "sources": r.Sources,
	}
}

func (w *projectWrite) partners() []string {
	out := make([]string, len(w.participants))
	for i, p := range w.participants {
		out[i] = p.PartnerID
	}
	return out
}

// projectWriteFrom resolves d's references (field errors at cooperation, solution,
// participants[i].partner) and builds the rows to write.
func projectWriteFrom(tx *gorm.DB, id string, d coop.ProjectDraft) (*projectWrite, error) {
	var v coop.Violations
	coopID := resolveIDs(tx, "cooperations", []string{d.Cooperation}, []string{"cooperation"}, &v, "Kooperation")[0]
	var solutionID string
	if d.Solution != "" {
		solutionID = resolveIDs(tx, "solutions", []string{d.Solution}, []string{"solution"}, &v, "Lösung")[0]
	}
	refs := make([]string, len(d.Participants))
	paths := make([]string, len(d.Participants))
	for i, p := range d.Participants {
		refs[i], paths[i] = p.Partner, fmt.Sprintf("participants[%d].partner", i)
	}
	partnerIDs := resolveIDs(tx, "partners", refs, paths, &v, "Partner")
	w := buildProjectWrite(id, d, coopID, solutionID, partnerIDs, &v)
	return &w, v.Err()
}

// buildProjectWrite builds the rows of d from its resolved references (ids, "" for an
// unresolved one; partnerIDs in participant order) and adds d's duplicate participants
// and tags to v. The create path and the bulk loader (bulk.go) share it.
func buildProjectWrite(id string, d coop.ProjectDraft, coopID, solutionID string, partnerIDs []string, v *coop.Violations) projectWrite {
	w := projectWrite{row: projectRow{
		ID: id, Slug: d.Slug, Title: strings.TrimSpace(d.Title), TitleSort: textsearch.SortKey(d.Title),
		Description: d.Description, Category: d.Category, StartedOn: d.StartedOn, StartedOnKey: dateKey(d.StartedOn),
		PlannedEndOn: d.PlannedEndOn, EndedOn: d.EndedOn, LegalBasis: jsonText(d.LegalBasis),
		Currency: "EUR", Tags: jsonText(d.Tags), Sources: sourcesText(d.Sources),
	}}
	w.row.CooperationID = coopID
	if solutionID != "" {
		w.row.SolutionID = &solutionID
	}
	if f := d.Finance; f != nil {
		w.row.BudgetPlannedCents = money(f.BudgetPlanned)
		w.row.CostActualCents = money(f.CostActual)
		w.row.SavingsEstimatedCents = money(f.SavingsEstimated)
	}
	seen := map[[2]string]int{}
	for i, p := range d.Participants {
		if partnerIDs[i] == "" {
			continue
		}
		if first, dup := seen[[2]string{partnerIDs[i], p.Role}]; dup {
			v.Add(fmt.Sprintf("participants[%d]", i), "duplicate", "Derselbe Partner ist schon mit der Rolle %q genannt (Eintrag %d)", p.Role, first)
			continue
		}
		seen[[2]string{partnerIDs[i], p.Role}] = i
		w.participants = append(w.participants, participantRow{ProjectID: id, PartnerID: partnerIDs[i], Role: p.Role,
			Since: p.Since, Until: p.Until, Position: i})
	}
	tagAt := map[string]int{}
	for i, t := range d.Tags {
		if first, dup := tagAt[t]; dup {
			v.Add(fmt.Sprintf("tags[%d]", i), "duplicate", "Schlagwort %q ist schon genannt (Eintrag %d)", t, first)
			continue
		}
		tagAt[t] = i
		w.tags = append(w.tags, projectTagRow{ProjectID: id, Tag: t, Position: i})
	}
	return w
}

// money converts a validated decimal string to cents (nil stays nil).
func money(s *string) *int64 {
	if s == nil {
		return nil
	}
	c, err := coop.ParseMoney(*s)
	if err != nil {
		return nil
	}
	n := int64(c)
	return &n
}

func (w *projectWrite) children(tx *gorm.DB, replace bool) error {
	if replace {
		if err := tx.Where("project_id = ?", w.row.ID).Delete(&participantRow{}).Error; err != nil {
			return err
		}
		if err := tx.Where("project_id = ?", w.row.ID).Delete(&projectTagRow{}).Error; err != nil {
			return err
		}
	}
	if len(w.participants) > 0 {
		if err := tx.Create(&w.participants).Error; err != nil {
			return err
		}
	}
	if len(w.tags) > 0 {
		return tx.Create(&w.tags).Error
	}
	return nil
}
