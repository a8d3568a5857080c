package httpapi

import (
	"errors"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// principal converts the request's actor into the auth package's view (nil when
// anonymous), so the role rules live in one place: package auth.
func principal(c echo.Context) *auth.Principal {
	a := coop.ActorFrom(c.Request().Context())
	if a.Type == coop.ActorAnonymous || a.Role == "" {
		return nil
	}
	return &auth.Principal{Kind: a.Type, ID: a.ID, Name: a.Name, Role: auth.Role(a.Role), Partners: a.Partners}
}

// require turns a role rule into 401 (anonymous) or 403 (known caller without right).
func require(c echo.Context, rule func(*auth.Principal) bool) error {
	p := principal(c)
	if err := auth.Require(p, rule(p)); err != nil {
		if errors.Is(err, auth.ErrUnauthenticated) {
			return coop.Errorf(coop.EUnauthorized, "Anmeldung erforderlich: Authorization: Bearer <token> / authentication required")
		}
		return coop.Errorf(coop.EForbidden, "Ihre Rolle erlaubt das nicht / your role does not allow this")
	}
	return nil
}

func (s *Server) canRead(c echo.Context) error {
	return require(c, func(p *auth.Principal) bool { return auth.CanReadDirectory(p, s.opt.PublicRead) })
}

func canWrite(c echo.Context) error   { return require(c, auth.CanWriteDirectory) }
func canRestore(c echo.Context) error { return require(c, auth.CanRestore) }

// seesFinance tells whether money may be shown to the caller.
func seesFinance(c echo.Context) bool { return auth.CanSeeFinance(principal(c)) }
