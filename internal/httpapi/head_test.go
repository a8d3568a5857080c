package httpapi_test

import (
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
)

// routeExample fills a route's path parameters with seeded resources (or a value
// that is found nowhere) and adds the query a route needs to answer 200.
func routeExample(path string) string {
	ids := map[string]string{"partners": "citeq", "cooperations": "it-kooperation-muenster-lwl",
		"projects": "dips-kommunal", "solutions": "dips-kommunal"}
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, ":") || s == "*" {
			segs[i] = "gibt-es-nicht"
			if i > 0 && ids[segs[i-1]] != "" {
				segs[i] = ids[segs[i-1]]
			}
			if s == "*" {
				segs[i] = "index.html"
			}
		}
	}
	out := strings.Join(segs, "/")
	switch path {
	case "/api/v1/search":
		out += "?q=Archivierung"
	case "/api/v1/stats/timeline":
		out += "?from=2016&to=2018&interval=year"
	}
	return out
}

// TestHead: HEAD works wherever GET does: for every GET route, anonymous and with a
// token, HEAD answers GET's status and headers, and no body.
func TestHead(t *testing.T) {
	forEachAPIWith(t, httpapi.Options{PublicRead: true, MetricsOnMain: true}, func(t *testing.T, e *apiEnv) {
		srv := httpapi.New(e.db, httpapi.Options{PublicRead: true, MetricsOnMain: true})
		var paths []string
		for _, r := range srv.Echo().Routes() {
			if r.Method == http.MethodGet {
				paths = append(paths, routeExample(r.Path))
			}
		}
		slices.Sort(paths)
		if len(paths) < 29 {
			t.Fatalf("only %d GET routes: %v", len(paths), paths)
		}
		volatile := regexp.MustCompile(`^(Date|X-Request-Id)$`)
		// No transparent decompression: the headers as sent are compared.
		rt := &http.Transport{DisableCompression: true}
		defer rt.CloseIdleConnections()
		send := func(method, path, as, enc string) (int, http.Header, int) {
			r, err := http.NewRequest(method, e.url+path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if as != "" {
				r.Header.Set("Authorization", "Bearer "+e.tokens[as])
			}
			if enc != "" {
				r.Header.Set("Accept-Encoding", enc)
			}
			res, err := rt.RoundTrip(r)
			if err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			defer res.Body.Close()
			if method == http.MethodGet && strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
				return res.StatusCode, res.Header, 0 // a stream does not end: its headers are compared
			}
			body, _ := io.ReadAll(res.Body)
			return res.StatusCode, res.Header, len(body)
		}
		for _, path := range paths {
			for _, as := range []string{"", "admin"} {
				for _, enc := range []string{"", "gzip"} {
					gs, gh, _ := send(http.MethodGet, path, as, enc)
					hs, hh, n := send(http.MethodHead, path, as, enc)
					if hs != gs {
						t.Errorf("HEAD %s (%q): %d, GET %d", path, as, hs, gs)
						continue
					}
					if n != 0 {
						t.Errorf("HEAD %s: %d bytes of body", path, n)
					}
					if path == "/metrics" {
						continue // its body, and so its length, changes with every request
					}
					for k := range mergeKeys(gh, hh) {
						if volatile.MatchString(k) || (k == "Content-Length" && hh.Get(k) == "") {
							continue // a HEAD may leave out a length known only by writing the body
						}
						if g, h := gh.Values(k), hh.Values(k); !slices.Equal(g, h) {
							t.Errorf("%s (%q, %q): header %s: GET %q, HEAD %q", path, as, enc, k, g, h)
						}
					}
				}
			}
		}
		// A HEAD on a route without GET is 405 like any other method.
		mustStatus(t, e.do(http.MethodHead, "/api/v1/tokens/x", req{as: "admin", invalid: true}), http.StatusMethodNotAllowed)
	})
}

func mergeKeys(a, b http.Header) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}
