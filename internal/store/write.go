package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/search"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/sqldb"
)

// The write sequence, once for every resource. A create or an update runs in one
// transaction (tx): validate the draft → resolve its references → authorize → write
// the row (a create at version 1, an update as a conditional version bump) → the
// child rows → the initial status entry (resources with a status machine) → the
// search document (an update: only if a searched field changed) → the change-log
// record (with the status entry, in one statement on PostgreSQL). A write on an existing resource first locks its row (lockResource). Deletes and restores are a conditional
// version bump of deleted_at and a change-log record, after their own checks. What
// differs between resources is described by a resource value (partners_write.go,
// cooperations_write.go, projects_write.go, solutions_write.go).

// hasMeta is a resource: it has id, slug, version.
type hasMeta interface{ Metadata() coop.Meta }

// draft is a resource's draft: it validates itself (coop's rules).
type draft interface{ Validate() coop.Violations }

// writeRows is what a create or an update of one resource writes.
type writeRows interface {
	// insert writes the resource's row as new: at now, in status (resources with a
	// status machine), at version 1.
	insert(tx *gorm.DB, now time.Time, status string) error
	// columns are the columns an update sets.
	columns() map[string]any
	// children writes the child rows (participants, members, developers, tags), first
	// removing the old ones on an update (replace).
	children(tx *gorm.DB, replace bool) error
	// partners are the partner ids the resource names after the write (the editor
	// scope; see access.go).
	partners() []string
}

// resource describes one kind of resource to the write sequence: T is its domain
// type, D its draft, W what a write of it writes.
type resource[T hasMeta, D draft, W writeRows] struct {
	typ, table string
	// searched are the fields (API names) its search document is made of
	// (internal/search/documents.go: resourceRow.text): an update that changes none of
	// them keeps the document. Status, category and deletion reach the document by
	// trigger (migration 00015).
	searched []string
	// build resolves d's references in tx (field errors as EValidation) and builds
	// the rows of the resource with id, for a create or an update.
	build func(b *base, tx *gorm.DB, id string, d D, create bool) (W, error)
	// find reads the resource in tx: the live one with that id or slug, or with
	// deleted the most recently deleted one.
	find func(b *base, tx *gorm.DB, ref string, deleted bool) (T, error)
	// scope is the partner ids a resource names (the editor scope).
	scope func(T) []string
	// authorize checks that ctx's actor may write a resource that names the partner
	// ids before (nil for a create) and after.
	authorize func(ctx context.Context, before, after []string) error
	// change checks, on an update, what the write changes of other partners'
	// entries (nil: nothing to check): a bound editor's part in the partner scope.
	change func(ctx context.Context, before T, w W) error
	// fields is the resource in its API form, for the change log.
	fields func(T) map[string]any
	// search is what the resource contributes to its search document (search.go).
	search func(T) search.Resource
	// machine is the status machine of resources with a status (nil: none); status
	// reads the status, initial the status a draft asks for, its effective date and
	// the draft's started_on.
	machine *coop.Machine
	status  func(T) string
	initial func(D) (status, effectiveOn, startedOn string)
	// inUse refuses a delete while live resources still refer to the resource (nil:
	// never); restorable refuses a restore while the resource refers to deleted ones
	// (nil: never).
	inUse, restorable func(tx *gorm.DB, v T) error
	// before tells w, on an update, what the resource was, so that it rewrites only
	// the child rows that change (nil: it rewrites them all).
	before func(before T, w W)
	// written is the resource as a create (before nil) or an update (before: the
	// resource as it was) left it, built from what w wrote without reading it back
	// (nil: read back with find). w's references carry what a read joins (slugs,
	// names), so that it equals what find returns after the commit.
	written func(w W, before *T, now time.Time) T
	// moved is v after a transition to status at version and time now, without
	// reading it back (nil: read back with find).
	moved func(v T, status string, version int, now time.Time) T
}

// create is the sequence of a create; it answers the resource as read back in the
// transaction.
func create[T hasMeta, D draft, W writeRows](ctx context.Context, b *base, r *resource[T, D, W], d D) (T, error) {
	var out T
	if err := d.Validate().Err(); err != nil {
		return out, err
	}
	err := b.tx(ctx, func(tx *gorm.DB) error {
		id := newID()
		w, err := r.build(b, tx, id, d, true)
		if err != nil {
			return err
		}
		if err := r.authorize(ctx, nil, w.partners()); err != nil {
			return err
		}
		now := b.now()
		var status, effectiveOn, startedOn string
		if r.machine != nil {
			status, effectiveOn, startedOn = r.initial(d)
			status = initialStatus(status, *r.machine)
		}
		if err := w.insert(tx, now, status); err != nil {
			return err
		}
		if err := w.children(tx, false); err != nil {
			return err
		}
		if out, err = r.answer(b, tx, w, nil, now, id); err != nil {
			return err
		}
		if err := b.writeSearch(tx, r.search(out)); err != nil {
			return err
		}
		var initial *statusChangeRow
		if r.machine != nil {
			initial = initialStatusRow(ctx, r.typ, id, status, effectiveOn, startedOn, now)
		}
		return b.logChangeWith(ctx, tx, initial, coop.ActionCreate, r.typ, id, 1, diff(nil, r.fields(out)), now)
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return out, nil
}

// update is the sequence of an update: d replaces the resource's fields and children
// (its status is left alone: that changes only by transition) if its version is
// still ifVersion (0: any).
func update[T hasMeta, D draft, W writeRows](ctx context.Context, b *base, r *resource[T, D, W], ref string, d D, ifVersion int) (T, error) {
	var out T
	if err := d.Validate().Err(); err != nil {
		return out, err
	}
	err := b.tx(ctx, func(tx *gorm.DB) error {
		if err := lockResource(tx, r.table, ref, false, "NO KEY UPDATE"); err != nil {
			return err
		}
		before, err := r.find(b, tx, ref, false)
		if err != nil {
			return err
		}
		m := before.Metadata()
		if err := checkVersion(m.Version, ifVersion); err != nil {
			return err
		}
		w, err := r.build(b, tx, m.ID, d, false)
		if err != nil {
			return err
		}
		if err := r.authorize(ctx, r.scope(before), w.partners()); err != nil {
			return err
		}
		if r.change != nil {
			if err := r.change(ctx, before, w); err != nil {
				return err
			}
		}
		if r.before != nil {
			r.before(before, w)
		}
		now := b.now()
		if err := bump(tx, r.table, m.ID, m.Version, w.columns(), now); err != nil {
			return err
		}
		if err := w.children(tx, true); err != nil {
			return err
		}
		if out, err = r.answer(b, tx, w, &before, now, m.ID); err != nil {
			return err
		}
		changes := diff(r.fields(before), r.fields(out))
		if slices.ContainsFunc(r.searched, func(f string) bool { _, ok := changes[f]; return ok }) {
			if err := b.writeSearch(tx, r.search(out)); err != nil {
				return err
			}
		}
		return b.logChange(ctx, tx, coop.ActionUpdate, r.typ, m.ID, out.Metadata().Version, changes, now)
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return out, nil
}

// remove is the sequence of a delete: a soft delete (deleted_at set by a
// conditional version bump) unless live resources still refer to the resource.
func remove[T hasMeta, D draft, W writeRows](ctx context.Context, b *base, r *resource[T, D, W], ref string, ifVersion int) error {
	return b.tx(ctx, func(tx *gorm.DB) error {
		if err := lockResource(tx, r.table, ref, false, "UPDATE"); err != nil {
			return err
		}
		v, err := r.find(b, tx, ref, false)
		if err != nil {
			return err
		}
		m := v.Metadata()
		if err := checkVersion(m.Version, ifVersion); err != nil {
			return err
		}
		if err := r.authorize(ctx, r.scope(v), r.scope(v)); err != nil {
			return err
		}
		if r.inUse != nil {
			if err := r.inUse(tx, v); err != nil {
				return err
			}
		}
		now := b.now()
		if err := bump(tx, r.table, m.ID, m.Version, map[string]any{"deleted_at": now}, now); err != nil {
			return err
		}
		return b.logChange(ctx, tx, coop.ActionDelete, r.typ, m.ID, m.Version+1,
			map[string]coop.FieldChange{"deleted_at": {Old: nil, New: now}}, now)
	})
}

// restore is the sequence of a restore: the most recently deleted resource of that id
// or slug comes back (a conditional version bump), unless it refers to deleted ones;
// a slug taken meanwhile fails on the unique index of live slugs (409).
func restore[T hasMeta, D draft, W writeRows](ctx context.Context, b *base, r *resource[T, D, W], ref string, ifVersion int) (T, error) {
	var out T
	err := b.tx(ctx, func(tx *gorm.DB) error {
		if err := lockResource(tx, r.table, ref, true, "NO KEY UPDATE"); err != nil {
			return err
		}
		v, err := r.find(b, tx, ref, true)
		if err != nil {
			return err
		}
		m := v.Metadata()
		if err := checkVersion(m.Version, ifVersion); err != nil {
			return err
		}
		if err := r.authorize(ctx, r.scope(v), r.scope(v)); err != nil {
			return err
		}
		if r.restorable != nil {
			if err := r.restorable(tx, v); err != nil {
				return err
			}
		}
		now := b.now()
		if err := bump(tx, r.table, m.ID, m.Version, map[string]any{"deleted_at": nil}, now); err != nil {
			return err
		}
		if err := b.logChange(ctx, tx, coop.ActionRestore, r.typ, m.ID, m.Version+1,
			map[string]coop.FieldChange{"deleted_at": {Old: m.DeletedAt, New: nil}}, now); err != nil {
			return err
		}
		out, err = r.find(b, tx, m.ID, false)
		return err
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return out, nil
}

// transit is the sequence of a status transition (history.go: transition) of a
// resource with a status machine.
func transit[T hasMeta, D draft, W writeRows](ctx context.Context, b *base, r *resource[T, D, W], ref string, t coop.Transition, ifVersion int) (T, error) {
	var out T
	err := b.tx(ctx, func(tx *gorm.DB) error {
		if err := lockResource(tx, r.table, ref, false, "NO KEY UPDATE"); err != nil {
			return err
		}
		v, err := r.find(b, tx, ref, false)
		if err != nil {
			return err
		}
		s := statusSubject{table: r.table, typ: r.typ, machine: *r.machine, meta: v.Metadata(),
			status: r.status(v), partners: r.scope(v)}
		now, err := b.transition(ctx, tx, s, t, ifVersion)
		if err != nil {
			return err
		}
		if r.moved != nil {
			out = r.moved(v, t.To, s.meta.Version+1, now)
			return nil
		}
		out, err = r.find(b, tx, s.meta.ID, false)
		return err
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return out, nil
}

// answer is the resource after a create or update of id in tx: built by written, or
// read back with find.
func (r *resource[T, D, W]) answer(b *base, tx *gorm.DB, w W, before *T, now time.Time, id string) (T, error) {
	if r.written != nil {
		return r.written(w, before, now), nil
	}
	return r.find(b, tx, id, false)
}

// newID returns a fresh resource id.
func newID() string { return uuid.NewString() }

// bump sets version = version+1 and the given columns on a live row, but only if its
// version is still want. Every write that bumps holds the row locked (lockResource;
// the register import excludes every other write) and read want under that lock, so
// on PostgreSQL the statement cannot miss: it waits for the write's next statement or
// its COMMIT (sqldb.ExecLater), and should it miss all the same, it fails the
// transaction (a division by zero) instead of committing a write without its bump.
func bump(tx *gorm.DB, table, id string, want int, cols map[string]any, now time.Time) error {
	cols["version"] = gorm.Expr("version + 1")
	cols["updated_at"] = now
	q := tx.Table(table).Where("id = ? AND version = ?", id, want)
	if tx.Dialector.Name() == "postgres" {
		st := q.Session(&gorm.Session{DryRun: true}).Updates(cols).Statement
		return sqldb.ExecLater(tx, "WITH bumped AS ("+st.SQL.String()+" RETURNING 1) SELECT 1 / count(*) FROM bumped",
			st.Vars...)
	}
	res := q.Updates(cols)
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

// initialStatus is the status a create starts in: the one asked for, or the machine's.
func initialStatus(asked string, m coop.Machine) string {
	if asked != "" {
		return asked
	}
	return m.Initial
}

// refuseIfUsed answers 409 with the blocking projects if live projects still refer to
// id in column (cooperation_id, solution_id).
func refuseIfUsed(tx *gorm.DB, column, id, label, slug string) error {
	var blocked []coop.Blocker
	err := tx.Table("projects").Select("'project' AS type, id, slug").
		Where(column+" = ? AND deleted_at IS NULL", id).Order("slug").Scan(&blocked).Error
	if err != nil {
		return err
	}
	if len(blocked) == 0 {
		return nil
	}
	return &coop.Error{Code: coop.EConflict,
		Message:   fmt.Sprintf("%s %q wird noch von %d Vorhaben verwendet / still referenced", label, slug, len(blocked)),
		BlockedBy: blocked}
}

// refuseDeletedPartners answers 409 naming the deleted ones among the partner ids, so
// that a restore never brings back a reference to a deleted partner; the live ones stay
// live until the restore commits (liveIDs).
func refuseDeletedPartners(tx *gorm.DB, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	live, err := liveIDs(tx, "partners", ids)
	if err != nil {
		return err
	}
	var gone []string
	for _, id := range ids {
		if !live[id] {
			gone = append(gone, id)
		}
	}
	if len(gone) == 0 {
		return nil
	}
	var slugs []string
	err = tx.Table("partners").Where("id IN ?", gone).Distinct().Order("slug").Pluck("slug", &slugs).Error
	if err != nil {
		return err
	}
	return coop.Errorf(coop.EConflict, "Gelöschte Partner werden noch genannt: %s; erst wiederherstellen / deleted partners referenced: restore them first",
		strings.Join(slugs, ", "))
}

// refuseDeleted answers 409 if the row id of table is deleted (label names it); a live
// one stays live until the write commits (liveIDs).
func refuseDeleted(tx *gorm.DB, table, id, label, slug string) error {
	live, err := liveIDs(tx, table, []string{id})
	if err != nil {
		return err
	}
	if !live[id] {
		return coop.Errorf(coop.EConflict, "%s %q ist gelöscht; erst wiederherstellen / %q is deleted: restore it first",
			label, slug, slug)
	}
	return nil
}
