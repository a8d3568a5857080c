package store

import (
	"bytes"
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// Page sizes of the change feed.
const (
	DefaultChangeLimit = 100
	MaxChangeLimit     = 1000
)

// FindChanges returns the change-log entries after f.After, oldest first (by id), at
// most f.Limit of them (default DefaultChangeLimit, capped at MaxChangeLimit),
// optionally of one resource type and one resource id.
func (db *DB) FindChanges(ctx context.Context, f coop.ChangeFilter) ([]coop.Change, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultChangeLimit
	}
	limit = min(limit, MaxChangeLimit)
	if f.ResourceID != "" && !isUUID(f.ResourceID) {
		return nil, coop.Errorf(coop.EInvalid, "resource_id muss eine UUID sein / resource_id must be a UUID")
	}
	var rows []changeRow
	// On the primary: a caller reading the feed after its own write must find it.
	err := db.session(coop.WithFreshReads(ctx), func(q *gorm.DB) error {
		q = q.Model(&changeRow{}).Where("id > ?", f.After)
		if f.ResourceType != "" {
			q = q.Where("resource_type = ?", f.ResourceType)
		}
		if f.ResourceID != "" {
			q = q.Where("resource_id = ?", f.ResourceID)
		}
		return q.Order("id").Limit(limit).Find(&rows).Error
	})
	if err != nil {
		return nil, err
	}
	out := make([]coop.Change, len(rows))
	for i, r := range rows {
		out[i] = coop.Change{
			ID: r.ID, At: r.At.UTC(), Actor: coop.Actor{Type: r.ActorType, ID: r.ActorID, Name: r.ActorName},
			RequestID: r.RequestID, Action: r.Action, ResourceType: r.ResourceType, ResourceID: r.ResourceID,
			Version: r.Version, Changes: decodeChanges(r.Changes),
		}
	}
	return out, nil
}

// decodeChanges reads the JSON changes column; numbers stay json.Number so that they
// are handed on exactly as written.
func decodeChanges(s string) map[string]coop.FieldChange {
	out := map[string]coop.FieldChange{}
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	_ = dec.Decode(&out)
	return out
}

// PruneChanges deletes change-log entries recorded before olderThan (a retention
// setting) and returns how many went. Feed readers whose cursor lies in the pruned
// range simply continue with the oldest remaining entry.
func (db *DB) PruneChanges(ctx context.Context, olderThan time.Time) (int64, error) {
	var n int64
	err := db.core.Tx(ctx, func(tx *gorm.DB) error {
		res := tx.Where("at < ?", olderThan.UTC()).Delete(&changeRow{})
		n = res.RowsAffected
		return res.Error
	})
	return n, err
}
