package store_test

import (
	"context"
	"os"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/benchdata"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/benchdata/benchtest"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// BenchmarkStats measures project statistics on a generated directory (benchdata's
// small preset, 5,000 projects; IKZ_BENCH_SCALE=large: 100,000), on PostgreSQL and on
// a SQLite file: by status from the counters, the same by GROUP BY over the projects
// (what every other filter costs), and groupings that always scan.
//
//	go test ./internal/store -run '^$' -bench BenchmarkStats -count 5
func BenchmarkStats(b *testing.B) {
	size := benchdata.Sizes["small"]
	if os.Getenv("IKZ_BENCH_SCALE") == "large" {
		size = benchdata.Size{Partners: 10_000, Cooperations: 25_000, Projects: 100_000}
	}
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			db := benchtest.MustDB(b, dialect, size)
			ctx := coop.WithActor(context.Background(), coop.System)
			var partner string
			storetest.Gorm(db).Raw("SELECT slug FROM partners ORDER BY slug LIMIT 1").Scan(&partner)
			for _, c := range []struct {
				name    string
				q       coop.StatsQuery
				scanned bool
				atLeast int64 // projects counted
			}{
				{"status", coop.StatsQuery{GroupBy: "status"}, false, int64(size.Projects) / 2},
				{"status-scanned", coop.StatsQuery{GroupBy: "status"}, true, int64(size.Projects) / 2},
				{"year", coop.StatsQuery{GroupBy: "year"}, false, int64(size.Projects) / 2},
				{"status-started-from", coop.StatsQuery{GroupBy: "status", Filter: coop.ProjectFilter{StartedFrom: coop.MustPartialDate("2018")}}, false, 1},
				{"status-partner", coop.StatsQuery{GroupBy: "status", Filter: coop.ProjectFilter{Partners: []string{partner}}}, false, 1},
			} {
				b.Run(c.name, func(b *testing.B) {
					stats := db.ProjectStats
					if c.scanned {
						stats = db.ScannedProjectStats
					}
					for b.Loop() {
						if st, err := stats(ctx, c.q); err != nil || st.Total.Count < c.atLeast {
							b.Fatalf("%+v: %d, %v", c.q, st.Total.Count, err)
						}
					}
				})
			}
		})
	}
}
