package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// changeJSON is a change-log value of the size an update of a project writes.
var changeJSON = `{"description":{"old":"` + strings.Repeat("Alte Beschreibung ", 25) +
	`","new":"` + strings.Repeat("Neue Beschreibung ", 25) + `"},"tags":{"old":["ikz"],"new":["ikz","rz"]}}`

const insertChange = `INSERT INTO changes (at, actor_type, actor_id, actor_name, request_id, action,
 resource_type, resource_id, version, changes) VALUES (?, 'token', 'bench', 'bench', 'req', 'update',
 'project', '00000000-0000-4000-8000-000000000001', 2, ?)`

// BenchmarkChangeLog measures what the change log adds to a write: a transaction that
// writes one change row against an empty transaction (the rest of a write is the same
// with and without it).
//
//	go test ./internal/store -run '^$' -bench BenchmarkChangeLog
func BenchmarkChangeLog(b *testing.B) {
	for _, d := range storetest.Dialects {
		db := storetest.MustOpen(b, d)
		g := storetest.Gorm(db)
		b.Run(d+"/empty-tx", func(b *testing.B) {
			for b.Loop() {
				err := g.Transaction(func(tx *gorm.DB) error { return tx.Exec("SELECT 1").Error })
				if err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(d+"/tx-with-change-row", func(b *testing.B) {
			for b.Loop() {
				err := g.Transaction(func(tx *gorm.DB) error {
					return tx.Exec(insertChange, time.Now().UTC(), changeJSON).Error
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkChangeFeedRead reads a feed of 100,000 entries from the start, as a portal's
// first sync does, in pages of 1,000, and reports entries per second.
//
//	go test ./internal/store -run '^$' -bench BenchmarkChangeFeedRead -benchtime 3x
func BenchmarkChangeFeedRead(b *testing.B) {
	const entries = 100_000
	for _, d := range storetest.Dialects {
		db := storetest.MustOpen(b, d)
		fillChanges(b, db, entries)
		b.Run(d, func(b *testing.B) {
			ctx := context.Background()
			for b.Loop() {
				var after int64
				n := 0
				for {
					page, err := db.FindChanges(ctx, coop.ChangeFilter{After: after, Limit: 1000})
					if err != nil {
						b.Fatal(err)
					}
					if len(page) == 0 {
						break
					}
					n += len(page)
					after = page[len(page)-1].ID
				}
				if n != entries {
					b.Fatalf("read %d entries, want %d", n, entries)
				}
			}
			b.ReportMetric(float64(entries*b.N)/b.Elapsed().Seconds(), "entries/s")
		})
	}
}

// fillChanges writes n change rows in batches.
func fillChanges(b *testing.B, db *store.DB, n int) {
	b.Helper()
	g := storetest.Gorm(db)
	const batch = 500
	now := time.Now().UTC()
	for i := 0; i < n; i += batch {
		var sb strings.Builder
		args := make([]any, 0, 2*batch)
		for j := 0; j < batch && i+j < n; j++ {
			if j > 0 {
				sb.WriteString(",")
			}
			sb.WriteString("(?, 'token', 'bench', 'bench', 'req', 'update', 'project', '00000000-0000-4000-8000-000000000001', 2, ?)")
			args = append(args, now, changeJSON)
		}
		sql := fmt.Sprintf(`INSERT INTO changes (at, actor_type, actor_id, actor_name, request_id, action,
 resource_type, resource_id, version, changes) VALUES %s`, sb.String())
		if err := g.Exec(sql, args...).Error; err != nil {
			b.Fatal(err)
		}
	}
}
