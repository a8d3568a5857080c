package store

import (
	"context"
	"encoding/json"
	"reflect"
	"time"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/sqldb"
)

// The change log: every write records, in its transaction, which fields of the
// resource changed from what to what (in their API form), by whom and in which
// request, so that a portal can replay the feed into the current state.

// logChange writes one change-log record in the write's transaction.
func (b *base) logChange(ctx context.Context, tx *gorm.DB, action, typ, id string, version int, changes map[string]coop.FieldChange, at time.Time) error {
	return b.logChangeWith(ctx, tx, nil, action, typ, id, version, changes, at)
}

// logChangeWith writes one change-log record and, if entry is not nil, the status
// timeline entry of the same write: on PostgreSQL in one statement (a data-modifying
// WITH: one round trip), on SQLite (in process) in two.
func (b *base) logChangeWith(ctx context.Context, tx *gorm.DB, entry *statusChangeRow, action, typ, id string, version int, changes map[string]coop.FieldChange, at time.Time) error {
	row, err := changeRowOf(ctx, action, typ, id, version, changes, at)
	if err != nil {
		return err
	}
	if tx.Dialector.Name() != "postgres" {
		if entry != nil {
			if err := tx.Create(entry).Error; err != nil {
				return err
			}
		}
		return tx.Create(&row).Error
	}
	// PostgreSQL: one statement, sent with the commit (sqldb.ExecLater): nothing of
	// the write reads it back.
	args := []any{row.At, row.ActorType, row.ActorID, row.ActorName, row.RequestID, row.ImportID, row.Action,
		row.ResourceType, row.ResourceID, row.Version, row.Changes}
	if entry == nil {
		return sqldb.ExecLater(tx, pgInsertChange, args...)
	}
	e := entry
	return sqldb.ExecLater(tx, `WITH entry AS (INSERT INTO status_changes (resource_type, resource_id, from_status,
 to_status, effective_on, effective_on_key, recorded_at, actor_type, actor_id, actor_name, reason)
 VALUES ($12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)) `+pgInsertChange,
		append(args, e.ResourceType, e.ResourceID, e.FromStatus, e.ToStatus, e.EffectiveOn, e.EffectiveOnKey,
			e.RecordedAt, e.ActorType, e.ActorID, e.ActorName, e.Reason)...)
}

// pgInsertChange writes a change-log record ($1–$11, in changeRow's order).
const pgInsertChange = `INSERT INTO changes (at, actor_type, actor_id, actor_name, request_id, import_id, action,
 resource_type, resource_id, version, changes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`

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
		RequestID: coop.RequestIDFrom(ctx), ImportID: coop.ImportIDFrom(ctx), Action: action, ResourceType: typ,
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
