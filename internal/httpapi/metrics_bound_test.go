package httpapi_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// TestMetricsSeriesBounded: 10,000 requests with random Host headers, methods and
// paths add no series to /metrics: every label value of the request metrics comes
// from a bounded set (route templates or "unmatched", the methods routes are
// registered for or OTHER, status codes), and there is no host label.
func TestMetricsSeriesBounded(t *testing.T) {
	db := storetest.MustOpen(t, "sqlite")
	e := mustAPI(t, db, httpapi.Options{PublicRead: true})
	rng := rand.New(rand.NewPCG(13, 1))
	word := func(n int) string {
		const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-"
		b := make([]byte, 1+rng.IntN(n))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(b)
	}
	// Each kind of path answers one status per method class, whatever the random part.
	paths := []func() string{
		func() string { return "/" + word(30) },                                 // no route
		func() string { return "/api/v1/" + word(20) + "/" + word(20) },         // no route
		func() string { return "/api/v1/partners/zz-" + word(40) },              // /api/v1/partners/:id, unknown partner
		func() string { return "/healthz?" + word(10) + "=" + word(10) },        // /healthz
		func() string { return "/api/v1/projects/zz-" + word(20) + "/history" }, // unknown project
	}
	methods := []func() string{
		func() string { return http.MethodGet }, func() string { return http.MethodHead },
		func() string { return http.MethodPost }, func() string { return http.MethodPut },
		func() string { return http.MethodPatch }, func() string { return http.MethodDelete },
		func() string { return http.MethodOptions }, // PUT: no route has it, so OTHER
		func() string { return "X" + strings.ToUpper(strings.ReplaceAll(word(12), "-", "")) },
	}
	send := func(method, path, host string) {
		r, err := http.NewRequest(method, e.url+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		r.Host = host
		res, err := e.client.Do(r)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		res.Body.Close()
		if res.StatusCode >= 500 {
			t.Fatalf("%s %s (Host %s): %d", method, path, host, res.StatusCode)
		}
	}
	// Every combination once, so that every series that can exist exists.
	for _, m := range methods {
		for _, p := range paths {
			send(m(), p(), "warm.example")
		}
	}
	before := metricSeries(t)
	for range 10_000 {
		send(methods[rng.IntN(len(methods))](), paths[rng.IntN(len(paths))](), word(20)+".example:"+fmt.Sprint(1+rng.IntN(65535)))
	}
	after := metricSeries(t)
	if len(after) != len(before) {
		t.Errorf("%d series before, %d after 10,000 random requests; new: %v", len(before), len(after), newSeries(before, after))
	}
	for s := range after {
		if strings.HasPrefix(s, "ikz_http_") && (strings.Contains(s, "host=") || strings.Contains(s, ".example")) {
			t.Errorf("a client value in a label: %s", s)
		}
	}
	for _, want := range []string{`method="OTHER",url="unmatched"`, `method="HEAD",url="/api/v1/partners/:id"`, `code="405",method="OTHER",url="/healthz"`} {
		found := false
		for s := range after {
			found = found || strings.Contains(s, want)
		}
		if !found {
			t.Errorf("no series with %s", want)
		}
	}
}

// metricSeries returns the names and labels of every sample /metrics exposes.
func metricSeries(t *testing.T) map[string]bool {
	t.Helper()
	rec := httptest.NewRecorder()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	httpapi.MetricsHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil).WithContext(ctx))
	out := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(rec.Body.Bytes()))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out[sampleName.FindString(line)] = true
	}
	return out
}

var sampleName = regexp.MustCompile(`^[^ {]+(\{[^}]*\})?`)

func newSeries(before, after map[string]bool) []string {
	var out []string
	for s := range after {
		if !before[s] {
			out = append(out, s)
		}
	}
	return out
}
