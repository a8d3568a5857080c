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

// solutionResource describes solutions to the write sequence (write.go).
var solutionResource = &resource[coop.Solution, coop.SolutionDraft, *solutionWrite]{
	typ: coop.TypeSolution, table: "solutions",
	searched:  []string{"name", "slug", "description"},
	build:     solutionWriteFrom,
	find:      (*base).findSolution,
	scope:     developerIDs,
	authorize: func(ctx context.Context, _, _ []string) error { return mayEditSolution(ctx) },
	fields:    solutionFields,
	search:    solutionSearch,
	inUse: func(tx *gorm.DB, s coop.Solution) error {
		return refuseIfUsed(tx, "solution_id", s.ID, "Lösung", s.Slug)
	},
	restorable: func(tx *gorm.DB, s coop.Solution) error { return refuseDeletedPartners(tx, developerIDs(s)) },
}

// CreateSolution validates d and stores a new solution with its developers and its
// change-log record, in one transaction.
func (s *SolutionService) CreateSolution(ctx context.Context, d coop.SolutionDraft) (coop.Solution, error) {
	return create(ctx, s.base, solutionResource, d)
}

// UpdateSolution replaces a solution's fields and developers by d (the merged patch).
func (s *SolutionService) UpdateSolution(ctx context.Context, ref string, d coop.SolutionDraft, ifVersion int) (coop.Solution, error) {
	return update(ctx, s.base, solutionResource, ref, d, ifVersion)
}

// DeleteSolution soft-deletes a solution that no live project uses any more (409
// naming them otherwise).
func (s *SolutionService) DeleteSolution(ctx context.Context, ref string, ifVersion int) error {
	return remove(ctx, s.base, solutionResource, ref, ifVersion)
}

// RestoreSolution brings the most recently deleted solution of that id or slug back;
// 409 if one of its developers is deleted or its slug is taken.
func (s *SolutionService) RestoreSolution(ctx context.Context, ref string, ifVersion int) (coop.Solution, error) {
	return restore(ctx, s.base, solutionResource, ref, ifVersion)
}

// solutionWrite is what a write of a solution writes: its row and its developers.
type solutionWrite struct {
	row  solutionRow
	devs []solutionDeveloperRow
}

func (w *solutionWrite) insert(tx *gorm.DB, now time.Time, _ string) error {
	w.row.CreatedAt, w.row.UpdatedAt, w.row.Version = now, now, 1
	return tx.Create(&w.row).Error
}

func (w *solutionWrite) columns() map[string]any {
	r := &w.row
	return map[string]any{
		"slug": r.Slug, "name": r.Name, "name_sort": r.NameSort, "description": r.Description,
		"category": r.Category, "website": r.Website,
	}
}

func (w *solutionWrite) children(tx *gorm.DB, replace bool) error {
	if replace {
		if err := tx.Where("solution_id = ?", w.row.ID).Delete(&solutionDeveloperRow{}).Error; err != nil {
			return err
		}
	}
	if len(w.devs) == 0 {
		return nil
	}
	return tx.Create(&w.devs).Error
}

func (w *solutionWrite) partners() []string {
	out := make([]string, len(w.devs))
	for i, d := range w.devs {
		out[i] = d.PartnerID
	}
	return out
}

// solutionWriteFrom resolves d's developers (field errors at developers[i]) and builds
// the solution's row and developer rows.
func solutionWriteFrom(_ *base, tx *gorm.DB, id string, d coop.SolutionDraft, _ bool) (*solutionWrite, error) {
	var v coop.Violations
	paths := make([]string, len(d.Developers))
	for i := range d.Developers {
		paths[i] = fmt.Sprintf("developers[%d]", i)
	}
	ids := resolveIDs(tx, "partners", d.Developers, paths, &v, "Partner")
	devs := make([]solutionDeveloperRow, 0, len(ids))
	seen := map[string]int{}
	for i, pid := range ids {
		if pid == "" {
			continue
		}
		if first, dup := seen[pid]; dup {
			v.Add(paths[i], "duplicate", "Derselbe Partner ist schon genannt (Eintrag %d)", first)
			continue
		}
		seen[pid] = i
		devs = append(devs, solutionDeveloperRow{SolutionID: id, PartnerID: pid, Position: i})
	}
	row := solutionRow{
		ID: id, Slug: d.Slug, Name: strings.TrimSpace(d.Name), NameSort: textsearch.SortKey(d.Name),
		Description: d.Description, Category: d.Category, Website: d.Website,
	}
	return &solutionWrite{row, devs}, v.Err()
}
