package store_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/benchdata"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/search"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// benchTerms is the query mix of BenchmarkSearch: frequent words, compounds, a typo.
var benchTerms = []string{"Archivierung", "Rechenzentrum", "Hotline", "Netz", "Software", "citek",
	"Sicherheit", "Münster", "Kooperation", "Behördennetz"}

// harnessTerms are the shared benchmark harness's search terms (scripts/bench/wrk/search.lua),
// which it sends as /api/v1/search?q=…&types=project&limit=20.
var harnessTerms = []string{"Königsmarienhofen", "Rosenfeld", "Hohenlindau", "Friedhof", "Rechenzentrum", "Cloud",
	"elektronische Akte", "Bürgerkonto", "Kita", "Datenschutz"}

// benchScale reads IKZ_BENCH_SCALE: the number of projects (partners are a tenth);
// "full" is 100000. Default 2000, so that a plain -bench run stays quick.
func benchScale(b *testing.B) (projects, partners int) {
	projects = 2000
	switch s := os.Getenv("IKZ_BENCH_SCALE"); s {
	case "":
	case "full":
		projects = 100_000
	default:
		n, err := strconv.Atoi(s)
		if err != nil || n < 10 {
			b.Fatalf("IKZ_BENCH_SCALE=%q: want a number of projects ≥ 10 or \"full\"", s)
		}
		projects = n
	}
	return projects, projects / 10
}

// BenchmarkSearch measures search latency on a generated directory, on PostgreSQL
// and on a SQLite file:
//
//	go test -bench Search -run '^$' -benchtime 50x ./internal/store/
//	IKZ_BENCH_SCALE=full go test -bench Search -run '^$' -benchtime 50x -timeout 1h ./internal/store/
//	IKZ_BENCH_DATABASE_URL=postgres://…/ikz_medium go test -bench 'Search/postgres' -run '^$' ./internal/store/
//
// IKZ_BENCH_DATABASE_URL runs on a directory loaded before (cmd/ikz-benchdata -size
// medium: 50,000 projects) instead of generating one per run.
//
// Every iteration runs the query mix once; p50_ms and p99_ms are over single queries.
// "search" is GET /search (20 hits, total, facets) without the search cache,
// "search-projects" the same with the shared harness's terms and types=project,
// "search-cached" with the cache; "list" is GET /projects?q= (50 projects with participants,
// total).
func BenchmarkSearch(b *testing.B) {
	projects, partners := benchScale(b)
	loaded := os.Getenv("IKZ_BENCH_DATABASE_URL")
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			var db *store.DB
			switch {
			case loaded != "":
				// A directory loaded before (cmd/ikz-benchdata), migrated and used as it is.
				var err error
				if db, err = storetest.Open(b, loaded, store.Options{}); err != nil {
					b.Fatal(err)
				}
				if string(db.Dialect()) != dialect {
					b.Skipf("IKZ_BENCH_DATABASE_URL is a %s database", db.Dialect())
				}
				if err := db.Migrate(context.Background()); err != nil {
					b.Fatal(err)
				}
			case dialect == "sqlite":
				db = storetest.MustOpenSQLiteFile(b)
			default:
				db = storetest.MustOpen(b, dialect)
			}
			ctx := coop.WithActor(context.Background(), coop.System)
			if loaded == "" {
				start := time.Now()
				size := benchdata.Size{Partners: partners, Cooperations: max(partners/2, 1), Projects: projects}
				if err := benchdata.Load(ctx, db, size, 42, nil); err != nil {
					b.Fatal(err)
				}
				b.Logf("%s: %d projects, %d partners generated and indexed in %s", dialect, projects, partners,
					time.Since(start).Round(time.Millisecond))
			}
			if dialect == "postgres" {
				storetest.Gorm(db).Exec("VACUUM ANALYZE")
			}
			// "search" runs every query (no cache), "search-cached" answers repeated
			// queries from the search cache (a data-version read each).
			db.SetSearchCache(0)
			b.Run("search", func(b *testing.B) {
				benchQueries(b, func(q string) (int64, error) {
					res, err := db.Search(ctx, coop.SearchQuery{Q: q})
					return res.Total, err
				})
			})
			// "search-projects" is the harness's search: its terms, projects only, 20 hits.
			b.Run("search-projects", func(b *testing.B) {
				benchQueriesOf(b, harnessTerms, func(q string) (int64, error) {
					res, err := db.Search(ctx, coop.SearchQuery{Q: q, Types: []string{coop.TypeProject}, Limit: 20})
					return res.Total, err
				})
			})
			db.SetSearchCache(search.DefaultCacheEntries)
			b.Run("search-cached", func(b *testing.B) {
				benchQueries(b, func(q string) (int64, error) {
					res, err := db.Search(ctx, coop.SearchQuery{Q: q})
					return res.Total, err
				})
			})
			b.Run("list", func(b *testing.B) {
				benchQueries(b, func(q string) (int64, error) {
					res, err := db.FindProjects(ctx, coop.ProjectFilter{Q: q})
					return res.Total, err
				})
			})
		})
	}
}

// benchQueries runs the mix per iteration and reports latency percentiles and the mean
// number of matches.
func benchQueries(b *testing.B, run func(q string) (int64, error)) {
	benchQueriesOf(b, benchTerms, run)
}

// benchQueriesOf is benchQueries over terms.
func benchQueriesOf(b *testing.B, terms []string, run func(q string) (int64, error)) {
	for _, q := range terms { // warm up caches and plans
		if _, err := run(q); err != nil {
			b.Fatal(err)
		}
	}
	var lat []time.Duration
	var matches int64
	for b.Loop() {
		for _, q := range terms {
			t0 := time.Now()
			n, err := run(q)
			lat = append(lat, time.Since(t0))
			if err != nil {
				b.Fatal(err)
			}
			matches += n
		}
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50_ms")
	b.ReportMetric(pct(0.99), "p99_ms")
	b.ReportMetric(float64(matches)/float64(len(lat)), "matches/query")
}
