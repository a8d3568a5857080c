package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/labstack/echo/v4"
	"golang.org/x/oauth2"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// OIDCLogin configures the sign-in of people with an OpenID Connect provider: the
// authorization code flow with PKCE (S256), a state against forged callbacks and a
// nonce against replayed ID tokens. The API keeps accepting bearer JWTs on its own
// (IKZ_OIDC_AUDIENCE); this is the pages' sign-in.
type OIDCLogin struct {
	Issuer       string // IKZ_OIDC_ISSUER
	ClientID     string // IKZ_OIDC_CLIENT_ID
	ClientSecret string // IKZ_OIDC_CLIENT_SECRET; "" for a public client (PKCE alone)
	// PublicURL is the service's external base URL (IKZ_PUBLIC_URL); the provider sends
	// the browser back to PublicURL + /anmelden/oidc/zurueck. Empty: the request's own
	// scheme and host.
	PublicURL string
	// Verifier reads the roles and partner bindings from the ID token with the API's
	// rules (its audience must be ClientID), so that a person has the same rights on
	// the pages as with a JWT at the API.
	Verifier OIDCVerifier
	// HTTPClient reaches the provider (discovery, keys, token endpoint); nil: the
	// default client.
	HTTPClient *http.Client
}

// oidcCallback is the one redirect URI of the sign-in (the provider needs it exactly;
// the language travels in the flow cookie).
const oidcCallback = "/anmelden/oidc/zurueck"

// oidcFlowCookie holds state, nonce and PKCE verifier between leaving for the provider
// and coming back: signed and encrypted like the session, for ten minutes.
const (
	oidcFlowCookie = "ikz_oidc"
	oidcFlowTTL    = 10 * time.Minute
)

type oidcFlow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"` // PKCE code verifier
	Next     string `json:"w,omitempty"`
	Lang     string `json:"l"`
	Expires  int64  `json:"e"`
}

// oidcClient is the discovered provider, found on first use and kept (a provider that
// is down at start-up must not keep the directory from serving).
type oidcClient struct {
	cfg OIDCLogin
	mu  sync.Mutex
	p   *oidc.Provider
}

func (o *oidcClient) ctx(ctx context.Context) context.Context {
	if o.cfg.HTTPClient != nil {
		return oidc.ClientContext(ctx, o.cfg.HTTPClient)
	}
	return ctx
}

// provider returns the discovered provider; an unreachable one is EUnavailable.
func (o *oidcClient) provider(ctx context.Context) (*oidc.Provider, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.p != nil {
		return o.p, nil
	}
	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	// the provider keeps the context for fetching its keys later: not the request's
	p, err := oidc.NewProvider(o.ctx(context.WithoutCancel(dctx)), o.cfg.Issuer)
	if err != nil {
		return nil, coop.Errorf(coop.EUnavailable, "Der Anmeldedienst ist nicht erreichbar. Bitte versuchen Sie es später erneut.")
	}
	o.p = p
	return p, nil
}

func (o *oidcClient) oauth2(p *oidc.Provider, redirect string) *oauth2.Config {
	return &oauth2.Config{ClientID: o.cfg.ClientID, ClientSecret: o.cfg.ClientSecret, Endpoint: p.Endpoint(),
		RedirectURL: redirect, Scopes: []string{oidc.ScopeOpenID, "profile"}}
}

// registerOIDC adds the OIDC sign-in routes when configured: the start in both
// languages, the callback once.
func (s *Site) registerOIDC(lang string, get func(string, handler)) {
	if s.oidc == nil {
		return
	}
	get("/anmelden/oidc", s.handleOIDCStart)
	if lang == langDE {
		get(oidcCallback, s.handleOIDCCallback)
	}
}

// redirectURL is the callback under the public URL, or under the request's origin.
func (s *Site) redirectURL(c echo.Context) string {
	base := strings.TrimRight(s.oidc.cfg.PublicURL, "/")
	if base == "" {
		base = c.Scheme() + "://" + c.Request().Host
	}
	return base + oidcCallback
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// handleOIDCStart sends the browser to the provider with a fresh state, nonce and PKCE
// challenge, and keeps them in the flow cookie.
func (s *Site) handleOIDCStart(c echo.Context, r *request) error {
	p, err := s.oidc.provider(c.Request().Context())
	if err != nil {
		return err
	}
	f := oidcFlow{State: randomToken(), Nonce: randomToken(), Verifier: oauth2.GenerateVerifier(),
		Next: safeNext(c.QueryParam("weiter")), Lang: r.lang, Expires: time.Now().Add(oidcFlowTTL).Unix()}
	v, err := s.sessions.sc.Encode(oidcFlowCookie, f)
	if err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: oidcFlowCookie, Value: v, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: isTLS(c), MaxAge: int(oidcFlowTTL.Seconds())})
	target := s.oidc.oauth2(p, s.redirectURL(c)).AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier))
	return c.Redirect(http.StatusSeeOther, target)
}

// providerError is the shape of an OAuth error code (RFC 6749 §4.1.2.1): shown only if
// it has it.
var providerError = regexp.MustCompile(`^[a-z_]{1,64}$`)

// handleOIDCCallback finishes the sign-in: the flow cookie must exist and name the
// state the provider returned; the code is exchanged with the PKCE verifier; the ID
// token must verify (signature, issuer, audience = client id, expiry) and carry the
// nonce; the API's rules read the roles from it. Then a session starts.
func (s *Site) handleOIDCCallback(c echo.Context, r *request) error {
	f, ok := s.readFlow(c)
	// one use: the cookie goes whatever happens next
	c.SetCookie(&http.Cookie{Name: oidcFlowCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: isTLS(c)})
	if !ok {
		return coop.Errorf(coop.EInvalid, "%s", r.T("Die Anmeldung ist abgelaufen oder wurde nicht in diesem Browser begonnen. Bitte melden Sie sich erneut an."))
	}
	r.lang = f.Lang
	q := c.QueryParams()
	if e := q.Get("error"); e != "" {
		msg := r.T("Der Anmeldedienst hat die Anmeldung nicht bestätigt.")
		if providerError.MatchString(e) {
			msg += " (" + e + ")"
		}
		return coop.Errorf(coop.EUnauthorized, "%s", msg)
	}
	state, code := q.Get("state"), q.Get("code")
	if state == "" || subtle.ConstantTimeCompare([]byte(state), []byte(f.State)) != 1 {
		return coop.Errorf(coop.EInvalid, "%s", r.T("Die Antwort des Anmeldedienstes gehört nicht zu dieser Anmeldung. Bitte melden Sie sich erneut an."))
	}
	if code == "" || len(code) > 4096 {
		return coop.Errorf(coop.EInvalid, "%s", r.T("Der Anmeldedienst hat keinen Code gesendet."))
	}
	ctx := c.Request().Context()
	p, err := s.oidc.provider(ctx)
	if err != nil {
		return err
	}
	tok, err := s.oidc.oauth2(p, s.redirectURL(c)).Exchange(s.oidc.ctx(ctx), code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		s.log.WarnContext(ctx, "OIDC code exchange failed", "err", err.Error())
		return coop.Errorf(coop.EUnauthorized, "%s", r.T("Der Anmeldedienst hat die Anmeldung nicht bestätigt."))
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return coop.Errorf(coop.EUnauthorized, "%s", r.T("Der Anmeldedienst hat kein ID-Token gesendet."))
	}
	id, err := p.Verifier(&oidc.Config{ClientID: s.oidc.cfg.ClientID}).Verify(s.oidc.ctx(ctx), raw)
	if err != nil || subtle.ConstantTimeCompare([]byte(id.Nonce), []byte(f.Nonce)) != 1 {
		if err != nil {
			s.log.WarnContext(ctx, "OIDC ID token refused", "err", err.Error())
		}
		return coop.Errorf(coop.EUnauthorized, "%s", r.T("Das ID-Token des Anmeldedienstes ist ungültig oder gehört nicht zu dieser Anmeldung."))
	}
	a, err := s.oidc.cfg.Verifier.VerifyActor(ctx, raw)
	switch {
	case err == nil:
	case coop.ErrorCode(err) == coop.EForbidden:
		return coop.Errorf(coop.EForbidden, "%s", r.T("Ihr Konto hat keine Rolle in diesem Verzeichnis. Die Administration Ihres Anmeldedienstes kann sie vergeben."))
	case coop.ErrorCode(err) == coop.EUnauthorized:
		return coop.Errorf(coop.EUnauthorized, "%s", r.T("Das ID-Token des Anmeldedienstes ist ungültig oder gehört nicht zu dieser Anmeldung."))
	default:
		return err
	}
	sess := s.sessions.fresh()
	sess.Actor = sessionActorOf(a)
	s.sessions.write(c, sess)
	return c.Redirect(http.StatusSeeOther, s.afterSignIn(f.Lang, f.Next))
}

// readFlow returns the unexpired flow cookie of the request.
func (s *Site) readFlow(c echo.Context) (oidcFlow, bool) {
	var f oidcFlow
	ck, err := c.Cookie(oidcFlowCookie)
	if err != nil || s.sessions.sc.Decode(oidcFlowCookie, ck.Value, &f) != nil ||
		f.State == "" || f.Nonce == "" || f.Verifier == "" || time.Now().Unix() >= f.Expires {
		return oidcFlow{}, false
	}
	if f.Lang != langEN {
		f.Lang = langDE
	}
	f.Next = safeNext(f.Next)
	return f, true
}

// sessionActorOf is what a session keeps of a person an OIDC sign-in verified.
func sessionActorOf(a coop.Actor) *sessionActor {
	return &sessionActor{ID: a.ID, Name: a.Name, Roles: a.Roles, Partners: a.Partners}
}
