package store_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/benchdata"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// BenchmarkCatalog builds the open-data catalogue of a generated directory (package
// benchdata: partners with official keys all over Germany, cooperations, projects with
// participants and dates) through the real router: every iteration writes one change
// (so the catalogue is built anew, not served from its cache), then GET /api/v1/catalog
// in Turtle and in JSON-LD. It reports the time of the first request after the write
// (aggregate queries, graph, both serialisations), the peak Go heap in use meanwhile
// (sampled every 5 ms), the peak RSS of the process, and the size of the documents.
// N = 10,000 projects; with IKZ_BENCH_SCALE=large also 100,000. Partners and
// cooperations grow with N (N/25 and N/10).
//
//	go test ./internal/store -run '^$' -bench BenchmarkCatalog -benchtime 5x
//	IKZ_BENCH_SCALE=large go test ./internal/store -run '^$' -bench BenchmarkCatalog -benchtime 5x -timeout 2h
func BenchmarkCatalog(b *testing.B) {
	sizes := []int{10_000}
	if os.Getenv("IKZ_BENCH_SCALE") == "large" {
		sizes = append(sizes, 100_000)
	}
	for _, dialect := range storetest.Dialects {
		for _, n := range sizes {
			// loaded here, not in b.Run's function, which runs more than once
			var db *store.DB
			if dialect == "sqlite" {
				db = storetest.MustOpenSQLiteFile(b)
			} else {
				db = storetest.MustOpen(b, dialect)
			}
			ctx := coop.WithActor(context.Background(), coop.System)
			start := time.Now()
			size := benchdata.Size{Partners: n / 25, Cooperations: n / 10, Projects: n}
			if err := benchdata.Load(ctx, db, size, 1, nil); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: %d projects generated in %s", dialect, n, time.Since(start).Round(time.Second))
			if dialect == "postgres" {
				storetest.Gorm(db).Exec("VACUUM ANALYZE")
			}
			srv := httptest.NewServer(httpapi.New(db, httpapi.Options{PublicRead: true,
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}).Handler())
			writes := 0
			b.Run(fmt.Sprintf("%s/projects=%d", dialect, n), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					// a write: the next request builds the catalogue anew
					writes++
					if _, err := db.CreatePartner(ctx, coop.PartnerDraft{Slug: fmt.Sprintf("bench-%d", writes),
						Name: fmt.Sprintf("Bench %d", writes), Type: "company"}); err != nil {
						b.Fatal(err)
					}
					runtime.GC()
					resetPeakRSS()
					var base runtime.MemStats
					runtime.ReadMemStats(&base)
					stop, peak := sampleHeap()
					b.StartTimer()
					started := time.Now()
					ttl := benchGet(b, srv.URL+"/api/v1/catalog")
					built := time.Since(started)
					jsonld := benchGet(b, srv.URL+"/api/v1/catalog?format=jsonld")
					b.StopTimer()
					stop()
					b.ReportMetric(built.Seconds()*1000, "ms/build")
					b.ReportMetric(float64(ttl)/1e3, "kB-turtle")
					b.ReportMetric(float64(jsonld)/1e3, "kB-jsonld")
					b.ReportMetric(float64(*peak)/1e6, "MB-peak-heap")
					b.ReportMetric(float64(base.HeapInuse)/1e6, "MB-heap-before")
					if rss := peakRSS(); rss > 0 {
						b.ReportMetric(float64(rss)/1e6, "MB-peak-RSS")
					}
					b.StartTimer()
				}
			})
			srv.Close()
			_ = db.Close()
		}
	}
}

// benchGet reads a document and returns its size.
func benchGet(b *testing.B, url string) int64 {
	res, err := http.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	n, err := io.Copy(io.Discard, res.Body)
	if err != nil || res.StatusCode != 200 {
		b.Fatalf("GET %s: %d, %v", url, res.StatusCode, err)
	}
	return n
}
