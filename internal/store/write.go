package store

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// Helpers shared by the writes of every resource: references by id or slug, the
// conditional version bump, the change log, and the editor's partner scope.

// isUUID tells whether ref is an id rather than a slug.
func isUUID(ref string) bool {
	_, err := uuid.Parse(ref)
	return err == nil && len(ref) == 36
}

// refWhere returns the condition that finds ref (id or slug) in a table alias.
func refWhere(alias, ref string) (string, any) {
	if isUUID(ref) {
		return alias + ".id = ?", ref
	}
	return alias + ".slug = ?", ref
}

// resolveIDs turns id-or-slug references into ids of live rows of table. Missing or
// deleted ones are reported as field errors at the given paths.
func resolveIDs(tx *gorm.DB, table string, refs []string, paths []string, v *coop.Violations, label string) []string {
	if len(refs) == 0 {
		return nil
	}
	var ids, slugs []string
	for _, r := range refs {
		if isUUID(r) {
			ids = append(ids, r)
		} else if r != "" {
			slugs = append(slugs, r)
		}
	}
	type hit struct{ ID, Slug string }
	var hits []hit
	q := tx.Table(table).Select("id, slug").Where("deleted_at IS NULL")
	switch {
	case len(ids) > 0 && len(slugs) > 0:
		q = q.Where("id IN ? OR slug IN ?", ids, slugs)
	case len(ids) > 0:
		q = q.Where("id IN ?", ids)
	case len(slugs) > 0:
		q = q.Where("slug IN ?", slugs)
	default:
		return make([]string, len(refs))
	}
	if err := q.Scan(&hits).Error; err != nil {
		// Not the caller's fault: keep the error on the transaction, so that its next
		// statement fails with it (503 for a lost database), instead of a false 422.
		_ = tx.AddError(err)
		return make([]string, len(refs))
	}
	byRef := map[string]string{}
	for _, h := range hits {
		byRef[h.ID] = h.ID
		byRef[h.Slug] = h.ID
	}
	out := make([]string, len(refs))
	for i, r := range refs {
		if r == "" {
			continue
		}
		id, ok := byRef[r]
		if !ok {
			refMissing(v, paths[i], label, r)
			continue
		}
		out[i] = id
	}
	return out
}

// refMissing adds the field error of a reference to a missing or deleted resource.
func refMissing(v *coop.Violations, path, label, ref string) {
	v.Add(path, "reference", "%s %q gibt es nicht (oder er ist gelöscht)", label, ref)
}

// bump sets version = version+1 and the given columns on a live row, but only if its
// version is still want: the check and the write are one statement.
func bump(tx *gorm.DB, table, id string, want int, cols map[string]any, now time.Time) error {
	cols["version"] = gorm.Expr("version + 1")
	cols["updated_at"] = now
	res := tx.Table(table).Where("id = ? AND version = ?", id, want).Updates(cols)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return precondition()
	}
	return nil
}

func precondition() error {
	return coop.Errorf(coop.EPrecondition, "Die Ressource wurde inzwischen geändert (If-Match veraltet) / resource changed meanwhile")
}

// checkVersion refuses a stale If-Match before any work is done.
func checkVersion(current, want int) error {
	if want != 0 && want != current {
		return precondition()
	}
	return nil
}

// logChange writes one change-log record in the write's transaction.
func (db *DB) logChange(ctx context.Context, tx *gorm.DB, action, typ, id string, version int, changes map[string]coop.FieldChange, at time.Time) error {
	row, err := changeRowOf(ctx, action, typ, id, version, changes, at)
	if err != nil {
		return err
	}
	return tx.Create(&row).Error
}

// changeRowOf is the change-log record of one write by ctx's actor and request.
func changeRowOf(ctx context.Context, action, typ, id string, version int, changes map[string]coop.FieldChange, at time.Time) (changeRow, error) {
	a := coop.ActorFrom(ctx)
	if changes == nil {
		changes = map[string]coop.FieldChange{}
	}
	b, err := json.Marshal(changes)
	if err != nil {
		return changeRow{}, err
	}
	return changeRow{
		At: at, ActorType: a.Type, ActorID: a.ID, ActorName: a.Name,
		RequestID: coop.RequestIDFrom(ctx), Action: action, ResourceType: typ,
		ResourceID: id, Version: version, Changes: string(b),
	}, nil
}

// diff returns the fields whose values differ between before and after (nil before =
// a create: every field of after).
func diff(before, after map[string]any) map[string]coop.FieldChange {
	out := map[string]coop.FieldChange{}
	for k, nv := range after {
		ov, had := before[k]
		if before != nil && had && jsonEqual(ov, nv) {
			continue
		}
		out[k] = coop.FieldChange{Old: ov, New: nv}
	}
	for k, ov := range before {
		if _, ok := after[k]; !ok {
			out[k] = coop.FieldChange{Old: ov, New: nil}
		}
	}
	return out
}

func jsonEqual(a, b any) bool {
	if reflect.DeepEqual(a, b) {
		return true
	}
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// mayEdit applies the editor's partner scope (coop.MayEdit) to a write touching the
// given partner ids before and after it.
func mayEdit(ctx context.Context, before, after []string) error {
	if !coop.MayEdit(coop.ActorFrom(ctx), before, after) {
		return coop.Errorf(coop.EForbidden, "Ihr Zugang ist an Partner gebunden, die hier nicht beteiligt sind (oder nicht mehr wären) / your token's partners do not take part")
	}
	return nil
}

// newID returns a fresh resource id.
func newID() string { return uuid.NewString() }

// sameIDs reports whether two id lists hold the same ids.
func sameIDs(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// softDelete marks a live row deleted (a conditional version bump) and logs it.
func (db *DB) softDelete(ctx context.Context, tx *gorm.DB, table, typ string, m coop.Meta) error {
	now := db.now()
	if err := bump(tx, table, m.ID, m.Version, map[string]any{"deleted_at": now}, now); err != nil {
		return err
	}
	return db.logChange(ctx, tx, coop.ActionDelete, typ, m.ID, m.Version+1,
		map[string]coop.FieldChange{"deleted_at": {Old: nil, New: now}}, now)
}

// restore brings a deleted row back (a conditional version bump) and logs it; a slug
// taken meanwhile fails on the unique index of live slugs (409).
func (db *DB) restore(ctx context.Context, tx *gorm.DB, table, typ string, m coop.Meta) error {
	now := db.now()
	if err := bump(tx, table, m.ID, m.Version, map[string]any{"deleted_at": nil}, now); err != nil {
		return err
	}
	return db.logChange(ctx, tx, coop.ActionRestore, typ, m.ID, m.Version+1,
		map[string]coop.FieldChange{"deleted_at": {Old: m.DeletedAt, New: nil}}, now)
}

// refuseIfUsed answers 409 with the blocking projects if live projects still refer to
// id in column (cooperation_id, solution_id).
func refuseIfUsed(tx *gorm.DB, column, id, label, slug string) error {
	var blocked []Blocker
	err := tx.Table("projects").Select("'project' AS type, id, slug").
		Where(column+" = ? AND deleted_at IS NULL", id).Order("slug").Scan(&blocked).Error
	if err != nil {
		return err
	}
	if len(blocked) == 0 {
		return nil
	}
	return &coop.Error{Code: coop.EConflict,
		Message: fmt.Sprintf("%s %q wird noch von %d Vorhaben verwendet / still referenced", label, slug, len(blocked)),
		Extra:   map[string]any{"blocked_by": blocked}}
}

// refuseDeletedPartners answers 409 naming the deleted ones among the partner ids, so
// that a restore never brings back a reference to a deleted partner.
func refuseDeletedPartners(tx *gorm.DB, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	var slugs []string
	err := tx.Table("partners").Where("id IN ? AND deleted_at IS NOT NULL", ids).
		Distinct().Order("slug").Pluck("slug", &slugs).Error
	if err != nil {
		return err
	}
	if len(slugs) > 0 {
		return coop.Errorf(coop.EConflict, "Gelöschte Partner werden noch genannt: %s; erst wiederherstellen / deleted partners referenced: restore them first",
			strings.Join(slugs, ", "))
	}
	return nil
}

// initialStatus is the status a create starts in: the one asked for, or the machine's.
func initialStatus(asked string, m coop.Machine) string {
	if asked != "" {
		return asked
	}
	return m.Initial
}

// refuseDeleted answers 409 if the row id of table is deleted (label names it).
func refuseDeleted(tx *gorm.DB, table, id, label, slug string) error {
	var n int64
	if err := tx.Table(table).Where("id = ? AND deleted_at IS NULL", id).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return coop.Errorf(coop.EConflict, "%s %q ist gelöscht; erst wiederherstellen / %q is deleted: restore it first",
			label, slug, slug)
	}
	return nil
}
