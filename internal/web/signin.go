package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

type signInPage struct {
	Next  string
	Error string
	OIDC  bool
}

// safeNext keeps a return path only if it stays on this site ("/…", not "//host").
func safeNext(s string) string {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.HasPrefix(s, "/\\") || len(s) > 2048 ||
		strings.ContainsAny(s, "\r\n") {
		return ""
	}
	return s
}

// handleSignInForm shows the sign-in: with an API token, or the link to the identity
// provider when OIDC is configured.
func (s *Site) handleSignInForm(c echo.Context, r *request) error {
	d := signInPage{Next: safeNext(c.QueryParam("weiter")), OIDC: s.opt.OIDC != nil}
	r.csrfToken()
	return r.render(http.StatusOK, "signin", r.T("Anmelden"), d)
}

// handleSignIn checks the API token and starts a session for it. The session gets a
// new CSRF token, so a token planted before the sign-in is worthless after it.
func (s *Site) handleSignIn(c echo.Context, r *request) error {
	d := signInPage{Next: safeNext(c.FormValue("weiter")), OIDC: s.opt.OIDC != nil}
	if d.OIDC {
		return coop.Errorf(coop.EInvalid, "%s", r.T("Die Anmeldung erfolgt über den Anmeldedienst."))
	}
	token := strings.TrimSpace(c.FormValue("token"))
	if token == "" {
		d.Error = r.T("Bitte geben Sie Ihr API-Token ein.")
		return r.render(http.StatusUnprocessableEntity, "signin", r.T("Anmelden"), d)
	}
	if _, err := s.svc.AuthenticateToken(c.Request().Context(), token); err != nil {
		if coop.ErrorCode(err) != coop.EUnauthorized {
			return err
		}
		d.Error = r.T("Dieses Token ist unbekannt, widerrufen oder abgelaufen.")
		return r.render(http.StatusUnauthorized, "signin", r.T("Anmelden"), d)
	}
	sess := s.sessions.fresh()
	sess.Token = token
	s.sessions.write(c, sess)
	return c.Redirect(http.StatusSeeOther, s.afterSignIn(r.lang, d.Next))
}

func (s *Site) afterSignIn(lang, next string) string {
	if next != "" {
		return next
	}
	return prefixOf(lang) + "/"
}

// handleSignOut ends the session: the cookie is deleted (and, being stateless, a copy
// of it ends at its expiry; with an API token, revoking the token ends it at once).
func (s *Site) handleSignOut(c echo.Context, r *request) error {
	s.sessions.clear(c)
	return c.Redirect(http.StatusSeeOther, prefixOf(r.lang)+"/")
}
