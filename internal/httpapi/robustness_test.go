package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// hostileValues are query and path values a hostile or careless client sends (raw,
// already percent-encoded where needed).
var hostileValues = []string{
	"%00", "a%00b", "%ff", "%c3", "%ed%a0%80", "%1b%5b31m", "%7f", "%c2%85", "%e2%80%ae", "%e2%81%a6x",
	"'%20OR%201=1%20--", "%3Bdrop%20table%20projects", "..%2F..%2Fetc%2Fpasswd", "%2e%2e", "%25", "%2C%2C%2C",
	strings.Repeat("x", 3000), "-1", "0", "99999999999999999999999", "1e308", "NaN", "true", "null", "%5B%5D",
	"2016-13", "0000-00-00", "9999-12-31T99:99:99Z", "%09", "%0d%0a", "=cmd|'/C%20calc'!A0", "%EF%BC%9D1",
}

// hostileParams are the query parameters the endpoints know (and some they do not).
var hostileParams = []string{"q", "tag", "status", "category", "cursor", "limit", "sort", "partner", "role", "after",
	"from", "to", "interval", "group_by", "format", "delimiter", "resource_id", "resource_type", "updated_since",
	"as_of", "started_from", "started_to", "types", "order", "cooperation", "solution", "type", "state", "parent", "x"}

// hostileBodies are request bodies for every write: malformed, of the wrong shape,
// with text that may not be stored, keys in the wrong case or twice, amounts out of
// range, deep or long.
var hostileBodies = []string{
	``, ` `, `null`, `[]`, `"x"`, `42`, `{`, `{"title": }`, `{"title": "a"}}`, `{"title": "a"} {"title": "b"}`,
	`{"title": "a\u0000b"}`, "{\"title\": \"a\xffb\"}", `{"name": "\u001b[2J"}`, `{"name": "citeq\u202Eqetic"}`,
	`{"slug": "a\u0000"}`, `{"tags": ["\u0000"]}`, `{"Title": "X"}`, `{"NAME": "X"}`, `{"title": "a", "title": "b"}`,
	`{"finance": {"budget_planned": "10000000000.00"}}`, `{"finance": {"budget_planned": "1e3"}}`,
	`{"finance": {"budget_planned": 12.5}}`, `{"finance": "viel"}`, `{"participants": "citeq"}`,
	`{"participants": [{"partner": "\u0000", "role": "lead"}]}`, `{"participants": [{"partner": "%ff", "role": "lead"}]}`,
	`{"members": [{"partner": "citeq", "role": "party", "role": "x"}]}`, `{"parent": "citeq\u2066"}`,
	`{"started_on": "2016-13"}`, `{"started_on": "0000"}`, `{"employees": {"count": 1e400}}`,
	`{"employees": {"count": -1}}`, `{"id": "x"}`, `{"status": "operational"}`, `{"version": 99}`,
	`{"to": "\u0000"}`, `{"to": "operational", "effective_on": "2016-02-30"}`, `{"reason": "a\u0000"}`,
	`{"roles": ["admin", "\u0000"]}`, `{"roles": "admin"}`, `{"name": "x", "roles": [], "partners": ["\u0000"]}`,
	`{"title": "` + strings.Repeat("ä", 400) + `"}`, strings.Repeat(`[`, 20000) + strings.Repeat(`]`, 20000),
	`{"tags": [` + strings.Repeat(`"t",`, 5000) + `"t"]}`, `{"description": "` + strings.Repeat("x", 30000) + `"}`,
	`{"slug": "` + strings.Repeat("a", 500) + `"}`, `{"website": "javascript:alert(1)"}`, `{"email": "a@b\u0000.de"}`,
}

// TestHostileInputs sends well over 600 hostile requests to every read and write
// endpoint, on both databases, as an admin (so that no refusal is only the role
// check's) and anonymously: no answer is a 5xx, every refusal is problem+json, and no
// refused request changes the database.
func TestHostileInputs(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		ctx := context.Background()
		fingerprint := func() string {
			t.Helper()
			var out []string
			for _, q := range []string{
				"SELECT COUNT(*), COALESCE(SUM(version), 0) FROM partners", "SELECT COUNT(*), COALESCE(SUM(version), 0) FROM cooperations",
				"SELECT COUNT(*), COALESCE(SUM(version), 0) FROM projects", "SELECT COUNT(*), COALESCE(SUM(version), 0) FROM solutions",
				"SELECT COUNT(*), COALESCE(MAX(id), 0) FROM changes", "SELECT COUNT(*), COUNT(revoked_at) FROM api_tokens",
				"SELECT COUNT(*), 0 FROM project_participants", "SELECT COUNT(*), 0 FROM status_changes",
			} {
				var a, b int64
				if err := storetest.SQL(e.db).QueryRowContext(ctx, q).Scan(&a, &b); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
				out = append(out, fmt.Sprintf("%d/%d", a, b))
			}
			return strings.Join(out, " ")
		}
		ids := map[string]string{"partners": "citeq", "cooperations": "it-kooperation-muenster-lwl",
			"projects": "it-hotline", "solutions": "dips-kommunal", "tokens": "00000000-0000-4000-8000-000000000000"}
		fill := func(path, id string) string {
			segs := strings.Split(path, "/")
			for i, s := range segs {
				if strings.HasPrefix(s, ":") || s == "*" {
					if id != "" {
						segs[i] = id
					} else if i > 0 {
						segs[i] = ids[segs[i-1]]
					}
				}
			}
			return strings.Join(segs, "/")
		}
		type attempt struct {
			method, path, ctype, body, as string
			headers                       map[string]string
		}
		var attempts []attempt
		srv := httpapi.New(e.db, httpapi.Options{PublicRead: true})
		n := 0
		for _, r := range srv.Echo().Routes() {
			if r.Path == "/metrics" || strings.HasPrefix(r.Path, "/swagger") {
				continue
			}
			switch r.Method {
			case http.MethodGet:
				for _, v := range hostileValues {
					n++
					p := hostileParams[n%len(hostileParams)]
					attempts = append(attempts, attempt{method: "GET", path: fill(r.Path, "") + "?" + p + "=" + v, as: []string{"admin", ""}[n%2]})
					if strings.Contains(r.Path, ":") {
						attempts = append(attempts, attempt{method: "GET", path: fill(r.Path, v), as: "admin"})
					}
				}
			case http.MethodPost, http.MethodPatch:
				for i, b := range hostileBodies {
					ct := []string{"application/json", "application/merge-patch+json", "application/json; charset=latin1",
						"text/plain", "", "application/json; charset=utf-8"}[i%6]
					if r.Method == http.MethodPost && ct == "application/merge-patch+json" {
						ct = "application/json"
					}
					attempts = append(attempts, attempt{method: r.Method, path: fill(r.Path, ""), ctype: ct, body: b, as: "admin",
						headers: map[string]string{"If-Match": []string{"", `"x.1"`, `W/"1"`, strings.Repeat("\"", 300)}[i%4]}})
				}
				if strings.Contains(r.Path, ":") {
					for _, v := range hostileValues[:12] {
						attempts = append(attempts, attempt{method: r.Method, path: fill(r.Path, v), ctype: "application/json", body: `{}`, as: "admin"})
					}
				}
			case http.MethodDelete:
				for i, v := range hostileValues {
					attempts = append(attempts, attempt{method: "DELETE", path: fill(r.Path, v), as: []string{"admin", "editor-citeq", ""}[i%3]})
				}
				for _, h := range []string{`"x.1"`, `"0"`, "garbage", `W/"x"`, strings.Repeat("a", 5000), `"` + "\u202e" + `"`} {
					attempts = append(attempts, attempt{method: "DELETE", path: fill(r.Path, ""), as: "admin", headers: map[string]string{"If-Match": h}})
				}
			}
		}
		if len(attempts) < 600 {
			t.Fatalf("only %d hostile requests", len(attempts))
		}
		client := &http.Client{Timeout: 30 * time.Second}
		before := fingerprint()
		fails := 0
		for _, a := range attempts {
			req, err := http.NewRequest(a.method, e.url+a.path, nil)
			if err != nil {
				// a path Go itself refuses to send: send it raw
				req, err = http.NewRequest(a.method, e.url+"/", nil)
				if err != nil {
					t.Fatal(err)
				}
				req.URL.Opaque = a.path
			}
			if a.body != "" || a.method != "GET" && a.method != "DELETE" {
				req.Body = io.NopCloser(bytes.NewReader([]byte(a.body)))
				req.ContentLength = int64(len(a.body))
			}
			if a.ctype != "" {
				req.Header.Set("Content-Type", a.ctype)
			}
			if a.as != "" {
				req.Header.Set("Authorization", "Bearer "+e.tokens[a.as])
			}
			for k, v := range a.headers {
				if v != "" {
					req.Header.Set(k, v)
				}
			}
			res, err := client.Do(req)
			if err != nil {
				t.Fatalf("%s %.200s: %v", a.method, a.path, err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			after := fingerprint()
			switch {
			case res.StatusCode >= 500:
				t.Errorf("%s %.200s (%q, body %.100q): %d %.300s", a.method, a.path, a.ctype, a.body, res.StatusCode, body)
				fails++
			case res.StatusCode >= 400 && res.Header.Get("Content-Type") != "application/problem+json":
				t.Errorf("%s %.200s: %d as %q", a.method, a.path, res.StatusCode, res.Header.Get("Content-Type"))
				fails++
			case res.StatusCode >= 400 && after != before:
				t.Errorf("%s %.200s (body %.100q): refused with %d but the database changed: %s → %s", a.method, a.path, a.body, res.StatusCode, before, after)
				fails++
			}
			if fails > 20 {
				t.Fatal("too many failures")
			}
			before = after
		}
		t.Logf("%d hostile requests", len(attempts))
		// the service still answers
		mustStatus(t, e.get("/api/v1/projects/it-hotline", ""), 200)
	})
}
