package store

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/textsearch"
)

// CreateSolution validates d and stores a new solution with its developers and its
// change-log record, in one transaction.
func (db *DB) CreateSolution(ctx context.Context, d coop.SolutionDraft) (coop.Solution, error) {
	if err := d.Validate().Err(); err != nil {
		return coop.Solution{}, err
	}
	var out coop.Solution
	err := db.tx(ctx, func(tx *gorm.DB) error {
		id := newID()
		row, devs, err := solutionRowFrom(tx, id, d)
		if err != nil {
			return err
		}
		if err := mayEditSolution(ctx); err != nil {
			return err
		}
		now := db.now()
		row.CreatedAt, row.UpdatedAt, row.Version = now, now, 1
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		if err := replaceDevelopers(tx, id, devs, false); err != nil {
			return err
		}
		if err := db.indexSearch(tx, coop.TypeSolution, id); err != nil {
			return err
		}
		if out, err = db.findSolution(tx, id, false); err != nil {
			return err
		}
		return db.logChange(ctx, tx, coop.ActionCreate, coop.TypeSolution, id, 1, diff(nil, SolutionFields(out)), now)
	})
	if err != nil {
		return coop.Solution{}, err
	}
	return out, nil
}

// UpdateSolution replaces a solution's fields and developers by d (the merged patch).
func (db *DB) UpdateSolution(ctx context.Context, ref string, d coop.SolutionDraft, ifVersion int) (coop.Solution, error) {
	if err := d.Validate().Err(); err != nil {
		return coop.Solution{}, err
	}
	var out coop.Solution
	err := db.tx(ctx, func(tx *gorm.DB) error {
		before, err := db.findSolution(tx, ref, false)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, ifVersion); err != nil {
			return err
		}
		row, devs, err := solutionRowFrom(tx, before.ID, d)
		if err != nil {
			return err
		}
		if err := mayEditSolution(ctx); err != nil {
			return err
		}
		now := db.now()
		cols := map[string]any{
			"slug": row.Slug, "name": row.Name, "name_sort": row.NameSort, "description": row.Description,
			"category": row.Category, "website": row.Website,
		}
		if err := bump(tx, "solutions", before.ID, before.Version, cols, now); err != nil {
			return err
		}
		if err := replaceDevelopers(tx, before.ID, devs, true); err != nil {
			return err
		}
		if err := db.indexSearch(tx, coop.TypeSolution, before.ID); err != nil {
			return err
		}
		if out, err = db.findSolution(tx, before.ID, false); err != nil {
			return err
		}
		return db.logChange(ctx, tx, coop.ActionUpdate, coop.TypeSolution, out.ID, out.Version,
			diff(SolutionFields(before), SolutionFields(out)), now)
	})
	if err != nil {
		return coop.Solution{}, err
	}
	return out, nil
}

// solutionRowFrom resolves d's developers (field errors at developers[i]) and builds
// the solution's row and developer rows.
func solutionRowFrom(tx *gorm.DB, id string, d coop.SolutionDraft) (solutionRow, []solutionDeveloperRow, error) {
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
	return row, devs, v.Err()
}

// replaceDevelopers writes a solution's developer rows, first removing the old ones.
func replaceDevelopers(tx *gorm.DB, id string, rows []solutionDeveloperRow, clear bool) error {
	if clear {
		if err := tx.Where("solution_id = ?", id).Delete(&solutionDeveloperRow{}).Error; err != nil {
			return err
		}
	}
	if len(rows) == 0 {
		return nil
	}
	return tx.Create(&rows).Error
}

// DeleteSolution soft-deletes a solution that no live project uses any more (409
// naming them otherwise).
func (db *DB) DeleteSolution(ctx context.Context, ref string, ifVersion int) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		s, err := db.findSolution(tx, ref, false)
		if err != nil {
			return err
		}
		if err := checkVersion(s.Version, ifVersion); err != nil {
			return err
		}
		if err := mayEditSolution(ctx); err != nil {
			return err
		}
		if err := refuseIfUsed(tx, "solution_id", s.ID, "Lösung", s.Slug); err != nil {
			return err
		}
		return db.softDelete(ctx, tx, "solutions", coop.TypeSolution, s.Meta)
	})
}

// RestoreSolution brings the most recently deleted solution of that id or slug back;
// 409 if one of its developers is deleted or its slug is taken.
func (db *DB) RestoreSolution(ctx context.Context, ref string, ifVersion int) (coop.Solution, error) {
	var out coop.Solution
	err := db.tx(ctx, func(tx *gorm.DB) error {
		s, err := db.findSolution(tx, ref, true)
		if err != nil {
			return err
		}
		if err := checkVersion(s.Version, ifVersion); err != nil {
			return err
		}
		if err := mayEditSolution(ctx); err != nil {
			return err
		}
		if err := refuseDeletedPartners(tx, developerIDs(s)); err != nil {
			return err
		}
		if err := db.restore(ctx, tx, "solutions", coop.TypeSolution, s.Meta); err != nil {
			return err
		}
		out, err = db.findSolution(tx, s.ID, false)
		return err
	})
	if err != nil {
		return coop.Solution{}, err
	}
	return out, nil
}

// mayEditSolution: solutions are shared by all partners, so an editor bound to
// partners may not change them; unbound editors and admins may (api.md "Access").
func mayEditSolution(ctx context.Context) error {
	if a := coop.ActorFrom(ctx); a.Role == "editor" && len(a.Partners) > 0 {
		return coop.Errorf(coop.EForbidden, "Ein an Partner gebundener Zugang kann keine Lösungen ändern / bound editors cannot change solutions")
	}
	return nil
}
