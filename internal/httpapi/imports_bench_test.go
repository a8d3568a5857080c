package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/export"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/imports"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// BenchmarkImport measures the bulk import of new projects from CSV and from XLSX
// (files written by the export's writers, in its layout) on a freshly seeded
// database, against the anchor of the bulk loader of the benchmark data
// (store.BulkLoader, the same projects in batches of 1,000): rows/s, the file's size
// and the memory while it runs (watchHeap, sampled every 10 ms), for 10,000 rows (and
// 100,000 with IKZ_BENCH_SCALE=large). One iteration is one import of the whole file:
//
//	go test ./internal/httpapi -run '^$' -bench BenchmarkImport -benchtime 1x -timeout 1h
//	IKZ_BENCH_SCALE=large go test ./internal/httpapi -run '^$' -bench BenchmarkImport -benchtime 1x -timeout 3h
func BenchmarkImport(b *testing.B) {
	sizes := []int{10_000}
	if os.Getenv("IKZ_BENCH_SCALE") == "large" {
		sizes = append(sizes, 100_000)
	}
	for _, dialect := range storetest.Dialects {
		for _, n := range sizes {
			csvFile, xlsxFile := benchImportFiles(b, n)
			b.Run(fmt.Sprintf("%s/%d/csv", dialect, n), func(b *testing.B) {
				benchImport(b, dialect, n, imports.CSV, csvFile)
			})
			b.Run(fmt.Sprintf("%s/%d/xlsx", dialect, n), func(b *testing.B) {
				benchImport(b, dialect, n, imports.XLSX, xlsxFile)
			})
			b.Run(fmt.Sprintf("%s/%d/bulkloader", dialect, n), func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					db := benchSeeded(b, dialect)
					b.StartTimer()
					peak := watchHeap()
					start := time.Now()
					l := db.NewBulkLoader()
					ctx := coop.WithActor(context.Background(), coop.System)
					for i := 0; i < n; i += 1000 {
						recs := make([]store.BulkProject, 0, 1000)
						for j := i; j < min(n, i+1000); j++ {
							recs = append(recs, store.BulkProject{Draft: benchDraft(j), At: time.Now().UTC()})
						}
						if _, err := l.Projects(ctx, recs); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(n)/time.Since(start).Seconds(), "rows/s")
					peak(b)
				}
			})
		}
	}
}

func benchImport(b *testing.B, dialect string, n int, f imports.Format, file []byte) {
	for b.Loop() {
		b.StopTimer()
		db := benchSeeded(b, dialect)
		api := httpapi.New(db, httpapi.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		b.StartTimer()
		peak := watchHeap()
		start := time.Now()
		rep := &httpapi.ImportReport{ID: "bench"}
		err := api.RunImport(coop.WithActor(context.Background(), coop.System),
			httpapi.ImportRequest{Resource: "projects", Format: f, Limits: imports.DefaultLimits}, file, rep, nil)
		if err != nil || rep.Created != n {
			b.Fatalf("import: %v %+v", err, rep.Errors)
		}
		b.ReportMetric(float64(n)/time.Since(start).Seconds(), "rows/s")
		b.ReportMetric(float64(len(file))/(1<<20), "file-MB")
		peak(b)
	}
}

// benchSeeded is a fresh seeded database.
func benchSeeded(b *testing.B, dialect string) *store.DB {
	db := storetest.MustOpen(b, dialect)
	if _, err := db.Seed(coop.WithActor(context.Background(), coop.System)); err != nil {
		b.Fatal(err)
	}
	return db
}

// benchDraft is the i-th new project: in the seed's cooperation, with two of its
// partners.
func benchDraft(i int) coop.ProjectDraft {
	return coop.ProjectDraft{Slug: fmt.Sprintf("import-%06d", i), Title: fmt.Sprintf("Importiertes Vorhaben %d", i),
		Category: "software", Cooperation: "it-kooperation-muenster-lwl", StartedOn: "2019-03",
		Participants: []coop.ParticipantDraft{{Partner: "citeq", Role: "provider"}, {Partner: "lwl-it", Role: "consumer"}}}
}

// benchImportFiles writes n new projects in the export's layout as CSV and XLSX.
func benchImportFiles(b *testing.B, n int) (csvFile, xlsxFile []byte) {
	cols := []export.Column{{Header: "Slug"}, {Header: "Titel"}, {Header: "Status"}, {Header: "Kategorie"},
		{Header: "Kooperation"}, {Header: "Beteiligte"}, {Header: "Beginn"}}
	var cb, xb bytes.Buffer
	c, err := export.NewCSV(&cb, cols, ';')
	if err != nil {
		b.Fatal(err)
	}
	x, err := export.NewXLSX(&xb, "Vorhaben", cols)
	if err != nil {
		b.Fatal(err)
	}
	started := coop.MustPartialDate("2019-03")
	for i := range n {
		d := benchDraft(i)
		row := []export.Cell{export.Text(d.Slug), export.Text(d.Title), export.Text("Geplant"),
			export.Text("Fachverfahren/Software"), export.Text("IT-Kooperation Stadt Münster – LWL"),
			export.Text("citeq (Leistungserbringer); LWL.IT Service Abteilung (Leistungsnehmer)"), export.Date(started)}
		if err := c.WriteRow(row); err != nil {
			b.Fatal(err)
		}
		if err := x.WriteRow(row); err != nil {
			b.Fatal(err)
		}
	}
	if err := c.Close(); err != nil {
		b.Fatal(err)
	}
	if err := x.Close(); err != nil {
		b.Fatal(err)
	}
	return cb.Bytes(), xb.Bytes()
}

// watchHeap samples the heap until the returned function is called, which reports
// two peaks as metrics: peak-heap-MB, the heap in use (live data and garbage not yet
// collected: what the process holds), and import-live-MB, the live heap at the
// collections during the run above the live heap before it — what the import itself
// keeps, without the file the caller holds and without the garbage the collector's
// headroom lets grow with that file (GOGC).
func watchHeap() func(b *testing.B) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	var peakInuse, peakLive atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		for {
			runtime.ReadMemStats(&ms)
			peakInuse.Store(max(peakInuse.Load(), ms.HeapInuse))
			metrics.Read(s)
			peakLive.Store(max(peakLive.Load(), s[0].Value.Uint64()))
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func(b *testing.B) {
		close(stop)
		wg.Wait()
		b.ReportMetric(float64(peakInuse.Load())/(1<<20), "peak-heap-MB")
		b.ReportMetric(float64(max(peakLive.Load(), base)-base)/(1<<20), "import-live-MB")
	}
}
