package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// canManageTokens: only admins list, create and revoke API tokens.
func canManageTokens(c echo.Context) error { return require(c, auth.CanManageTokens) }

// Token is an API token as lists show it: never its secret.
type Token struct {
	// server-assigned id
	ID string `json:"id" format:"uuid" example:"5f0e4c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b"`
	// who or what uses it; shown as the actor's name in the change feed
	Name string `json:"name" example:"portal-muensterland"`
	// the first characters of the secret, to recognise it
	Prefix string `json:"prefix" example:"ikz_abcdefgh"`
	// what it may do: the union of these roles
	Roles []string `json:"roles" enums:"reader,controlling,editor,admin" example:"editor,controlling"`
	// partners an editor is bound to (empty: unbound)
	Partners []Ref `json:"partners"`
	// creation time (UTC)
	CreatedAt time.Time `json:"created_at" example:"2026-01-31T12:00:00Z" format:"date-time"`
	// expiry (UTC); null = never
	ExpiresAt *time.Time `json:"expires_at" example:"2026-05-01T12:00:00Z" extensions:"x-nullable" format:"date-time"`
	// last use (UTC, at most a minute stale); null = never used
	LastUsedAt *time.Time `json:"last_used_at" example:"2026-02-01T08:30:00Z" extensions:"x-nullable" format:"date-time"`
	// revocation time (UTC); null = not revoked
	RevokedAt *time.Time `json:"revoked_at" example:"2026-03-01T09:00:00Z" extensions:"x-nullable" format:"date-time"`
	// usable now: neither revoked nor expired
	Active bool `json:"active" example:"true"`
} // @name Token

// TokenCreated is a new token with its secret, shown this once.
type TokenCreated struct {
	Token
	// the secret: send it as "Authorization: Bearer <token>"; it is shown only now
	Secret string `json:"token" example:"ikz_abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstu"`
} // @name TokenCreated

// TokenInput asks for a new API token.
type TokenInput struct {
	// who or what will use it (shown as the actor in the change feed)
	Name string `json:"name" example:"portal-muensterland" maxLength:"100"`
	// what it may do: one or more roles, their rights added up
	Roles []string `json:"roles" enums:"reader,controlling,editor,admin" example:"editor,controlling" extensions:"x-min-items=1,x-max-items=4"`
	// ids or slugs of the partners an editor is bound to
	Partners []string `json:"partners,omitempty" example:"citeq" maxLength:"100"`
	// expiry as an RFC 3339 time in the future (or use expires_in)
	ExpiresAt string `json:"expires_at,omitempty" format:"date-time" example:"2026-12-31T23:59:59Z"`
	// lifetime from now: whole days ("90d") or a duration ("12h", "30m")
	ExpiresIn string `json:"expires_in,omitempty" example:"90d" maxLength:"20"`
} // @name TokenInput

// TokenList lists every token.
type TokenList struct {
	// the page's tokens, newest first
	Items []Token `json:"items"`
	// number of all matching tokens
	Total int64 `json:"total" example:"3"`
	// pass as cursor for the next page; null on the last page
	NextCursor *string `json:"next_cursor" example:"eyJrIjpbImNpdGVxIl0sImlkIjoiMGI3YyJ9" extensions:"x-nullable"`
} // @name TokenList

func tokenOut(t coop.Token, now time.Time) Token {
	out := Token{
		ID: t.ID, Name: t.Name, Prefix: t.Prefix, Roles: nonNil(t.Roles), Partners: make([]Ref, len(t.Partners)),
		CreatedAt: utc(t.CreatedAt), ExpiresAt: utcPtr(t.ExpiresAt), LastUsedAt: utcPtr(t.LastUsedAt),
		RevokedAt: utcPtr(t.RevokedAt),
		Active:    t.RevokedAt == nil && (t.ExpiresAt == nil || t.ExpiresAt.After(now)),
	}
	for i, p := range t.Partners {
		out.Partners[i] = refOut(partnersPath, p)
	}
	return out
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// draft checks the expiry fields (422 on expires_at / expires_in) and builds the draft.
func (in TokenInput) draft(now time.Time) (coop.TokenDraft, error) {
	d := coop.TokenDraft{Name: in.Name, Roles: in.Roles, Partners: in.Partners}
	var v coop.Violations
	switch {
	case in.ExpiresAt != "" && in.ExpiresIn != "":
		v.Add("expires_in", "exclusive", "Entweder expires_at oder expires_in angeben, nicht beides")
	case in.ExpiresAt != "":
		t, err := time.Parse(time.RFC3339, strings.TrimSpace(in.ExpiresAt))
		if err != nil {
			v.Add("expires_at", "date_time", "Erwartet einen Zeitpunkt nach RFC 3339, z. B. 2026-12-31T23:59:59Z")
		} else {
			t = t.UTC()
			d.ExpiresAt = &t
		}
	case in.ExpiresIn != "":
		dur, err := auth.ParseExpiry(in.ExpiresIn)
		if err != nil {
			v.Add("expires_in", "duration", "Erwartet eine Dauer wie 90d, 12h oder 30m")
		} else {
			t := now.Add(dur).UTC()
			d.ExpiresAt = &t
		}
	}
	return d, v.Err()
}

// handleTokenList lists the API tokens.
//
//	@ID				listTokens
//	@Summary		API-Tokens auflisten / list API tokens
//	@Description	Nur admin. Alle Tokens, neueste zuerst, auch widerrufene und abgelaufene — nie ein Geheimnis. Admin only; every token, newest first, revoked and expired ones included; never a secret.
//	@Tags			tokens
//	@Produce		json
//	@Success		200	{object}	TokenList
//	@Header			200	{string}	ETag	"weak tag of the list"
//	@Success		304	"not modified"
//	@Failure		400	{object}	Problem
//	@Failure		401	{object}	Problem
//	@Failure		403	{object}	Problem
//	@Failure		503	{object}	Problem
//	@Failure		429	{object}	Problem
//	@Failure		500	{object}	Problem
//	@Security		BearerAuth
//	@Router			/api/v1/tokens [get]
func (s *Server) handleTokenList(c echo.Context) error {
	if err := canManageTokens(c); err != nil {
		return err
	}
	list, err := s.svc.ListTokens(c.Request().Context())
	if err != nil {
		return err
	}
	now := time.Now()
	out := make([]Token, len(list))
	for i, t := range list {
		out[i] = tokenOut(t, now)
	}
	return s.writeList(c, out, int64(len(out)), "")
}

// handleTokenCreate creates an API token.
//
//	@ID				createToken
//	@Summary		API-Token anlegen / create an API token
//	@Description	Nur admin. Die Antwort zeigt das Geheimnis (`token`) ein einziges Mal; gespeichert wird nur sein Hash. Ein editor kann an Partner gebunden werden. Admin only; the answer shows the secret once, only its hash is stored; an editor may be bound to partners.
//	@Tags			tokens
//	@Accept			json
//	@Produce		json
//	@Param			body	body		TokenInput	true	"the new token"
//	@Success		201		{object}	TokenCreated
//	@Header			201		{string}	Location	"URL of the token (for DELETE)"
//	@Failure		400		{object}	Problem
//	@Failure		401		{object}	Problem
//	@Failure		403		{object}	Problem
//	@Failure		413		{object}	Problem
//	@Failure		415		{object}	Problem
//	@Failure		422		{object}	Problem
//	@Failure		503		{object}	Problem
//	@Failure		429		{object}	Problem
//	@Failure		500		{object}	Problem
//	@Security		BearerAuth
//	@Router			/api/v1/tokens [post]
func (s *Server) handleTokenCreate(c echo.Context) error {
	if err := canManageTokens(c); err != nil {
		return err
	}
	var in TokenInput
	if err := bindBody(c, &in); err != nil {
		return err
	}
	now := time.Now()
	d, err := in.draft(now)
	if err != nil {
		return err
	}
	t, secret, err := s.svc.CreateToken(c.Request().Context(), d)
	if err != nil {
		return err
	}
	countWrite("token", coop.ActionCreate)
	h := c.Response().Header()
	h.Set("Location", "/api/v1/tokens/"+t.ID)
	h.Set("Cache-Control", "no-store")
	return c.JSON(http.StatusCreated, TokenCreated{Token: tokenOut(t, now), Secret: secret})
}

// handleTokenRevoke revokes an API token.
//
//	@ID				revokeToken
//	@Summary		API-Token widerrufen / revoke an API token
//	@Description	Nur admin. Der Token ist sofort ungültig (401). Ein zweiter Widerruf ändert nichts. Admin only; the token is refused (401) at once; revoking again changes nothing.
//	@Tags			tokens
//	@Param			id	path	string	true	"token id"	example(5f0e4c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b)	format(uuid)
//	@Success		204	"revoked"
//	@Failure		400	{object}	Problem
//	@Failure		401	{object}	Problem
//	@Failure		403	{object}	Problem
//	@Failure		404	{object}	Problem
//	@Failure		503	{object}	Problem
//	@Failure		429	{object}	Problem
//	@Failure		500	{object}	Problem
//	@Security		BearerAuth
//	@Router			/api/v1/tokens/{id} [delete]
func (s *Server) handleTokenRevoke(c echo.Context) error {
	if err := canManageTokens(c); err != nil {
		return err
	}
	if err := s.svc.RevokeToken(c.Request().Context(), c.Param("id")); err != nil {
		return err
	}
	countWrite("token", "revoke")
	return c.NoContent(http.StatusNoContent)
}
