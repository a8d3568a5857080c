package httpapi_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// BenchmarkRegionSearch: GET /api/v1/regions through the real router with every
// middleware, in process, under 64 concurrent clients (IKZ_BENCH_CLIENTS), on both
// databases; reports ns/op (server time per request at that concurrency), p50-ms and p99-ms.
// The anchor is GET /api/v1/partners?limit=50 on the seeded directory in the same run
// (a list read from the database):
//
//	go test ./internal/httpapi -run '^$' -bench BenchmarkRegionSearch -benchtime 2000x
//
// name is a name search with German folding over the 16,000 regions (Muenster,
// Munster, Koeln, Frankfurt, Sankt, Neustadt, in turn), prefix an ARS prefix search,
// filtered a filtered list (districts of a state sorted by population), get one region
// with its parents.
func BenchmarkRegionSearch(b *testing.B) {
	clients := 64
	if n, err := strconv.Atoi(os.Getenv("IKZ_BENCH_CLIENTS")); err == nil && n > 0 {
		clients = n
	}
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			db := storetest.MustOpen(b, dialect)
			if _, err := db.Seed(coop.WithActor(context.Background(), coop.System)); err != nil {
				b.Fatal(err)
			}
			h := httpapi.New(db, httpapi.Options{PublicRead: true, Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))}).Handler()
			run := func(name string, paths []string) {
				b.Run(name, func(b *testing.B) {
					var mu sync.Mutex
					var lat []time.Duration
					b.SetParallelism(max(1, clients/runtime.GOMAXPROCS(0)))
					b.ResetTimer()
					b.RunParallel(func(pb *testing.PB) {
						var mine []time.Duration
						i := 0
						for pb.Next() {
							start := time.Now()
							w := httptest.NewRecorder()
							h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, paths[i%len(paths)], nil))
							if w.Code != http.StatusOK {
								b.Errorf("%s: %d %s", paths[i%len(paths)], w.Code, w.Body)
								return
							}
							mine = append(mine, time.Since(start))
							i++
						}
						mu.Lock()
						lat = append(lat, mine...)
						mu.Unlock()
					})
					b.StopTimer()
					slices.Sort(lat)
					if len(lat) > 0 {
						b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
						b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
					}
				})
			}
			var names []string
			for _, q := range []string{"Muenster", "Munster", "Koeln", "Frankfurt", "Sankt", "Neustadt"} {
				names = append(names, "/api/v1/regions?q="+q)
			}
			run("name", names)
			run("prefix", []string{"/api/v1/regions?q=05515", "/api/v1/regions?ars=055&level=municipality"})
			run("filtered", []string{"/api/v1/regions?level=district&state=DE-NW&sort=-population"})
			run("get", []string{"/api/v1/regions/055150000000", "/api/v1/regions/05515"})
			run("anchor-partners", []string{"/api/v1/partners?limit=50"})
		})
	}
}
