package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// oidcProvider is a small OpenID Connect provider on loopback for one client: discovery,
// JWKS, an authorization endpoint that signs in user at once (no login form) and a token
// endpoint that checks the code, the redirect URI, the client secret and the PKCE
// verifier (S256) before it issues an ID token with the request's nonce.
type oidcProvider struct {
	url, clientID, secret string
	key                   *rsa.PrivateKey

	mu        sync.Mutex
	user      map[string]any // claims of the person signing in
	badNonce  bool           // put another nonce into the ID token
	codes     map[string]authRequest
	methods   []string // code_challenge_method of every authorization request
	verified  int      // token requests whose PKCE verifier matched
	refusedPK int      // token requests whose PKCE verifier did not match
}

type authRequest struct{ redirect, nonce, challenge string }

func startProvider(t *testing.T, clientID, secret string) *oidcProvider {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &oidcProvider{clientID: clientID, secret: secret, key: key, codes: map[string]authRequest{}}
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	p.url = srv.URL
	js := func(w http.ResponseWriter, status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		js(w, 200, map[string]any{"issuer": p.url, "jwks_uri": p.url + "/jwks",
			"authorization_endpoint": p.url + "/authorize", "token_endpoint": p.url + "/token",
			"response_types_supported": []string{"code"}, "code_challenge_methods_supported": []string{"S256"},
			"id_token_signing_alg_values_supported": []string{"RS256"}})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, _ *http.Request) {
		js(w, 200, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	mux.HandleFunc("GET /authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		p.mu.Lock()
		p.methods = append(p.methods, q.Get("code_challenge_method"))
		p.mu.Unlock()
		if q.Get("client_id") != clientID || q.Get("response_type") != "code" || !strings.Contains(q.Get("scope"), "openid") ||
			q.Get("code_challenge") == "" || q.Get("state") == "" || q.Get("nonce") == "" {
			http.Error(w, "bad authorization request", http.StatusBadRequest)
			return
		}
		cb := make([]byte, 18)
		_, _ = rand.Read(cb)
		code := base64.RawURLEncoding.EncodeToString(cb)
		p.mu.Lock()
		p.codes[code] = authRequest{redirect: q.Get("redirect_uri"), nonce: q.Get("nonce"), challenge: q.Get("code_challenge")}
		p.mu.Unlock()
		back, _ := url.Parse(q.Get("redirect_uri"))
		bq := back.Query()
		bq.Set("code", code)
		bq.Set("state", q.Get("state"))
		back.RawQuery = bq.Encode()
		http.Redirect(w, r, back.String(), http.StatusFound)
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		id, sec, ok := r.BasicAuth()
		if !ok {
			id, sec = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
		}
		if id != clientID || sec != secret {
			js(w, 401, map[string]string{"error": "invalid_client"})
			return
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		req, known := p.codes[r.PostForm.Get("code")]
		delete(p.codes, r.PostForm.Get("code")) // a code is used once
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		switch {
		case r.PostForm.Get("grant_type") != "authorization_code" || !known || r.PostForm.Get("redirect_uri") != req.redirect:
			js(w, 400, map[string]string{"error": "invalid_grant"})
			return
		case subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(req.challenge)) != 1:
			p.refusedPK++
			js(w, 400, map[string]string{"error": "invalid_grant", "error_description": "PKCE verifier does not match"})
			return
		}
		p.verified++
		claims := map[string]any{"iss": p.url, "aud": clientID, "iat": time.Now().Unix(),
			"exp": time.Now().Add(5 * time.Minute).Unix(), "nonce": req.nonce}
		if p.badNonce {
			claims["nonce"] = "another-" + req.nonce
		}
		for k, v := range p.user {
			claims[k] = v
		}
		js(w, 200, map[string]any{"access_token": "at-" + r.PostForm.Get("code"), "token_type": "Bearer",
			"expires_in": 300, "id_token": p.sign(t, claims)})
	})
	return p
}

func (p *oidcProvider) sign(t *testing.T, claims map[string]any) string {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: p.key, KeyID: "k1"}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func (p *oidcProvider) set(f func(p *oidcProvider)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f(p)
}

// webBrowser is a browser for the sign-in: cookies, HTML accepted, redirects followed
// (or not).
type webBrowser struct {
	c *http.Client
}

func newWebBrowser(follow bool) *webBrowser {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 20 * time.Second}
	if !follow {
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	return &webBrowser{c: c}
}

func (b *webBrowser) get(t *testing.T, u string) (int, string, *url.URL) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Accept", "text/html")
	res, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if loc, err := res.Location(); err == nil {
		return res.StatusCode, string(body), loc
	}
	return res.StatusCode, string(body), res.Request.URL
}

// TestWebOIDCSignIn: with IKZ_OIDC_ISSUER, people sign in at the provider with the
// authorization code flow and PKCE (S256); the state, the nonce and the flow cookie
// are checked; the roles and partner bindings come from the ID token as the API reads
// them; the ID token of the pages' client is no API credential.
func TestWebOIDCSignIn(t *testing.T) {
	p := startProvider(t, "ikz-web", "web-secret")
	env := map[string]string{
		"IKZ_DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "oidc.db"), "IKZ_LISTEN_ADDR": freeAddr(t),
		"IKZ_LOG_LEVEL": "error", "IKZ_OIDC_ISSUER": p.url, "IKZ_OIDC_AUDIENCE": "ikz-api",
		"IKZ_OIDC_CLIENT_ID": "ikz-web", "IKZ_OIDC_CLIENT_SECRET": "web-secret",
	}
	base, _, _, _ := startServe(t, env)
	editor := map[string]any{"sub": "u-anna", "preferred_username": "Anna Beispiel", "roles": []string{"editor"},
		"ikz_partners": []string{"citeq"}}
	p.set(func(p *oidcProvider) { p.user = editor })

	t.Run("sign-in", func(t *testing.T) {
		b := newWebBrowser(true)
		status, body, _ := b.get(t, base+"/anmelden")
		if status != 200 || !strings.Contains(body, `href="/anmelden/oidc"`) || strings.Contains(body, `name="token"`) {
			t.Fatalf("sign-in page: %d, want the provider's button and no token field\n%.2000s", status, body)
		}
		status, body, at := b.get(t, base+"/anmelden/oidc?weiter="+url.QueryEscape("/verzeichnis/vorhaben/it-hotline"))
		if status != 200 || at.Path != "/verzeichnis/vorhaben/it-hotline" {
			t.Fatalf("after the sign-in: %d at %s\n%.2000s", status, at, body)
		}
		if !strings.Contains(body, "Anna Beispiel") || !strings.Contains(body, "/verzeichnis/vorhaben/it-hotline/bearbeiten") {
			t.Errorf("an editor of citeq should be signed in and may edit it-hotline:\n%.3000s", body)
		}
		if _, body, _ := b.get(t, base+"/verzeichnis/vorhaben/dips-kommunal"); strings.Contains(body, "/bearbeiten") {
			t.Error("the editor of citeq may edit lwl's dips-kommunal")
		}
		p.mu.Lock()
		methods, verified := p.methods, p.verified
		p.mu.Unlock()
		if len(methods) != 1 || methods[0] != "S256" || verified != 1 {
			t.Errorf("PKCE: challenge methods %v, verified token requests %d; want [S256], 1", methods, verified)
		}
		// the session cookie is no API credential
		req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/changes", nil)
		res, err := b.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("API with the session cookie: %d", res.StatusCode)
		}
		// the token form is not offered
		if status, _, _ := b.get(t, base+"/en/anmelden"); status != 200 {
			t.Errorf("English sign-in page: %d", status)
		}
	})

	// start begins a flow in b and returns the callback URL the provider sends back.
	start := func(t *testing.T, b *webBrowser) *url.URL {
		t.Helper()
		status, _, loc := b.get(t, base+"/anmelden/oidc")
		if status != http.StatusSeeOther || !strings.HasPrefix(loc.String(), p.url+"/authorize?") {
			t.Fatalf("start: %d %s", status, loc)
		}
		q := loc.Query()
		if q.Get("redirect_uri") != base+"/anmelden/oidc/zurueck" || q.Get("code_challenge_method") != "S256" || q.Get("client_id") != "ikz-web" {
			t.Fatalf("authorization request: %s", loc)
		}
		status, _, back := b.get(t, loc.String())
		if status != http.StatusFound {
			t.Fatalf("provider: %d", status)
		}
		return back
	}
	signedIn := func(t *testing.T, b *webBrowser) bool {
		_, body, _ := b.get(t, base+"/")
		return strings.Contains(body, "Angemeldet")
	}

	t.Run("forged state", func(t *testing.T) {
		b := newWebBrowser(false)
		back := start(t, b)
		q := back.Query()
		q.Set("state", "forged")
		back.RawQuery = q.Encode()
		if status, body, _ := b.get(t, back.String()); status != http.StatusBadRequest || !strings.Contains(body, "gehört nicht zu dieser Anmeldung") {
			t.Errorf("forged state: %d\n%.1500s", status, body)
		}
		if signedIn(t, b) {
			t.Error("signed in with a forged state")
		}
	})

	t.Run("callback in another browser", func(t *testing.T) {
		back := start(t, newWebBrowser(false))
		other := newWebBrowser(false)
		if status, _, _ := other.get(t, back.String()); status != http.StatusBadRequest {
			t.Errorf("callback without the flow cookie: %d", status)
		}
		if signedIn(t, other) {
			t.Error("signed in without the flow cookie")
		}
	})

	t.Run("callback twice", func(t *testing.T) {
		b := newWebBrowser(false)
		back := start(t, b)
		if status, _, _ := b.get(t, back.String()); status != http.StatusSeeOther {
			t.Fatalf("callback: %d", status)
		}
		if status, _, _ := b.get(t, back.String()); status != http.StatusBadRequest {
			t.Errorf("the same callback again: %d, want 400 (the flow cookie is used once)", status)
		}
	})

	t.Run("wrong nonce", func(t *testing.T) {
		p.set(func(p *oidcProvider) { p.badNonce = true })
		defer p.set(func(p *oidcProvider) { p.badNonce = false })
		b := newWebBrowser(false)
		back := start(t, b)
		if status, body, _ := b.get(t, back.String()); status != http.StatusUnauthorized || !strings.Contains(body, "ID-Token") {
			t.Errorf("ID token with another nonce: %d\n%.1500s", status, body)
		}
		if signedIn(t, b) {
			t.Error("signed in with another nonce")
		}
	})

	t.Run("provider refuses", func(t *testing.T) {
		b := newWebBrowser(false)
		back := start(t, b)
		q := url.Values{"error": {"access_denied"}, "state": {back.Query().Get("state")}}
		if status, body, _ := b.get(t, base+"/anmelden/oidc/zurueck?"+q.Encode()); status != http.StatusUnauthorized ||
			!strings.Contains(body, "access_denied") {
			t.Errorf("provider error: %d\n%.1500s", status, body)
		}
	})

	t.Run("no known role", func(t *testing.T) {
		p.set(func(p *oidcProvider) { p.user = map[string]any{"sub": "u-x", "roles": []string{"chef"}} })
		defer p.set(func(p *oidcProvider) { p.user = editor })
		b := newWebBrowser(false)
		back := start(t, b)
		if status, body, _ := b.get(t, back.String()); status != http.StatusForbidden || !strings.Contains(body, "keine Rolle") {
			t.Errorf("no known role: %d\n%.1500s", status, body)
		}
	})

	t.Run("the pages' ID token is no API credential", func(t *testing.T) {
		raw := p.sign(t, map[string]any{"iss": p.url, "aud": "ikz-web", "sub": "u-anna", "roles": []string{"admin"},
			"iat": time.Now().Unix(), "exp": time.Now().Add(time.Minute).Unix()})
		req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/changes", nil)
		req.Header.Set("Authorization", "Bearer "+raw)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("API with an ID token for the pages' client: %d, want 401 (audience ikz-api)", res.StatusCode)
		}
	})
}
