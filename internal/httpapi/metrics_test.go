package httpapi_test

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// TestMetrics scrapes /metrics after a few requests and finds every family the
// operations page promises: requests by route and status, in-flight requests, pool
// statistics, writes by resource and action, search and export durations, the search
// cache's hits and misses.
func TestMetrics(t *testing.T) {
	db := storetest.MustOpen(t, "sqlite")
	e := mustAPI(t, db, httpapiOptions(t))
	httpapi.RegisterCollector(collectors.NewDBStatsCollector(db.Pools()[0], "ikz-metrics-test"))
	httpapi.RegisterSearchCache(db.SearchCacheStats)

	mustStatus(t, e.get("/api/v1/projects?limit=5", ""), 200)
	mustStatus(t, e.get("/api/v1/projects/gibt-es-nicht", ""), 404)
	e.mustCreate(t, "/api/v1/projects", "editor", projectBody("metrik-vorhaben", nil))
	mustStatus(t, e.get("/api/v1/search?q=Archivierung", ""), 200)
	mustStatus(t, e.get("/api/v1/search?q=Archivierung", ""), 200) // from the search cache
	mustStatus(t, e.get("/api/v1/exports/projects?format=csv", "reader"), 200)

	r := e.do("GET", "/metrics", req{headers: map[string]string{"Origin": "https://portal.example.org"}})
	mustStatus(t, r, 200)
	if got := r.Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("/metrics is behind CORS: Access-Control-Allow-Origin %q", got)
	}
	body := string(r.Body)
	for _, want := range []string{
		`ikz_http_requests_total{code="200",method="GET",url="/api/v1/projects"}`,
		`ikz_http_requests_total{code="404",method="GET",url="/api/v1/projects/:id"}`,
		`ikz_http_request_duration_seconds_bucket{code="201",`,
		`ikz_http_requests_in_flight `,
		`ikz_writes_total{action="create",resource="project"} `,
		`go_sql_open_connections{db_name="ikz-metrics-test"} `,
		`go_sql_in_use_connections{db_name="ikz-metrics-test"} `,
		`go_sql_idle_connections{db_name="ikz-metrics-test"} `,
		`go_sql_wait_count_total{db_name="ikz-metrics-test"} `,
		`go_sql_wait_duration_seconds_total{db_name="ikz-metrics-test"} `,
		`ikz_search_duration_seconds_count `,
		"ikz_search_cache_hits_total 1\n",
		"ikz_search_cache_misses_total 1\n",
		`ikz_export_duration_seconds_count{format="csv",kind="projects"} `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if t.Failed() {
		t.Logf("/metrics:\n%s", body)
	}
}

// httpapiOptions are public reads with CORS on, so that /metrics shows it is exempt.
func httpapiOptions(t *testing.T) httpapi.Options {
	t.Helper()
	return httpapi.Options{PublicRead: true, CORSOrigins: []string{"https://portal.example.org"}, MetricsOnMain: true}
}
