package auth_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
)

const testAudience = "ikz-verzeichnis"

// testIssuer is an OIDC issuer on an httptest server: discovery document and a JWKS
// holding the public half of Key under the key id "k1".
type testIssuer struct {
	URL string
	Key *rsa.PrivateKey
}

// MustIssuer starts a test issuer that is closed when the test ends.
func MustIssuer(tb testing.TB) *testIssuer {
	tb.Helper()
	key := MustRSAKey(tb)
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	tb.Cleanup(srv.Close)
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, map[string]any{
			"issuer":                                srv.URL,
			"jwks_uri":                              srv.URL + "/jwks",
			"authorization_endpoint":                srv.URL + "/auth",
			"token_endpoint":                        srv.URL + "/token",
			"id_token_signing_alg_values_supported": []string{"RS256", "HS256", "none"},
		})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
			{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"},
		}})
	})
	return &testIssuer{URL: srv.URL, Key: key}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// MustRSAKey makes a 2048-bit RSA key.
func MustRSAKey(tb testing.TB) *rsa.PrivateKey {
	tb.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		tb.Fatal(err)
	}
	return key
}

// MustSign returns claims as a compact JWS signed with key by alg under key id kid.
func MustSign(tb testing.TB, alg jose.SignatureAlgorithm, key any, kid string, claims map[string]any) string {
	tb.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: jose.JSONWebKey{Key: key, KeyID: kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		tb.Fatal(err)
	}
	raw, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		tb.Fatal(err)
	}
	return raw
}

// unsigned returns claims as a JWT with "alg": "none" and an empty signature.
func unsigned(tb testing.TB, claims map[string]any) string {
	tb.Helper()
	payload, err := json.Marshal(claims)
	if err != nil {
		tb.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc(payload) + "."
}

// validClaims are the claims of a token that passes every check.
func validClaims(issuer string) map[string]any {
	now := time.Now()
	return map[string]any{
		"iss":                issuer,
		"aud":                testAudience,
		"sub":                "u-123",
		"iat":                now.Unix(),
		"exp":                now.Add(5 * time.Minute).Unix(),
		"preferred_username": "jdoe",
		"name":               "Jane Doe",
		"roles":              []string{"editor"},
		"ikz_partners":       []string{"citeq", "lwl-it"},
	}
}

func TestOIDCVerify(t *testing.T) {
	is := MustIssuer(t)
	otherKey := MustRSAKey(t)
	sign := func(c map[string]any) string { return MustSign(t, jose.RS256, is.Key, "k1", c) }
	with := func(change func(c map[string]any)) string {
		c := validClaims(is.URL)
		change(c)
		return sign(c)
	}

	tests := []struct {
		name       string
		rolesClaim string
		token      string
		wantErr    error
		want       *auth.Principal
	}{
		{name: "valid", token: sign(validClaims(is.URL)),
			want: &auth.Principal{Kind: "oidc", ID: "u-123", Name: "jdoe", Roles: []auth.Role{auth.RoleEditor}, Partners: []string{"citeq", "lwl-it"}}},
		{name: "every known role, as a set", token: with(func(c map[string]any) {
			c["roles"] = []any{"reader", "offline_access", "admin", "controlling", "Reader"}
		}), want: &auth.Principal{Kind: "oidc", ID: "u-123", Name: "jdoe", Roles: []auth.Role{auth.RoleReader, auth.RoleControlling, auth.RoleAdmin}, Partners: []string{"citeq", "lwl-it"}}},
		{name: "editor and controlling", token: with(func(c map[string]any) {
			c["roles"] = []any{"editor", "controlling"}
		}), want: &auth.Principal{Kind: "oidc", ID: "u-123", Name: "jdoe", Roles: []auth.Role{auth.RoleControlling, auth.RoleEditor}, Partners: []string{"citeq", "lwl-it"}}},
		{name: "single string role, single partner, name fallback", token: with(func(c map[string]any) {
			c["roles"] = "Controlling"
			c["ikz_partners"] = "citeq"
			delete(c, "preferred_username")
		}), want: &auth.Principal{Kind: "oidc", ID: "u-123", Name: "Jane Doe", Roles: []auth.Role{auth.RoleControlling}, Partners: []string{"citeq"}}},
		{name: "no partners claim, sub as name, audience list", token: with(func(c map[string]any) {
			c["aud"] = []string{"account", testAudience}
			delete(c, "ikz_partners")
			delete(c, "preferred_username")
			delete(c, "name")
		}), want: &auth.Principal{Kind: "oidc", ID: "u-123", Name: "u-123", Roles: []auth.Role{auth.RoleEditor}}},
		{name: "keycloak realm_access.roles", rolesClaim: "realm_access.roles", token: with(func(c map[string]any) {
			delete(c, "roles")
			c["realm_access"] = map[string]any{"roles": []string{"offline_access", "uma_authorization", "reader"}}
		}), want: &auth.Principal{Kind: "oidc", ID: "u-123", Name: "jdoe", Roles: []auth.Role{auth.RoleReader}, Partners: []string{"citeq", "lwl-it"}}},
		{name: "namespaced claim name with dots", rolesClaim: "https://ikz.example/roles", token: with(func(c map[string]any) {
			c["https://ikz.example/roles"] = []string{"admin"}
		}), want: &auth.Principal{Kind: "oidc", ID: "u-123", Name: "jdoe", Roles: []auth.Role{auth.RoleAdmin}, Partners: []string{"citeq", "lwl-it"}}},

		{name: "expired", token: with(func(c map[string]any) {
			c["iat"] = time.Now().Add(-time.Hour).Unix()
			c["exp"] = time.Now().Add(-time.Minute).Unix()
		}), wantErr: auth.ErrInvalidToken},
		{name: "not yet valid", token: with(func(c map[string]any) { c["nbf"] = time.Now().Add(time.Hour).Unix() }),
			wantErr: auth.ErrInvalidToken},
		{name: "wrong audience", token: with(func(c map[string]any) { c["aud"] = "another-client" }),
			wantErr: auth.ErrInvalidToken},
		{name: "no audience", token: with(func(c map[string]any) { delete(c, "aud") }),
			wantErr: auth.ErrInvalidToken},
		{name: "wrong issuer", token: with(func(c map[string]any) { c["iss"] = "https://evil.example" }),
			wantErr: auth.ErrInvalidToken},
		{name: "signed with another key, same kid", token: MustSign(t, jose.RS256, otherKey, "k1", validClaims(is.URL)),
			wantErr: auth.ErrInvalidToken},
		{name: "signed with another key, unknown kid", token: MustSign(t, jose.RS256, otherKey, "k2", validClaims(is.URL)),
			wantErr: auth.ErrInvalidToken},
		{name: "alg none", token: unsigned(t, validClaims(is.URL)), wantErr: auth.ErrInvalidToken},
		{name: "alg HS256", token: MustSign(t, jose.HS256, []byte(strings.Repeat("s", 32)), "k1", validClaims(is.URL)),
			wantErr: auth.ErrInvalidToken},
		{name: "tampered payload", token: tamper(t, sign(validClaims(is.URL))), wantErr: auth.ErrInvalidToken},
		{name: "no sub", token: with(func(c map[string]any) { delete(c, "sub") }), wantErr: auth.ErrInvalidToken},
		{name: "not a JWT", token: "ikz_notajwt", wantErr: auth.ErrInvalidToken},
		{name: "missing role claim", token: with(func(c map[string]any) { delete(c, "roles") }), wantErr: auth.ErrNoRole},
		{name: "only unknown roles", token: with(func(c map[string]any) { c["roles"] = []string{"offline_access", "superuser"} }),
			wantErr: auth.ErrNoRole},
		{name: "role claim of wrong type", token: with(func(c map[string]any) { c["roles"] = 42 }), wantErr: auth.ErrNoRole},
		{name: "roles at top level, configured nested", rolesClaim: "realm_access.roles", token: sign(validClaims(is.URL)),
			wantErr: auth.ErrNoRole},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := auth.NewOIDCVerifier(context.Background(), auth.OIDCConfig{
				Issuer: is.URL, Audience: testAudience, RolesClaim: tt.rolesClaim,
			})
			if err != nil {
				t.Fatalf("NewOIDCVerifier: %v", err)
			}
			got, err := v.Verify(context.Background(), tt.token)
			if tt.wantErr != nil {
				t.Logf("error: %v", err)
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Verify error = %v, want %v", err, tt.wantErr)
				}
				if got != nil {
					t.Errorf("Verify returned principal %+v with error", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if got.Kind != tt.want.Kind || got.ID != tt.want.ID || got.Name != tt.want.Name ||
				!slices.Equal(got.Roles, tt.want.Roles) || !slices.Equal(got.Partners, tt.want.Partners) {
				t.Errorf("Verify = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// tamper changes the payload of a signed JWT while keeping its signature.
func tamper(tb testing.TB, raw string) string {
	tb.Helper()
	parts := strings.Split(raw, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		tb.Fatal(err)
	}
	payload = []byte(strings.Replace(string(payload), `"editor"`, `"admin"`, 1))
	parts[1] = base64.RawURLEncoding.EncodeToString(payload)
	return strings.Join(parts, ".")
}

func TestOIDCVerifyExpiredCause(t *testing.T) {
	is := MustIssuer(t)
	c := validClaims(is.URL)
	c["exp"] = time.Now().Add(-time.Second).Unix()
	v, err := auth.NewOIDCVerifier(context.Background(), auth.OIDCConfig{Issuer: is.URL, Audience: testAudience})
	if err != nil {
		t.Fatal(err)
	}
	_, err = v.Verify(context.Background(), MustSign(t, jose.RS256, is.Key, "k1", c))
	var expired *oidc.TokenExpiredError
	if !errors.As(err, &expired) || !errors.Is(err, auth.ErrUnauthenticated) {
		t.Errorf("Verify error = %v, want a TokenExpiredError wrapped as ErrUnauthenticated", err)
	}
}

func TestNewOIDCVerifierErrors(t *testing.T) {
	is := MustIssuer(t)
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	notFound := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(notFound.Close)
	tests := []struct {
		name string
		cfg  auth.OIDCConfig
	}{
		{"no issuer", auth.OIDCConfig{Audience: testAudience}},
		{"no audience", auth.OIDCConfig{Issuer: is.URL}},
		{"issuer differs from discovery", auth.OIDCConfig{Issuer: is.URL + "/", Audience: testAudience}},
		{"issuer unreachable", auth.OIDCConfig{Issuer: down.URL, Audience: testAudience}},
		{"no discovery document", auth.OIDCConfig{Issuer: notFound.URL, Audience: testAudience}},
	}
	for _, tt := range tests {
		if v, err := auth.NewOIDCVerifier(context.Background(), tt.cfg); err == nil || v != nil {
			t.Errorf("%s: NewOIDCVerifier = %v, %v; want an error", tt.name, v, err)
		}
	}
}
