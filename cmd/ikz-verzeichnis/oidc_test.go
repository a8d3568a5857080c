package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/config"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// fakePartners resolves the slugs it knows.
type fakePartners map[string]string

func (f fakePartners) FindPartner(_ context.Context, ref string) (coop.Partner, error) {
	if id, ok := f[ref]; ok {
		return coop.Partner{Meta: coop.Meta{ID: id, Slug: ref}}, nil
	}
	return coop.Partner{}, coop.Errorf(coop.ENotFound, "no partner %q", ref)
}

// mustIssuer starts an OIDC issuer (discovery + JWKS) and returns its URL and a signer.
func mustIssuer(t *testing.T) (string, func(map[string]any) string) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	writeJSON := func(w http.ResponseWriter, v any) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
	}
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, map[string]any{"issuer": srv.URL, "jwks_uri": srv.URL + "/jwks",
			"authorization_endpoint": srv.URL + "/auth", "id_token_signing_alg_values_supported": []string{"RS256"}})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: "k1"}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	sign := func(claims map[string]any) string {
		raw, err := jwt.Signed(signer).Claims(claims).Serialize()
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	return srv.URL, sign
}

func TestOIDCActors(t *testing.T) {
	issuer, sign := mustIssuer(t)
	cfg := config.Default()
	cfg.OIDCIssuer, cfg.OIDCAudience = issuer, "ikz"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	v := newOIDC(ctx, cfg, fakePartners{"citeq": "id-citeq", "lwl-it": "id-lwl-it"}, log)
	if v == nil {
		t.Fatal("newOIDC: nil")
	}
	claims := func(roles []string, partners ...string) map[string]any {
		now := time.Now()
		return map[string]any{"iss": issuer, "aud": "ikz", "sub": "u-1", "preferred_username": "redaktion",
			"iat": now.Unix(), "exp": now.Add(time.Minute).Unix(), "roles": roles, "ikz_partners": partners}
	}
	// Discovery runs in the background.
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := v.VerifyActor(ctx, sign(claims([]string{"reader"})))
		if coop.ErrorCode(err) != coop.EUnavailable {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("OIDC discovery did not finish")
		}
		time.Sleep(20 * time.Millisecond)
	}

	a, err := v.VerifyActor(ctx, sign(claims([]string{"editor"}, "citeq", "gibt-es-nicht")))
	if err != nil {
		t.Fatal(err)
	}
	if a.Type != "oidc" || a.ID != "u-1" || a.Name != "redaktion" || !slices.Equal(a.Roles, []string{"editor"}) ||
		!slices.Equal(a.Partners, []string{"id-citeq", unknownPartner + "gibt-es-nicht"}) {
		t.Errorf("editor: %+v", a)
	}
	// Only unknown partners: still bound, to nothing — never unbound.
	a, err = v.VerifyActor(ctx, sign(claims([]string{"editor"}, "gibt-es-nicht")))
	if err != nil || len(a.Partners) != 1 || auth.MayEditProject(auth.PrincipalOf(a), []string{"id-citeq"}, []string{"id-citeq"}) {
		t.Errorf("editor bound to an unknown partner: %+v, %v", a, err)
	}
	a, err = v.VerifyActor(ctx, sign(claims([]string{"reader", "controlling"}, "citeq")))
	if err != nil || !slices.Equal(a.Roles, []string{"reader", "controlling"}) || a.Partners != nil {
		t.Errorf("controlling: %+v, %v", a, err)
	}
	// editor and controlling: both roles, the editor bound to its partners
	a, err = v.VerifyActor(ctx, sign(claims([]string{"controlling", "editor", "chef"}, "citeq")))
	if err != nil || !slices.Equal(a.Roles, []string{"controlling", "editor"}) || !slices.Equal(a.Partners, []string{"id-citeq"}) {
		t.Errorf("editor and controlling: %+v, %v", a, err)
	}
	if p := auth.PrincipalOf(a); !auth.CanWriteFinance(p) || !auth.CanSeeFinance(p) || !p.Bound() {
		t.Errorf("editor and controlling: may write finance %v, see finance %v, bound %v", auth.CanWriteFinance(p), auth.CanSeeFinance(p), p.Bound())
	}
	_, err = v.VerifyActor(ctx, sign(claims([]string{"chef"})))
	if coop.ErrorCode(err) != coop.EForbidden {
		t.Errorf("no known role: %v", err)
	}
	expired := claims([]string{"admin"})
	expired["exp"] = time.Now().Add(-time.Hour).Unix()
	for _, raw := range []string{sign(expired), "not-a-jwt"} {
		if _, err := v.VerifyActor(ctx, raw); coop.ErrorCode(err) != coop.EUnauthorized {
			t.Errorf("bad token: %v", err)
		}
	}
}

func TestOIDCIssuerDown(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	cfg := config.Default()
	cfg.OIDCIssuer, cfg.OIDCAudience = url, "ikz"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	v := newOIDC(ctx, cfg, fakePartners{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if _, err := v.VerifyActor(ctx, "x.y.z"); coop.ErrorCode(err) != coop.EUnavailable {
		t.Errorf("issuer down: %v, want EUnavailable", err)
	}
	cfg.OIDCIssuer = ""
	if v := newOIDC(ctx, cfg, fakePartners{}, nil); v != nil {
		t.Errorf("without issuer: %v, want nil", v)
	}
}
