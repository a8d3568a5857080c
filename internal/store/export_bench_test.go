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
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// BenchmarkExport downloads N projects (with two participants and money each) through
// the real router as CSV and as XLSX, reading the body into io.Discard, and reports the
// peak Go heap in use (sampled every 5 ms) and the peak RSS of the process during the
// export (VmHWM after resetting it). N = 10,000; with IKZ_BENCH_SCALE=large also 30,000
// and 100,000. CSV memory is flat from the start; XLSX memory grows until excelize's
// in-memory chunk (16 MiB of sheet XML, about 20,000 rows) spills to a temporary file,
// and is flat from there (30,000 ≈ 100,000).
//
//	go test ./internal/store -run '^$' -bench BenchmarkExport -benchtime 1x
//	IKZ_BENCH_SCALE=large go test ./internal/store -run '^$' -bench BenchmarkExport -benchtime 1x -timeout 30m
func BenchmarkExport(b *testing.B) {
	sizes := []int{10_000}
	if os.Getenv("IKZ_BENCH_SCALE") == "large" {
		sizes = append(sizes, 30_000, 100_000)
	}
	for _, dialect := range storetest.Dialects {
		for _, n := range sizes {
			b.Run(fmt.Sprintf("%s/n=%d", dialect, n), func(b *testing.B) {
				var db *store.DB
				if dialect == "sqlite" {
					db = storetest.MustOpenSQLiteFile(b)
				} else {
					db = storetest.MustOpen(b, dialect)
				}
				url, token := mustBenchServer(b, db, n)
				for _, format := range []string{"csv", "xlsx"} {
					b.Run(format, func(b *testing.B) {
						for i := 0; i < b.N; i++ {
							benchDownload(b, url+"/api/v1/exports/projects?format="+format, token)
						}
					})
				}
			})
		}
	}
}

// benchDownload runs one export and reports its figures.
func benchDownload(b *testing.B, url, token string) {
	runtime.GC()
	resetPeakRSS()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	stop, peak := sampleHeap()
	start := time.Now()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	size, err := io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if err != nil || res.StatusCode != 200 {
		b.Fatalf("export: %d, %v", res.StatusCode, err)
	}
	elapsed := time.Since(start)
	stop()
	b.ReportMetric(elapsed.Seconds(), "s/export")
	b.ReportMetric(float64(size)/1e6, "MB-file")
	b.ReportMetric(float64(*peak)/1e6, "MB-peak-heap")
	b.ReportMetric(float64(base.HeapInuse)/1e6, "MB-heap-before")
	if rss := peakRSS(); rss > 0 {
		b.ReportMetric(float64(rss)/1e6, "MB-peak-RSS")
	}
}

// sampleHeap records the largest HeapInuse until stop is called.
func sampleHeap() (stop func(), peak *uint64) {
	peak = new(uint64)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&m)
			*peak = max(*peak, m.HeapInuse)
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); wg.Wait() }, peak
}

// resetPeakRSS resets the kernel's high-water mark of this process (Linux).
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS is VmHWM of this process in bytes (0 where unknown).
func peakRSS() int64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(l); len(f) == 3 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// mustBenchServer fills the seeded db with n projects in bulk and serves the real
// router on it; it returns the URL and a controlling token, so that the money columns
// are part of the export.
func mustBenchServer(b *testing.B, db *store.DB, n int) (string, string) {
	b.Helper()
	ctx := coop.WithActor(context.Background(), coop.System)
	if _, err := db.Seed(ctx); err != nil {
		b.Fatal(err)
	}
	mustBulkProjects(b, db, n)
	_, token, err := db.CreateToken(ctx, coop.TokenDraft{Name: "bench", Roles: []string{"controlling"}})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(httpapi.New(db, httpapi.Options{PublicRead: true,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}).Handler())
	b.Cleanup(srv.Close)
	return srv.URL, token
}

// mustBulkProjects adds n projects (slugs vorhaben-000000 …, two participants, money,
// statuses and start dates that repeat) to the seeded db through the store's
// BulkLoader, which writes in batches what the create path writes.
func mustBulkProjects(tb testing.TB, db *store.DB, n int) {
	tb.Helper()
	ctx := coop.WithActor(context.Background(), coop.System)
	partners := []string{"citeq", "lwl", "lwl-it", "stadt-koeln", "stadt-muenster", "stadtarchiv-muenster"}
	statuses := []string{"planned", "in_progress", "operational", "completed"}
	money := func(c int64) *string { s := coop.Cents(c).String(); return &s }
	at := time.Now().UTC().Truncate(time.Second)
	l := db.NewBulkLoader()
	for lo := 0; lo < n; lo += 1000 {
		var recs []store.BulkProject
		for i := lo; i < min(lo+1000, n); i++ {
			started := fmt.Sprintf("%04d-%02d", 2010+i%15, 1+i%12)
			recs = append(recs, store.BulkProject{At: at, Draft: coop.ProjectDraft{
				Slug: fmt.Sprintf("vorhaben-%06d", i), Title: fmt.Sprintf("Vorhaben Nr. %06d; \"Rechenzentrum\" gemeinsam nutzen", i),
				Cooperation: "it-kooperation-muenster-lwl", Category: "data_center", StartedOn: started,
				Status: statuses[i%len(statuses)], StatusEffectiveOn: started,
				Participants: []coop.ParticipantDraft{{Partner: partners[i%len(partners)], Role: "provider"},
					{Partner: partners[(i+1)%len(partners)], Role: "consumer"}},
				Finance: &coop.FinanceDraft{BudgetPlanned: money(int64(i)*1234 + 10), CostActual: money(int64(i)*999 + 1),
					SavingsEstimated: money(int64(i%7) * 5000)},
			}})
		}
		if _, err := l.Projects(ctx, recs); err != nil {
			tb.Fatal(err)
		}
	}
}
