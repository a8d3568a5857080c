package httpapi_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// addToken makes a token directly in the store and registers it under name; state
// "expired" moves its expiry into the past (the store refuses to create one so),
// "revoked" revokes it.
func (e *apiEnv) addToken(t *testing.T, name, role, state string) string {
	t.Helper()
	ctx := coop.WithActor(context.Background(), coop.System)
	exp := time.Now().Add(time.Hour)
	tok, secret, err := e.db.CreateToken(ctx, coop.TokenDraft{Name: name, Roles: []string{role}, ExpiresAt: &exp})
	if err != nil {
		t.Fatal(err)
	}
	switch state {
	case "expired":
		if err := storetest.Gorm(e.db).Exec("UPDATE api_tokens SET expires_at = ? WHERE id = ?", time.Now().UTC().Add(-time.Minute), tok.ID).Error; err != nil {
			t.Fatal(err)
		}
	case "revoked":
		if err := e.db.RevokeToken(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
	}
	e.tokens[name] = secret
	return tok.ID
}

func TestTokenAccess(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		body := map[string]any{"name": "portal", "roles": []string{"reader"}}
		for _, who := range []string{"", "ikz_falsch"} {
			mustStatus(t, e.get("/api/v1/tokens", who), 401)
			mustStatus(t, e.do("POST", "/api/v1/tokens", req{as: who, body: body}), 401)
			mustStatus(t, e.do("DELETE", "/api/v1/tokens/00000000-0000-0000-0000-000000000000", req{as: who}), 401)
		}
		for _, who := range []string{"reader", "controlling", "editor", "editor-citeq"} {
			mustStatus(t, e.get("/api/v1/tokens", who), 403)
			mustStatus(t, e.do("POST", "/api/v1/tokens", req{as: who, body: body}), 403)
			mustStatus(t, e.do("DELETE", "/api/v1/tokens/00000000-0000-0000-0000-000000000000", req{as: who}), 403)
		}
	})
}

func TestTokenLifecycle(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		r := e.do("POST", "/api/v1/tokens", req{as: "admin", body: map[string]any{"name": "Portal Münsterland",
			"roles": []string{"editor", "controlling", "editor"}, "partners": []string{"citeq"}, "expires_in": "90d"}})
		mustStatus(t, r, 201)
		var tok struct {
			ID, Name, Prefix, Token string
			Roles                   []string
			Partners                []struct{ Slug string }
			ExpiresAt               *time.Time `json:"expires_at"`
			RevokedAt               *time.Time `json:"revoked_at"`
			Active                  bool
		}
		if err := json.Unmarshal(r.Body, &tok); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(tok.Token, "ikz_") || !strings.HasPrefix(tok.Token, tok.Prefix) || !slices.Equal(tok.Roles, []string{"controlling", "editor"}) || !tok.Active ||
			len(tok.Partners) != 1 || tok.Partners[0].Slug != "citeq" || r.Header.Get("Location") != "/api/v1/tokens/"+tok.ID {
			t.Errorf("created token = %+v (Location %s)", tok, r.Header.Get("Location"))
		}
		if tok.ExpiresAt == nil || tok.ExpiresAt.Sub(time.Now().Add(90*24*time.Hour)).Abs() > time.Minute {
			t.Errorf("expires_at = %v, want in 90 days", tok.ExpiresAt)
		}
		if r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("Cache-Control = %q", r.Header.Get("Cache-Control"))
		}
		e.tokens["portal"] = tok.Token

		// the new token works, with its partner scope, and is named in the feed
		mustStatus(t, e.do("PATCH", "/api/v1/partners/citeq", req{as: "portal", body: map[string]any{"short_name": "citeq"}}), 200)
		mustStatus(t, e.do("PATCH", "/api/v1/partners/lwl", req{as: "portal", body: map[string]any{"short_name": "LWL"}}), 403)
		// editor and controlling: the rights add up — it reads and writes the money of
		// its partner's projects, and of no other
		if _, ok := e.get("/api/v1/projects/it-hotline", "portal").Obj(t)["finance"]; !ok {
			t.Error("editor and controlling does not see finance")
		}
		mustStatus(t, e.do("PATCH", "/api/v1/projects/it-hotline", req{as: "portal", body: map[string]any{"finance": map[string]any{"cost_actual": "12.50"}}}), 200)
		mustStatus(t, e.do("PATCH", "/api/v1/projects/dips-kommunal", req{as: "portal", body: map[string]any{"finance": map[string]any{"cost_actual": "12.50"}}}), 403)
		feed := e.readFeed(t, "&resource_type=partner", "portal", 1000)
		if a := feed[len(feed)-1].Actor; a.Type != "token" || a.Name != "Portal Münsterland" || a.ID != tok.ID {
			t.Errorf("actor of the token's write = %+v", a)
		}

		// the list shows it without any secret, with its last use
		l := e.get("/api/v1/tokens", "admin")
		mustStatus(t, l, 200)
		if strings.Contains(string(l.Body), tok.Token) || strings.Contains(string(l.Body), `"token"`) || strings.Contains(string(l.Body), "hash") {
			t.Errorf("token list shows secrets: %s", l.Body)
		}
		var list struct {
			Items []struct {
				ID, Name   string
				LastUsedAt *time.Time `json:"last_used_at"`
			}
			Total int
		}
		_ = json.Unmarshal(l.Body, &list)
		i := slices.IndexFunc(list.Items, func(x struct {
			ID, Name   string
			LastUsedAt *time.Time `json:"last_used_at"`
		}) bool {
			return x.ID == tok.ID
		})
		if i < 0 || list.Items[i].Name != "Portal Münsterland" || list.Items[i].LastUsedAt == nil || list.Total != len(list.Items) || list.Items[0].ID != tok.ID {
			t.Errorf("token list = %s", l.Body)
		}

		// revoke: 401 at once; revoking again changes nothing; unknown ids are 404
		mustStatus(t, e.do("DELETE", "/api/v1/tokens/"+tok.ID, req{as: "admin"}), 204)
		mustStatus(t, e.get("/api/v1/changes", "portal"), 401)
		mustStatus(t, e.do("PATCH", "/api/v1/partners/citeq", req{as: "portal", body: map[string]any{"short_name": "x"}}), 401)
		mustStatus(t, e.do("DELETE", "/api/v1/tokens/"+tok.ID, req{as: "admin"}), 204)
		mustStatus(t, e.do("DELETE", "/api/v1/tokens/00000000-0000-0000-0000-000000000000", req{as: "admin"}), 404)
		mustStatus(t, e.do("DELETE", "/api/v1/tokens/kein-token", req{invalid: true, as: "admin"}), 404)
		for _, it := range e.get("/api/v1/tokens", "admin").Obj(t)["items"].([]any) {
			m := it.(map[string]any)
			if m["id"] == tok.ID && (m["revoked_at"] == nil || m["active"] != false) {
				t.Errorf("revoked token listed as %v", m)
			}
		}

		// expiry by time; an expired token is 401
		at := time.Now().Add(2 * time.Hour).UTC().Truncate(time.Second)
		r = e.do("POST", "/api/v1/tokens", req{as: "admin", body: map[string]any{"name": "kurz", "roles": []string{"reader"}, "expires_at": at.Format(time.RFC3339)}})
		mustStatus(t, r, 201)
		if got := r.Obj(t)["expires_at"]; got != at.Format(time.RFC3339) {
			t.Errorf("expires_at = %v, want %s", got, at.Format(time.RFC3339))
		}
		e.addToken(t, "abgelaufen", "admin", "expired")
		mustStatus(t, e.get("/api/v1/tokens", "abgelaufen"), 401)
	})
}

func TestTokenValidation(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		cases := []struct {
			name string
			body map[string]any
			want []string
		}{
			{"required", map[string]any{}, []string{"name:required", "roles:enum"}},
			{"role", map[string]any{"name": "x", "roles": []string{"chef"}}, []string{"roles:enum"}},
			{"no roles", map[string]any{"name": "x", "roles": []string{}}, []string{"roles:enum"}},
			{"partners for editor and admin", map[string]any{"name": "x", "roles": []string{"editor", "admin"}, "partners": []string{"citeq"}}, []string{"partners:not_allowed"}},
			{"partners for a reader", map[string]any{"name": "x", "roles": []string{"reader"}, "partners": []string{"citeq"}}, []string{"partners:not_allowed"}},
			{"partner reference", map[string]any{"name": "x", "roles": []string{"editor"}, "partners": []string{"citeq", "gibt-es-nicht"}}, []string{"partners[1]:reference"}},
			{"expired", map[string]any{"name": "x", "roles": []string{"reader"}, "expires_at": "2020-01-01T00:00:00Z"}, []string{"expires_at:past"}},
			{"expires_at format", map[string]any{"name": "x", "roles": []string{"reader"}, "expires_at": "morgen"}, []string{"expires_at:date_time"}},
			{"expires_in format", map[string]any{"name": "x", "roles": []string{"reader"}, "expires_in": "bald"}, []string{"expires_in:duration"}},
			{"expires_in negative", map[string]any{"name": "x", "roles": []string{"reader"}, "expires_in": "-5h"}, []string{"expires_in:duration"}},
			{"both", map[string]any{"name": "x", "roles": []string{"reader"}, "expires_in": "90d", "expires_at": "2099-01-01T00:00:00Z"}, []string{"expires_in:exclusive"}},
			{"name too long", map[string]any{"name": strings.Repeat("n", 101), "roles": []string{"reader"}}, []string{"name:max_length"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := e.do("POST", "/api/v1/tokens", req{invalid: true, as: "admin", body: c.body})
				mustStatus(t, r, 422)
				if got := fieldErrors(t, r); !slices.Equal(got, c.want) {
					t.Errorf("errors = %v, want %v", got, c.want)
				}
			})
		}
		mustStatus(t, e.do("POST", "/api/v1/tokens", req{invalid: true, as: "admin", body: `{"name": "x", "roles": ["reader"], "secret": "mine"}`}), 400)
		mustStatus(t, e.do("POST", "/api/v1/tokens", req{invalid: true, as: "admin", ctype: "text/plain", body: `{}`}), 415)
	})
}
