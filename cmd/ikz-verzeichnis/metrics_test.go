package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestMetricsListener serves /metrics on IKZ_METRICS_ADDR only, with the pool
// statistics of the database and the requests of the API listener.
func TestMetricsListener(t *testing.T) {
	metrics := freeAddr(t)
	env := map[string]string{"IKZ_DATABASE_URL": "sqlite::memory:", "IKZ_LISTEN_ADDR": freeAddr(t),
		"IKZ_METRICS_ADDR": metrics, "IKZ_LOG_LEVEL": "warn"}
	base, _, _, _ := startServe(t, env)
	if got := httpGet(t, base+"/api/v1/projects?limit=2"); got.status != http.StatusOK {
		t.Fatalf("GET /api/v1/projects: %d", got.status)
	}
	if got := httpGet(t, base+"/metrics"); got.status != http.StatusNotFound {
		t.Errorf("/metrics on the API listener with IKZ_METRICS_ADDR set: %d, want 404", got.status)
	}
	got := httpGet(t, "http://"+metrics+"/metrics")
	if got.status != http.StatusOK {
		t.Fatalf("/metrics on IKZ_METRICS_ADDR: %d", got.status)
	}
	for _, want := range []string{
		`go_sql_open_connections{db_name="ikz"} `,
		`go_sql_wait_duration_seconds_total{db_name="ikz"} `,
		`method="GET",url="/api/v1/projects"} `,
		`ikz_http_requests_in_flight `,
	} {
		if !strings.Contains(got.body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

type answer struct {
	status int
	body   string
}

func httpGet(t *testing.T, url string) answer {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{resp.StatusCode, string(b)}
}
