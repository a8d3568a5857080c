package httpapi_test

import (
	"strings"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/webhook"
)

func TestWebhookSubscriptions(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		body := map[string]any{"url": "https://portal.example.org/hooks/ikz", "events": []string{"project.created", "partner.*"},
			"description": "Portal", "partner": "citeq"}
		r := e.do("POST", "/api/v1/webhooks", req{as: "admin", body: body})
		mustStatus(t, r, 201)
		w := r.Obj(t)
		id := w["id"].(string)
		if s, _ := w["secret"].(string); !strings.HasPrefix(s, "whsec_") || len(s) < 40 {
			t.Fatalf("secret %q", s)
		}
		if w["role"] != "reader" || w["active"] != true || w["status"] != "active" || r.Header.Get("Location") != "/api/v1/webhooks/"+id ||
			w["partner"].(map[string]any)["slug"] != "citeq" {
			t.Errorf("created: %v %v", w, r.Header)
		}
		// the secret only once
		got := e.get("/api/v1/webhooks/"+id, "admin")
		mustStatus(t, got, 200)
		if _, has := got.Obj(t)["secret"]; has || strings.Contains(string(got.Body), w["secret"].(string)) {
			t.Errorf("GET shows the secret: %s", got.Body)
		}
		list := e.get("/api/v1/webhooks", "admin")
		mustStatus(t, list, 200)
		if items := list.Obj(t)["items"].([]any); len(items) != 1 || strings.Contains(string(list.Body), "whsec_") {
			t.Errorf("list: %s", list.Body)
		}

		// bad input: 422 with the field, nothing written
		for _, tc := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"url": "http://portal.example.org/x"}, "url"},
			{map[string]any{"url": "https://127.0.0.1/x"}, "url"},
			{map[string]any{"url": "https://10.0.0.1/x"}, "url"},
			{map[string]any{"url": "https://169.254.169.254/latest/meta-data"}, "url"},
			{map[string]any{"url": "https://[::1]/x"}, "url"},
			{map[string]any{"url": "https://localhost/x"}, "url"},
			{map[string]any{"url": "https://user:pw@portal.example.org/x"}, "url"},
			{map[string]any{"url": "https://portal.example.org/x", "events": []string{"project.exploded"}}, "events[0]"},
			{map[string]any{"url": "https://portal.example.org/x", "role": "admin"}, "role"},
			{map[string]any{"url": "https://portal.example.org/x", "partner": "gibt-es-nicht"}, "partner"},
			{map[string]any{}, "url"},
		} {
			r := e.do("POST", "/api/v1/webhooks", req{as: "admin", body: tc.body, invalid: true})
			mustStatus(t, r, 422)
			if fe := fieldErrors(t, r); len(fe) == 0 || !strings.HasPrefix(fe[0], tc.field+":") {
				t.Errorf("%v: errors %v, want %s", tc.body, fe, tc.field)
			}
		}
		if n := len(e.get("/api/v1/webhooks", "admin").Obj(t)["items"].([]any)); n != 1 {
			t.Errorf("%d subscriptions after refused ones", n)
		}

		// who may: admin all, editors their own (another's is 404), the controlling view
		// only with finance
		mustStatus(t, e.get("/api/v1/webhooks", ""), 401)
		mustStatus(t, e.get("/api/v1/webhooks", "reader"), 403)
		mustStatus(t, e.get("/api/v1/webhooks", "controlling"), 403)
		mustStatus(t, e.do("POST", "/api/v1/webhooks", req{as: "editor", body: map[string]any{"url": "https://a.example.org/", "role": "controlling"}}), 403)
		ed := e.do("POST", "/api/v1/webhooks", req{as: "editor-citeq", body: map[string]any{"url": "https://a.example.org/"}})
		mustStatus(t, ed, 201)
		edID := ed.Obj(t)["id"].(string)
		if sp := ed.Obj(t)["scope_partners"].([]any); len(sp) != 1 {
			t.Errorf("a bound editor's subscription is not bound: %v", sp)
		}
		mustStatus(t, e.do("POST", "/api/v1/webhooks", req{as: "editor-controlling-citeq", body: map[string]any{"url": "https://a.example.org/", "role": "controlling"}}), 201)
		mustStatus(t, e.get("/api/v1/webhooks/"+id, "editor-citeq"), 404)
		mustStatus(t, e.get("/api/v1/webhooks/"+edID, "editor-citeq"), 200)
		mustStatus(t, e.get("/api/v1/webhooks/"+edID, "editor-lwl"), 404)
		if items := e.get("/api/v1/webhooks", "editor-citeq").Obj(t)["items"].([]any); len(items) != 1 {
			t.Errorf("editor sees %d subscriptions", len(items))
		}
		if items := e.get("/api/v1/webhooks", "admin").Obj(t)["items"].([]any); len(items) != 3 {
			t.Errorf("admin sees %d subscriptions", len(items))
		}

		// PATCH, rotate, replay, delete
		p := e.do("PATCH", "/api/v1/webhooks/"+id, req{as: "admin", body: map[string]any{"active": false, "events": []string{"*"}, "partner": ""}})
		mustStatus(t, p, 200)
		if o := p.Obj(t); o["active"] != false || o["status"] != "disabled" || o["partner"] != nil || o["version"] != float64(2) {
			t.Errorf("patched: %v", o)
		}
		rot := e.do("POST", "/api/v1/webhooks/"+id+"/rotate-secret?grace_seconds=60", req{as: "admin"})
		mustStatus(t, rot, 200)
		if o := rot.Obj(t); o["secret"] == w["secret"] || o["previous_secret_expires_at"] == nil {
			t.Errorf("rotated: %v", o)
		}
		rep := e.do("POST", "/api/v1/webhooks/"+id+"/replay?from=1", req{as: "admin"})
		mustStatus(t, rep, 200)
		if o := rep.Obj(t); o["active"] != true || o["status"] != "active" || o["cursor"] != float64(0) {
			t.Errorf("replayed: %v", o)
		}
		mustStatus(t, e.do("POST", "/api/v1/webhooks/"+id+"/replay", req{as: "admin", invalid: true}), 400)
		d := e.get("/api/v1/webhooks/"+id+"/deliveries", "admin")
		mustStatus(t, d, 200)
		mustStatus(t, e.do("DELETE", "/api/v1/webhooks/"+id, req{as: "admin"}), 204)
		mustStatus(t, e.get("/api/v1/webhooks/"+id, "admin"), 404)
		mustStatus(t, e.do("DELETE", "/api/v1/webhooks/"+id, req{as: "admin"}), 404)
	})
}

// TestWebhookURLSettings: http only with the setting; private addresses only with
// the other.
func TestWebhookURLSettings(t *testing.T) {
	forEachAPIWith(t, httpapi.Options{PublicRead: true, WebhookSafety: webhook.Safety{AllowHTTP: true}}, func(t *testing.T, e *apiEnv) {
		mustStatus(t, e.do("POST", "/api/v1/webhooks", req{as: "admin", body: map[string]any{"url": "http://portal.example.org/x"}}), 201)
		mustStatus(t, e.do("POST", "/api/v1/webhooks", req{as: "admin", body: map[string]any{"url": "http://127.0.0.1:9/x"}, invalid: true}), 422)
	})
}
