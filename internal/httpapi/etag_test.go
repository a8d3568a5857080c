package httpapi_test

import (
	"strings"
	"testing"
)

// TestETagPerRepresentation: a strong ETag belongs to one representation. A project
// shown with its finance has another tag than the same version without, so a reader
// sending controlling's tag (or the reverse) gets the body, not 304; each gets 304 for
// its own. If-Match takes either tag of the current version.
func TestETagPerRepresentation(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		path := "/api/v1/projects/it-hotline"
		withMoney := e.get(path, "controlling")
		without := e.get(path, "reader")
		tm, tp := withMoney.Header.Get("ETag"), without.Header.Get("ETag")
		if tm == "" || tp == "" || tm == tp {
			t.Fatalf("ETags with and without finance: %q, %q", tm, tp)
		}
		if anon := e.get(path, "").Header.Get("ETag"); anon != tp {
			t.Errorf("anonymous ETag %q, reader's %q: the same representation", anon, tp)
		}
		for _, tc := range []struct {
			as, tag string
			want    int
		}{{"reader", tm, 200}, {"", tm, 200}, {"controlling", tp, 200}, {"admin", tp, 200},
			{"reader", tp, 304}, {"controlling", tm, 304}, {"admin", tm, 304}, {"editor", tp, 304}} {
			r := e.do("GET", path, req{as: tc.as, headers: map[string]string{"If-None-Match": tc.tag}})
			if r.Status != tc.want {
				t.Errorf("%q with If-None-Match %s: %d, want %d", tc.as, tc.tag, r.Status, tc.want)
			}
			if r.Status == 200 && strings.Contains(string(r.Body), `"finance"`) != (tc.as == "controlling" || tc.as == "admin") {
				t.Errorf("%q: finance shown wrongly: %s", tc.as, r.Body)
			}
		}
		// the answers to writes carry the tag of what they show
		r := e.do("PATCH", path, req{as: "admin", body: map[string]any{"description": "neu"}, headers: map[string]string{"If-Match": tm}})
		mustStatus(t, r, 200)
		if tag := r.Header.Get("ETag"); !strings.HasSuffix(tag, `.finance"`) {
			t.Errorf("admin's PATCH answered ETag %q", tag)
		}
		r = e.do("PATCH", path, req{as: "editor", body: map[string]any{"description": "neuer"}, headers: map[string]string{"If-Match": r.Header.Get("ETag")}})
		mustStatus(t, r, 200)
		if tag := r.Header.Get("ETag"); strings.HasSuffix(tag, `.finance"`) {
			t.Errorf("editor's PATCH answered ETag %q", tag)
		}
		mustStatus(t, e.do("PATCH", path, req{as: "admin", body: map[string]any{"description": "alt"}, headers: map[string]string{"If-Match": tp}}), 412)
		for _, bad := range []string{`"x.1"`, strings.Replace(r.Header.Get("ETag"), `"`, `".0`, 1), strings.TrimSuffix(r.Header.Get("ETag"), `"`) + `x"`} {
			mustStatus(t, e.do("PATCH", path, req{as: "admin", body: map[string]any{"description": "alt"}, headers: map[string]string{"If-Match": bad}}), 412)
		}
	})
}
