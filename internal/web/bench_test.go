package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/benchdata"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/benchdata/benchtest"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/web"
)

// BenchmarkPages compares each page with the JSON API answering the same query, in the
// same run (answers other than 200, e.g. 503 after the request timeout, are counted as
// "failed"), through the real router with every middleware, in process, under 64
// concurrent clients, on a generated directory of 20,000 projects (package benchdata)
// on PostgreSQL and on a SQLite file. Each pair reports ns/op (server-side time per
// request at that concurrency) and p99-ms; the page's budget is 1.5 × its JSON
// counterpart:
//
//	go test ./internal/web -run '^$' -bench BenchmarkPages -benchtime 2000x
//	IKZ_BENCH_CLIENTS=2 go test ./internal/web -run '^$' -bench 'BenchmarkPages/postgres' -benchtime 500x
//
// list-html is GET /verzeichnis/vorhaben?status=…&partner=… (25 projects and the
// filter form) and list-json GET /api/v1/projects with the same filters and
// limit=25; dashboard-html is GET /controlling as controlling, dashboard-json the six
// statistics calls it draws from (four groupings, lead times, timeline).
func BenchmarkPages(b *testing.B) {
	size := benchdata.Size{Partners: 800, Cooperations: 2_000, Projects: 20_000}
	if os.Getenv("IKZ_BENCH_PROJECTS") == "small" {
		size = benchdata.Size{Partners: 200, Cooperations: 500, Projects: 2_000}
	}
	clients := 64
	if n, err := strconv.Atoi(os.Getenv("IKZ_BENCH_CLIENTS")); err == nil && n > 0 {
		clients = n
	}
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			db := benchtest.MustDB(b, dialect, size)
			ctx := coop.WithActor(context.Background(), coop.System)
			_, ctl, err := db.CreateToken(ctx, coop.TokenDraft{Name: "bench-controlling", Roles: []string{"controlling"}})
			if err != nil {
				b.Fatal(err)
			}
			log := slog.New(slog.NewJSONHandler(io.Discard, nil))
			site, err := web.New(db, web.Options{PublicRead: true, SessionKey: []byte(strings.Repeat("b", 32)), Logger: log})
			if err != nil {
				b.Fatal(err)
			}
			h := httpapi.New(db, httpapi.Options{PublicRead: true, Logger: log, Web: site}).Handler()
			cookie := benchSignIn(b, h, ctl)
			var partner string
			storetest.Gorm(db).Raw("SELECT slug FROM partners ORDER BY slug LIMIT 1").Scan(&partner)
			filter := "status=operational,in_progress&partner=" + partner

			get := func(path string, html bool, auth string) *http.Request {
				r := httptest.NewRequest(http.MethodGet, path, nil)
				if html {
					r.Header.Set("Accept", "text/html")
				}
				switch {
				case auth == "cookie":
					r.Header.Set("Cookie", cookie)
				case auth != "":
					r.Header.Set("Authorization", "Bearer "+auth)
				}
				return r
			}
			results := map[string]float64{}
			run := func(name string, reqs func() []*http.Request) {
				b.Run(name, func(b *testing.B) {
					var mu sync.Mutex
					var lat []time.Duration
					var failed atomic.Int64
					b.SetParallelism(max(1, clients/runtime.GOMAXPROCS(0)))
					b.ResetTimer()
					b.RunParallel(func(pb *testing.PB) {
						var mine []time.Duration
						for pb.Next() {
							start := time.Now()
							for _, r := range reqs() {
								w := httptest.NewRecorder()
								h.ServeHTTP(w, r)
								if w.Code != http.StatusOK {
									failed.Add(1) // e.g. 503 when a request waits longer than the request timeout
								}
							}
							mine = append(mine, time.Since(start))
						}
						mu.Lock()
						lat = append(lat, mine...)
						mu.Unlock()
					})
					b.StopTimer()
					b.ReportMetric(float64(failed.Load()), "failed")
					slices.Sort(lat)
					if len(lat) > 0 {
						b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
						results[name] = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
					}
				})
			}
			listHTML := func() []*http.Request { return []*http.Request{get("/verzeichnis/vorhaben?"+filter, true, "")} }
			listJSON := func() []*http.Request {
				return []*http.Request{get("/api/v1/projects?limit=25&"+filter, false, "")}
			}
			dashboardHTML := func() []*http.Request { return []*http.Request{get("/controlling", true, "cookie")} }
			dashboardJSON := func() []*http.Request {
				var rs []*http.Request
				for _, by := range []string{"status", "category", "year", "partner"} {
					rs = append(rs, get("/api/v1/stats/projects?group_by="+by, false, ctl))
				}
				return append(rs, get("/api/v1/stats/lead-times?group_by=category", false, ctl),
					get("/api/v1/stats/timeline?interval=year&from=2000&to="+time.Now().Format("2006"), false, ctl))
			}
			// Warm-up, unmeasured: the first requests after loading the directory pay for
			// cold caches (PostgreSQL's buffers, the pool's connections and prepared
			// statements, Go's heap growing to its working size). Without it the pair
			// measured first, list-html, paid for them: on PostgreSQL 500 requests came
			// to 2.2–2.7 × the JSON list where 3,000 came to 1.4–1.5 ×.
			for _, reqs := range []func() []*http.Request{listHTML, listJSON, dashboardHTML, dashboardJSON} {
				var wg sync.WaitGroup
				for range clients {
					wg.Go(func() {
						for range 4 {
							for _, r := range reqs() {
								h.ServeHTTP(httptest.NewRecorder(), r)
							}
						}
					})
				}
				wg.Wait()
			}
			run("list-html", listHTML)
			run("list-json", listJSON)
			run("dashboard-html", dashboardHTML)
			run("dashboard-json", dashboardJSON)
			for _, pair := range [][2]string{{"list-html", "list-json"}, {"dashboard-html", "dashboard-json"}} {
				if results[pair[1]] > 0 {
					b.Logf("%s: %s / %s = %.2f (budget 1.5)", dialect, pair[0], pair[1], results[pair[0]]/results[pair[1]])
				}
			}
		})
	}
}

// benchSignIn signs in with token through the form and returns the session cookie.
func benchSignIn(b *testing.B, h http.Handler, token string) string {
	b.Helper()
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "/anmelden", nil)
	r.Header.Set("Accept", "text/html")
	h.ServeHTTP(w, r)
	ck := w.Result().Cookies()
	m := csrfInput.FindStringSubmatch(w.Body.String())
	if len(ck) == 0 || m == nil {
		b.Fatal("no session or CSRF token on the sign-in page")
	}
	form := url.Values{"_csrf": {m[1]}, "token": {token}}
	r = httptest.NewRequest(http.MethodPost, "/anmelden", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.AddCookie(ck[0])
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusSeeOther || len(w.Result().Cookies()) == 0 {
		b.Fatalf("sign-in: %d", w.Code)
	}
	c := w.Result().Cookies()[0]
	return c.Name + "=" + c.Value
}
