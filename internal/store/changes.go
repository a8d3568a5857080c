package store

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// Page sizes of the change feed.
const (
	DefaultChangeLimit = 100
	MaxChangeLimit     = 1000
)

// FindChanges returns the change-log entries after f.After, oldest first (by id; with
// f.Desc newest first, before f.After when given), at most f.Limit of them (default
// DefaultChangeLimit, capped at MaxChangeLimit), optionally of one resource type and
// one resource (by id, or by the slug of a live resource).
func (s *ChangeService) FindChanges(ctx context.Context, f coop.ChangeFilter) ([]coop.Change, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultChangeLimit
	}
	limit = min(limit, MaxChangeLimit)
	var rows []changeRow
	// On the primary: a caller reading the feed after its own write must find it.
	err := s.session(coop.WithFreshReads(ctx), func(q *gorm.DB) error {
		q = q.Model(&changeRow{})
		order := "id"
		switch {
		case f.Desc && f.After > 0:
			q, order = q.Where("id < ?", f.After), "id DESC"
		case f.Desc:
			order = "id DESC"
		default:
			q = q.Where("id > ?", f.After)
		}
		if f.ResourceType != "" {
			q = q.Where("resource_type = ?", f.ResourceType)
		}
		switch {
		case f.ResourceID == "":
		case isUUID(f.ResourceID):
			q = q.Where("resource_id = ?", f.ResourceID)
		default:
			// a slug: the live resources that have it now, of the kinds asked for (by
			// the unique slug indexes; a deleted resource's changes are found by its id)
			var parts []string
			var args []any
			for _, t := range []string{coop.TypePartner, coop.TypeCooperation, coop.TypeProject, coop.TypeSolution} {
				if f.ResourceType == "" || f.ResourceType == t {
					parts = append(parts, "SELECT id FROM "+t+"s WHERE slug = ? AND deleted_at IS NULL")
					args = append(args, f.ResourceID)
				}
			}
			q = q.Where("resource_id IN ("+strings.Join(parts, " UNION ALL ")+")", args...)
		}
		return q.Order(order).Limit(limit).Find(&rows).Error
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

// LatestChangeID is the id of the newest change-log entry (0 when there is none), read
// on the primary like the feed.
func (s *ChangeService) LatestChangeID(ctx context.Context) (int64, error) {
	var id *int64
	err := s.session(coop.WithFreshReads(ctx), func(q *gorm.DB) error {
		return q.Model(&changeRow{}).Select("MAX(id)").Scan(&id).Error
	})
	if err != nil || id == nil {
		return 0, err
	}
	return *id, nil
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
func (s *ChangeService) PruneChanges(ctx context.Context, olderThan time.Time) (int64, error) {
	var n int64
	err := s.core.Tx(ctx, func(tx *gorm.DB) error {
		res := tx.Where("at < ?", olderThan.UTC()).Delete(&changeRow{})
		n = res.RowsAffected
		return res.Error
	})
	return n, err
}
