package store_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/benchdata"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/benchdata/benchtest"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// BenchmarkConcurrentWrites measures writes under concurrent writers on a generated
// directory (benchdata's small preset), on PostgreSQL and on a SQLite file: project
// creates (three participants, tags, finance), patches (title and budget of the
// writer's own project) and status transitions (in_progress ⇄ suspended), each with
// 1, 4 and 16 writers. Besides ns/op (wall time per write, all writers together) it
// reports writes/s, each write's p50 and p99 latency in ms and the statements a write
// sends (queries/op; BEGIN and COMMIT not counted, a patch's read of the project it
// patches included).
//
//	go test ./internal/store -run '^$' -bench BenchmarkConcurrentWrites -benchtime 2s
func BenchmarkConcurrentWrites(b *testing.B) {
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			db := benchtest.MustDB(b, dialect, benchdata.Sizes["small"])
			benchPartners = nil
			storetest.Gorm(db).Raw("SELECT slug FROM partners ORDER BY slug LIMIT 3").Scan(&benchPartners)
			ctx := coop.WithActor(context.Background(), coop.System)
			run := 0
			for _, op := range []string{"create", "patch", "transition"} {
				for _, writers := range []int{1, 4, 16} {
					b.Run(fmt.Sprintf("%s/writers=%d", op, writers), func(b *testing.B) {
						run++
						write := concurrentWrite(b, ctx, db, op, writers, run)
						queries := storetest.Statements(db)
						concurrently(b, writers, write)
						b.ReportMetric(float64(queries.N())/float64(b.N), "queries/op")
					})
				}
			}
		})
	}
}

// concurrentWrite returns the write of op by writer w (its n-th).
func concurrentWrite(b *testing.B, ctx context.Context, db *store.DB, op string, writers, run int) func(w, n int) error {
	prefix := fmt.Sprintf("cw-%d-%d", run, time.Now().UnixNano())
	switch op {
	case "create":
		return func(w, n int) error {
			_, err := db.CreateProject(ctx, benchDraft(fmt.Sprintf("%s-%d-%d", prefix, w, n)))
			return err
		}
	case "patch", "transition":
		// every writer its own project: the writes conflict on nothing but what the
		// store shares between resources
		ids := make([]string, writers)
		for w := range ids {
			d := benchDraft(fmt.Sprintf("%s-%d", prefix, w))
			d.Status = "in_progress"
			p, err := db.CreateProject(ctx, d)
			if err != nil {
				b.Fatal(err)
			}
			ids[w] = p.ID
		}
		if op == "transition" {
			return func(w, n int) error {
				to := "suspended"
				if n%2 == 1 {
					to = "in_progress"
				}
				_, err := db.TransitionProject(ctx, ids[w], coop.Transition{To: to}, 0)
				return err
			}
		}
		return func(w, n int) error {
			d := benchDraft("")
			p, err := db.FindProject(ctx, ids[w])
			if err != nil {
				return err
			}
			d.Slug = p.Slug
			d.Title = fmt.Sprintf("Gemeinsame E-Akte, Stufe %d", n)
			budget := fmt.Sprintf("%d.00", 1000+n)
			d.Finance.BudgetPlanned = &budget
			_, err = db.UpdateProject(ctx, ids[w], d, 0)
			return err
		}
	}
	b.Fatalf("unknown op %s", op)
	return nil
}

// concurrently runs b.N writes by writers goroutines and reports writes/s and the
// writes' p50 and p99 latency.
func concurrently(b *testing.B, writers int, write func(w, n int) error) {
	var next atomic.Int64
	lat := make([][]time.Duration, writers)
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	b.ResetTimer()
	start := time.Now()
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; next.Add(1) <= int64(b.N); n++ {
				t := time.Now()
				if err := write(w, n); err != nil {
					errs <- err
					return
				}
				lat[w] = append(lat[w], time.Since(t))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	q := func(p float64) float64 {
		return float64(all[min(len(all)-1, int(p*float64(len(all))))].Microseconds()) / 1000
	}
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "writes/s")
	b.ReportMetric(q(0.5), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
}
