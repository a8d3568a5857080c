package web

import (
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// sessionCookie is the name of the session cookie. Only the pages read it: the API's
// authentication reads the Authorization header alone, so a cookie never authorises an
// API call.
const sessionCookie = "ikz_session"

// csrfField is the form field that carries the CSRF token.
const csrfField = "_csrf"

// session is the content of the session cookie, signed (HMAC-SHA256) and encrypted
// (AES-256) by gorilla/securecookie. Every visitor who is shown a form gets one with a
// CSRF token; signing in adds the caller.
type session struct {
	CSRF    string `json:"c"`
	Expires int64  `json:"e"` // Unix seconds; the session ends then
	// Token is the API token a person signed in with. It is checked again on every
	// request, so a revoked or expired token ends the session at once.
	Token string `json:"t,omitempty"`
	// Actor is the person an OIDC sign-in verified (kind oidc), kept for the session.
	Actor *sessionActor `json:"a,omitempty"`
}

type sessionActor struct {
	ID       string   `json:"i"`
	Name     string   `json:"n"`
	Roles    []string `json:"r"`
	Partners []string `json:"p,omitempty"`
}

// signedIn reports whether the session carries a caller.
func (s *session) signedIn() bool { return s != nil && (s.Token != "" || s.Actor != nil) }

// sessionCodec reads and writes the session cookie.
type sessionCodec struct {
	sc       *securecookie.SecureCookie
	lifetime time.Duration
}

// newSessionCodec derives the signing and the encryption key from key (HKDF-SHA256).
func newSessionCodec(key []byte, lifetime time.Duration) (*sessionCodec, error) {
	if len(key) < 32 {
		return nil, fmt.Errorf("session key: want at least 32 bytes, got %d", len(key))
	}
	hashKey, err := hkdf.Key(sha256.New, key, nil, "ikz-verzeichnis session hmac", 32)
	if err != nil {
		return nil, err
	}
	blockKey, err := hkdf.Key(sha256.New, key, nil, "ikz-verzeichnis session aes", 32)
	if err != nil {
		return nil, err
	}
	sc := securecookie.New(hashKey, blockKey).MaxAge(int(lifetime.Seconds())).MaxLength(4096)
	sc.SetSerializer(securecookie.JSONEncoder{})
	return &sessionCodec{sc: sc, lifetime: lifetime}, nil
}

// read returns the valid, unexpired session of the request, or nil.
func (sc *sessionCodec) read(c echo.Context) *session {
	ck, err := c.Cookie(sessionCookie)
	if err != nil || ck.Value == "" {
		return nil
	}
	var s session
	if err := sc.sc.Decode(sessionCookie, ck.Value, &s); err != nil {
		return nil
	}
	if s.CSRF == "" || time.Now().Unix() >= s.Expires {
		return nil
	}
	return &s
}

// write sends s as the session cookie: HttpOnly, SameSite=Lax, Secure behind TLS.
func (sc *sessionCodec) write(c echo.Context, s *session) {
	v, err := sc.sc.Encode(sessionCookie, s)
	if err != nil {
		return
	}
	c.SetCookie(&http.Cookie{
		Name: sessionCookie, Value: v, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: isTLS(c), Expires: time.Unix(s.Expires, 0),
	})
}

// clear deletes the session cookie.
func (sc *sessionCodec) clear(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: isTLS(c)})
}

// fresh is a new session without a caller.
func (sc *sessionCodec) fresh() *session {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return &session{CSRF: base64.RawURLEncoding.EncodeToString(b), Expires: time.Now().Add(sc.lifetime).Unix()}
}

// isTLS reports whether the client reached us over TLS (directly or through a proxy
// that says so).
func isTLS(c echo.Context) bool {
	return c.Request().TLS != nil || strings.EqualFold(c.Request().Header.Get("X-Forwarded-Proto"), "https")
}

// csrfToken returns the CSRF token for the forms of this page, starting a session
// (without a caller) if there is none.
func (r *request) csrfToken() string {
	if r.sess == nil {
		r.sess = r.site.sessions.fresh()
		r.newSess = true
	}
	return r.sess.CSRF
}

// checkCSRF refuses a form whose token does not equal the session's (the synchronizer
// token pattern with the token kept in the signed, encrypted session cookie, so no
// other site can read or plant it).
func (s *Site) checkCSRF(h handler) handler {
	return func(c echo.Context, r *request) error {
		sent := c.FormValue(csrfField)
		if r.sess == nil || sent == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(r.sess.CSRF)) != 1 {
			return coop.Errorf(coop.EForbidden, "%s", r.T("Das Formular ist abgelaufen oder kam nicht von dieser Seite. Bitte laden Sie die Seite neu und senden Sie es erneut."))
		}
		return h(c, r)
	}
}

// sessionActor returns the caller a session stands for: the API token's current actor
// (checked on each request), or the actor an OIDC sign-in verified.
func (s *Site) sessionActor(c echo.Context, sess *session) (coop.Actor, bool) {
	switch {
	case sess.Token != "":
		a, err := s.svc.AuthenticateToken(c.Request().Context(), sess.Token)
		if err != nil {
			return coop.Actor{}, false
		}
		return a, true
	case sess.Actor != nil:
		return coop.Actor{Type: coop.ActorOIDC, ID: sess.Actor.ID, Name: sess.Actor.Name,
			Roles: sess.Actor.Roles, Partners: sess.Actor.Partners}, true
	}
	return coop.Actor{}, false
}
