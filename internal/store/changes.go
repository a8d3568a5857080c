package store

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/sqldb"
)

// The feed's order is the position (pos) a change gets once it committed, not its
// id: writers commit in parallel, so ids commit out of order (migration 00021). On
// PostgreSQL the reader first gives the committed changes without one the next
// positions (changes_publish, in id order, under the publishers' lock); on SQLite, where
// writes commit one at a time, a change's position is its id. Every reader of the feed
// (a page, the newest position, a stream) reads through feedSession, so that it only
// ever serves positions that nothing can come in before.

// feedSession runs fn on the primary (a caller reading the feed after its own write
// must find it) once every committed change has its position.
func (s *ChangeService) feedSession(ctx context.Context, fn func(q *gorm.DB) error) error {
	return s.session(coop.WithFreshReads(ctx), func(q *gorm.DB) error {
		if s.core.Dialect() == sqldb.Postgres {
			if err := q.Exec("SELECT changes_publish()").Error; err != nil {
				return err
			}
		}
		return fn(q)
	})
}

// FindChanges returns the change-log entries after the position f.After, oldest first
// (by position; with f.Desc newest first, before f.After when given), at most f.Limit
// of them (default coop.ChangeDefaultLimit, capped at coop.ChangeMaxLimit), optionally of one
// resource type and one resource (by id, or by the slug of a live resource). A
// change's ID is its position.
func (s *ChangeService) FindChanges(ctx context.Context, f coop.ChangeFilter) ([]coop.Change, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = coop.ChangeDefaultLimit
	}
	limit = min(limit, coop.ChangeMaxLimit)
	var rows []changeRow
	err := s.feedSession(ctx, func(q *gorm.DB) error {
		q = q.Model(&changeRow{})
		order := "pos"
		switch {
		case f.Desc && f.After > 0:
			q, order = q.Where("pos < ?", f.After), "pos DESC"
		case f.Desc:
			q, order = q.Where("pos IS NOT NULL"), "pos DESC"
		default:
			q = q.Where("pos > ?", f.After)
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
			ID: deref64(r.Pos), At: r.At.UTC(), Actor: coop.Actor{Type: r.ActorType, ID: r.ActorID, Name: r.ActorName},
			RequestID: r.RequestID, ImportID: r.ImportID, Action: r.Action, ResourceType: r.ResourceType, ResourceID: r.ResourceID,
			Version: r.Version, Changes: decodeChanges(r.Changes),
		}
	}
	return out, nil
}

// LatestChangeID is the position of the newest change-log entry (0 when there is
// none), read like the feed.
func (s *ChangeService) LatestChangeID(ctx context.Context) (int64, error) {
	var id *int64
	err := s.feedSession(ctx, func(q *gorm.DB) error {
		return q.Model(&changeRow{}).Select("MAX(pos)").Scan(&id).Error
	})
	if err != nil || id == nil {
		return 0, err
	}
	return *id, nil
}

func deref64(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
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
