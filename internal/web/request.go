package web

import (
	"bytes"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
)

// handler is a page handler: it renders with r or returns an error, which becomes an
// HTML error page.
type handler func(c echo.Context, r *request) error

// request is what a page knows about the request: language, caller, session.
type request struct {
	lang    string
	actor   coop.Actor
	p       *auth.Principal // nil: anonymous
	sess    *session        // nil: no valid session cookie
	site    *Site
	c       echo.Context
	newSess bool        // sess was created in this request and must be sent
	ld      template.JS // the page's JSON-LD (jsonld.go), "" for none
}

// page wraps h: security headers, the caller from the session cookie (never from it
// for the API), the language, and HTML error pages.
func (s *Site) page(lang string, h handler) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := s.newRequest(c, lang)
		if err := h(c, r); err != nil {
			s.renderError(c, r, err)
		}
		return nil
	}
}

// newRequest reads the session and sets the caller into the request's context, so the
// store applies the same rules to pages as to API calls.
func (s *Site) newRequest(c echo.Context, lang string) *request {
	r := &request{lang: lang, site: s, c: c}
	pageHeaders(c, s.opt.EmbedOrigins, false)
	ctx := c.Request().Context()
	r.actor = coop.ActorFrom(ctx) // a bearer token, if the client sent one
	if sess := s.sessions.read(c); sess != nil {
		r.sess = sess
		if r.actor.Type == coop.ActorAnonymous {
			if a, ok := s.sessionActor(c, sess); ok {
				r.actor = a
				c.SetRequest(c.Request().WithContext(coop.WithActor(ctx, a)))
			}
		}
	}
	r.p = auth.PrincipalOf(r.actor)
	return r
}

// pageHeaders sets the Content-Security-Policy of the pages: everything from this
// origin only, no script at all, no inline style; frames only for embeds.
func pageHeaders(c echo.Context, embedOrigins []string, embed bool) {
	h := c.Response().Header()
	ancestors := "'none'"
	if embed && len(embedOrigins) > 0 {
		ancestors = strings.Join(embedOrigins, " ")
	}
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self' data:; "+
		"form-action 'self'; base-uri 'none'; frame-ancestors "+ancestors)
	if ancestors != "'none'" {
		h.Del("X-Frame-Options") // frame-ancestors decides; X-Frame-Options knows no list
	} else {
		h.Set("X-Frame-Options", "DENY")
	}
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-cache")
	h.Add("Vary", "Cookie")
}

// canRead applies the API's read rule to the pages: anonymous callers on a closed
// directory are sent to the sign-in page.
func (r *request) canRead() error {
	if auth.CanReadDirectory(r.p, r.site.opt.PublicRead) {
		return nil
	}
	return errSignIn
}

// errSignIn asks the caller to sign in first.
var errSignIn = coop.Errorf(coop.EUnauthorized, "Anmeldung erforderlich")

// seesFinance reports whether money may be shown (controlling and admin).
func (r *request) seesFinance() bool { return auth.CanSeeFinance(r.p) }

// bufPool recycles the buffers pages are rendered into.
var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render executes the page template name with data into a buffer, then writes it, so
// that a template error never leaves half a page.
func (r *request) render(status int, name, title string, data any) error {
	v := r.view(title, data)
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 1<<20 {
			bufPool.Put(buf)
		}
	}()
	if err := r.site.pages.execute(buf, name, v); err != nil {
		return err
	}
	if r.newSess {
		r.site.sessions.write(r.c, r.sess)
	}
	return r.c.HTMLBlob(status, buf.Bytes())
}

// renderError shows err as a page with the status the API would answer.
func (s *Site) renderError(c echo.Context, r *request, err error) {
	if c.Response().Committed {
		return
	}
	status := http.StatusInternalServerError
	msg := "Ein Fehler ist aufgetreten."
	var ce *coop.Error
	var he *echo.HTTPError
	switch {
	case errors.Is(err, errSignIn):
		target := prefixOf(r.lang) + "/anmelden?weiter=" + url.QueryEscape(c.Request().URL.RequestURI())
		_ = c.Redirect(http.StatusSeeOther, target)
		return
	case errors.As(err, &ce):
		status = statusOf(ce.Code)
		msg = ce.Message
	case errors.As(err, &he):
		status = he.Code
		if m, ok := he.Message.(string); ok {
			msg = m
		}
	}
	if status >= 500 && status != http.StatusServiceUnavailable {
		s.log.ErrorContext(c.Request().Context(), "page error", "err", err.Error(),
			"path", c.Request().URL.Path, "request_id", c.Response().Header().Get(echo.HeaderXRequestID))
		msg = "Ein interner Fehler ist aufgetreten."
	}
	if status == http.StatusServiceUnavailable {
		c.Response().Header().Set("Retry-After", "5")
	}
	data := errorPage{Status: status, Message: msg, RequestID: c.Response().Header().Get(echo.HeaderXRequestID)}
	if rerr := r.render(status, "error", r.T(errorTitle(status)), data); rerr != nil {
		s.log.Error("rendering the error page", "err", rerr.Error())
		_ = c.String(status, strconv.Itoa(status)+" "+http.StatusText(status))
	}
}

type errorPage struct {
	Status    int
	Message   string
	RequestID string
	// Blockers are the resources a refused delete is still referred to by (renderBlocked),
	// More how many beyond them.
	Blockers []blockers
	More     int
}

func errorTitle(status int) string {
	switch status {
	case http.StatusNotFound:
		return "Seite nicht gefunden"
	case http.StatusForbidden:
		return "Keine Berechtigung"
	case http.StatusBadRequest:
		return "Ungültige Anfrage"
	case http.StatusServiceUnavailable:
		return "Vorübergehend nicht erreichbar"
	}
	return "Fehler"
}

// statusOf is the API's status of an error code.
func statusOf(code coop.Code) int { return httpapi.StatusOf(code) }
