package httpapi_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/benchdata"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/benchdata/benchtest"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// BenchmarkAPI measures the projects endpoints through the real router with every
// middleware on (request id, recover, access log as JSON, metrics, body limit, secure
// headers, gzip, timeout, auth), in process (no network), on a generated directory
// (package benchdata) on PostgreSQL and on a SQLite file. It reports ns/op, allocations
// and database round trips per request (queries/op):
//
//	go test ./internal/httpapi -run '^$' -bench BenchmarkAPI -benchmem
//	go test ./internal/httpapi -run '^$' -bench 'BenchmarkAPI/postgres/list$' -cpuprofile /tmp/list.pprof
//	IKZ_BENCH_SCALE=large go test ./internal/httpapi -run '^$' -bench BenchmarkAPI -timeout 1h
//
// list is GET /api/v1/projects?status=…&limit=50 (anonymous, as portals call it), also
// with a reader token (list-token); get is GET /api/v1/projects/p-N; create is POST
// /api/v1/projects, patch a merge patch of one project and transition a status change of
// one project (in_progress ⇄ suspended), all as admin.
func BenchmarkAPI(b *testing.B) {
	size := benchdata.Sizes["small"]
	if os.Getenv("IKZ_BENCH_SCALE") == "large" {
		size = benchdata.Size{Partners: 10_000, Cooperations: 25_000, Projects: 100_000}
	}
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			db := benchtest.MustDB(b, dialect, size)
			ctx := coop.WithActor(context.Background(), coop.System)
			_, admin, err := db.CreateToken(ctx, coop.TokenDraft{Name: "bench-admin", Roles: []string{"admin"}})
			if err != nil {
				b.Fatal(err)
			}
			_, reader, err := db.CreateToken(ctx, coop.TokenDraft{Name: "bench-reader", Roles: []string{"reader"}})
			if err != nil {
				b.Fatal(err)
			}
			var partners []string
			storetest.Gorm(db).Raw("SELECT slug FROM partners ORDER BY slug LIMIT 3").Scan(&partners)
			var moving string
			storetest.Gorm(db).Raw("SELECT slug FROM projects WHERE status = 'in_progress' AND deleted_at IS NULL ORDER BY slug LIMIT 1").Scan(&moving)
			h := httpapi.New(db, httpapi.Options{PublicRead: true, CacheMaxAge: 30 * time.Second,
				Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))}).Handler()
			queries := benchtest.CountQueries(db)
			statuses := []string{"in_progress", "operational", "planned", "completed", "cancelled"}
			run := func(name string, req func(i int) *http.Request, want int) {
				b.Run(name, func(b *testing.B) {
					queries.Reset()
					n := 0
					for b.Loop() {
						w := httptest.NewRecorder()
						h.ServeHTTP(w, req(n))
						if w.Code != want {
							b.Fatalf("%d: %s", w.Code, w.Body)
						}
						n++
					}
					b.ReportMetric(float64(queries.N())/float64(n), "queries/op")
				})
			}
			list := func(i int) *http.Request {
				return httptest.NewRequest("GET", "/api/v1/projects?status="+statuses[i%len(statuses)]+"&limit=50", nil)
			}
			run("list", list, 200)
			run("list-token", func(i int) *http.Request {
				r := list(i)
				r.Header.Set("Authorization", "Bearer "+reader)
				return r
			}, 200)
			run("get", func(i int) *http.Request {
				return httptest.NewRequest("GET", fmt.Sprintf("/api/v1/projects/p-%d", 1+(i*7919)%size.Projects), nil)
			}, 200)
			stamp := time.Now().UnixNano()
			body := func(slug string) string {
				return `{"slug":"` + slug + `","title":"Gemeinsame E-Akte","cooperation":"k-1","category":"software",` +
					`"description":"Die beteiligten Kommunen führen die E-Akte gemeinsam ein.","started_on":"2024-03",` +
					`"participants":[{"partner":"` + partners[0] + `","role":"lead"},{"partner":"` + partners[1] +
					`","role":"consumer"},{"partner":"` + partners[2] + `","role":"provider"}],"tags":["e-akte","ozg"],` +
					`"finance":{"budget_planned":"250000.00"}}`
			}
			write := func(method, path, body string) *http.Request {
				r := httptest.NewRequest(method, path, strings.NewReader(body))
				r.Header.Set("Authorization", "Bearer "+admin)
				r.Header.Set("Content-Type", "application/json")
				return r
			}
			run("create", func(i int) *http.Request {
				return write("POST", "/api/v1/projects", body(fmt.Sprintf("bench-%d-%d", stamp, i)))
			}, 201)
			run("patch", func(i int) *http.Request {
				return write("PATCH", "/api/v1/projects/p-1", fmt.Sprintf(`{"title":"Gemeinsame E-Akte, Stufe %d"}`, i))
			}, 200)
			// one project moved in_progress ⇄ suspended, as the harness's transition load does
			to := "suspended"
			run("transition", func(i int) *http.Request {
				r := write("POST", "/api/v1/projects/"+moving+"/transitions", `{"to":"`+to+`"}`)
				if to == "suspended" {
					to = "in_progress"
				} else {
					to = "suspended"
				}
				return r
			}, 200)
		})
	}
}
