// Package web serves the directory to people: server-rendered HTML pages in the KERN
// UX design system of German administration, in German (/…) and English (/en/…),
// readable without JavaScript. The pages call the same coop services as the JSON API
// (no HTTP round trip), apply the same access rules (package auth), and share the
// API's Echo server and middleware; they add a session cookie, CSRF protection of
// every form and a strict Content-Security-Policy of their own.
package web

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
)

// Services is what the pages need of the store: the same interfaces the API uses.
type Services interface {
	coop.Directory
	coop.TokenService
	coop.SearchService
	coop.StatsService
	// DataVersion changes with every write (store.DB.DataVersion); the filter forms'
	// choices are kept per version.
	DataVersion(ctx context.Context) (int64, error)
}

// OIDCVerifier turns an ID token of the configured issuer into the actor it stands
// for (the API's verifier: the same roles and partner claims).
type OIDCVerifier interface {
	VerifyActor(ctx context.Context, rawJWT string) (coop.Actor, error)
}

// Options configure the pages.
type Options struct {
	PublicRead bool // anonymous reads of directory data (IKZ_PUBLIC_READ)
	// SessionKey signs and encrypts the session cookie (IKZ_SESSION_KEY); at least 32
	// bytes. Empty: a random key per process (sessions end with a restart and are not
	// shared between instances).
	SessionKey      []byte
	SessionLifetime time.Duration // IKZ_SESSION_LIFETIME; default 8 h
	// PublicURL is the base of the JSON-LD's URIs (IKZ_PUBLIC_URL); "" takes the
	// request's (opendata.BaseURL).
	PublicURL string
	// EmbedOrigins may show the /embed/… pages in a frame (IKZ_EMBED_ORIGINS).
	EmbedOrigins []string
	// OIDC, when set, signs people in with the authorization code flow and PKCE
	// instead of an API token.
	OIDC   *OIDCLogin
	Logger *slog.Logger
}

// Site is the web UI: its templates, session codec and routes.
type Site struct {
	svc      Services
	opt      Options
	log      *slog.Logger
	pages    *pageSet
	sessions *sessionCodec
	static   string // URL prefix of the embedded assets, with their content hash
	choices  *partnerChoices
	oidc     *oidcClient // nil: sign-in with API tokens
}

// New prepares the pages; Register adds their routes to the API's Echo server.
func New(svc Services, opt Options) (*Site, error) {
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.SessionLifetime <= 0 {
		opt.SessionLifetime = 8 * time.Hour
	}
	if len(opt.SessionKey) == 0 {
		opt.SessionKey = make([]byte, 32)
		_, _ = rand.Read(opt.SessionKey)
		opt.Logger.Warn("IKZ_SESSION_KEY is not set: sessions use a random key and end when the process restarts")
	}
	sc, err := newSessionCodec(opt.SessionKey, opt.SessionLifetime)
	if err != nil {
		return nil, err
	}
	ps, err := parsePages(true)
	if err != nil {
		return nil, err
	}
	s := &Site{svc: svc, opt: opt, log: opt.Logger, pages: ps, sessions: sc, choices: newPartnerChoices()}
	s.static = staticPrefix()
	if opt.OIDC != nil {
		if opt.OIDC.Issuer == "" || opt.OIDC.ClientID == "" || opt.OIDC.Verifier == nil {
			return nil, errors.New("web: the OIDC sign-in needs an issuer, a client id and a verifier")
		}
		s.oidc = &oidcClient{cfg: *opt.OIDC}
	}
	return s, nil
}

// Register adds every page route to e, German at the root and English under /en.
// It uses no group middleware, so paths outside the pages keep the API's behaviour.
func (s *Site) Register(e *echo.Echo) {
	e.GET("/static/:version/*", s.handleStatic)
	for _, lang := range []string{langDE, langEN} {
		p := prefixOf(lang)
		get := func(path string, h handler) { e.GET(p+path, s.page(lang, h)) }
		post := func(path string, h handler) { e.POST(p+path, s.page(lang, s.checkCSRF(h))) }
		if lang == langEN {
			get("", s.handleStart)
			get("/", s.handleStart)
		}
		get("/verzeichnis/vorhaben", s.handleProjects)
		get("/verzeichnis/vorhaben/:slug", s.handleProject)
		get("/verzeichnis/partner", s.handlePartners)
		get("/verzeichnis/partner/:slug", s.handlePartner)
		get("/verzeichnis/kooperationen", s.handleCooperations)
		get("/verzeichnis/kooperationen/:slug", s.handleCooperation)
		get("/verzeichnis/loesungen", s.handleSolutions)
		get("/verzeichnis/loesungen/:slug", s.handleSolution)
		get("/suche", s.handleSearch)
		get("/anmelden", s.handleSignInForm)
		post("/anmelden", s.handleSignIn)
		post("/abmelden", s.handleSignOut)
		s.registerForms(get, post)
		s.registerControlling(get)
		s.registerOIDC(lang, get)
		s.registerEmbed(e, lang)
	}
}

// StartPage serves the start page of the German site (GET / for browsers; the API
// answers other clients with its JSON index).
func (s *Site) StartPage(c echo.Context) error {
	return s.page(langDE, s.handleStart)(c)
}

// HandleError renders err as an HTML page for requests outside the API that accept
// HTML, and reports whether it did; the API renders everything else as problem+json.
func (s *Site) HandleError(err error, c echo.Context) bool {
	path := c.Request().URL.Path
	if strings.HasPrefix(path, "/api/") || !acceptsHTML(c.Request()) || c.Response().Committed {
		return false
	}
	lang := langDE
	if path == "/en" || strings.HasPrefix(path, "/en/") {
		lang = langEN
	}
	r := s.newRequest(c, lang)
	s.renderError(c, r, err)
	return true
}

// acceptsHTML reports whether the client prefers HTML to JSON (a browser's Accept).
func acceptsHTML(r *http.Request) bool { return httpapi.PrefersHTML(r.Header.Get("Accept")) }
