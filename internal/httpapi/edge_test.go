package httpapi_test

import (
	"strings"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
)

// TestRateLimit: with IKZ_RATE_LIMIT set, a client over its budget gets 429 with
// Retry-After, counted per token and per client IP separately.
func TestRateLimit(t *testing.T) {
	forEachAPIWith(t, httpapi.Options{PublicRead: true, RateLimit: 0.5, RateBurst: 3}, func(t *testing.T, e *apiEnv) {
		statuses := map[int]int{}
		var limited resp
		for range 5 {
			r := e.get("/api/v1/partners/citeq", "")
			statuses[r.Status]++
			if r.Status == 429 {
				limited = r
			}
		}
		if statuses[200] != 3 || statuses[429] != 2 {
			t.Fatalf("anonymous: statuses %v, want 3×200 then 2×429", statuses)
		}
		if limited.Header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
		// a token has a budget of its own
		mustStatus(t, e.get("/api/v1/partners/citeq", "reader"), 200)
		// health checks are never limited
		mustStatus(t, e.get("/healthz", ""), 200)
	})
}

// TestEdgeHeaders: CORS answers only the configured origins; every response carries
// the security headers; nothing tells the server's software or version.
func TestEdgeHeaders(t *testing.T) {
	opt := httpapi.Options{PublicRead: true, CORSOrigins: []string{"https://portal.example"}}
	forEachAPIWith(t, opt, func(t *testing.T, e *apiEnv) {
		allowed := e.do("GET", "/api/v1/partners", req{headers: map[string]string{"Origin": "https://portal.example"}})
		if got := allowed.Header.Get("Access-Control-Allow-Origin"); got != "https://portal.example" {
			t.Errorf("allowed origin: Access-Control-Allow-Origin = %q", got)
		}
		other := e.do("GET", "/api/v1/partners", req{headers: map[string]string{"Origin": "https://evil.example"}})
		if got := other.Header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("foreign origin got Access-Control-Allow-Origin %q", got)
		}
		for _, path := range []string{"/api/v1/partners/citeq", "/api/v1/partners/gibt-es-nicht", "/healthz"} {
			r := e.get(path, "")
			for h, want := range map[string]string{
				"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY",
			} {
				if got := r.Header.Get(h); got != want {
					t.Errorf("%s: %s = %q, want %q", path, h, got, want)
				}
			}
			if r.Header.Get("X-Request-ID") == "" || r.Header.Get("Content-Security-Policy") == "" {
				t.Errorf("%s: X-Request-ID or CSP missing", path)
			}
			if r.Header.Get("Server") != "" || r.Header.Get("X-Powered-By") != "" {
				t.Errorf("%s: the server names itself: %v", path, r.Header)
			}
		}
		if r := e.do("GET", "/api/v1/partners", req{headers: map[string]string{"X-Forwarded-Proto": "https"}}); r.Header.Get("Strict-Transport-Security") == "" {
			t.Error("no HSTS behind TLS")
		}
		echoed := e.do("GET", "/healthz", req{headers: map[string]string{"X-Request-ID": "portal-42"}})
		if echoed.Header.Get("X-Request-ID") != "portal-42" {
			t.Errorf("X-Request-ID not echoed: %q", echoed.Header.Get("X-Request-ID"))
		}
		// A request id that is not a short plain token never reaches logs, the change
		// log or the answer: the server makes its own.
		for _, bad := range []string{strings.Repeat("a", 129), "a b", "x\u202ey", "<script>", "id;drop"} {
			r := e.do("GET", "/healthz", req{headers: map[string]string{"X-Request-ID": bad}})
			if got := r.Header.Get("X-Request-ID"); got == bad || len(got) != 36 {
				t.Errorf("X-Request-ID %q answered as %q, want a fresh UUID", bad, got)
			}
		}
	})
}
