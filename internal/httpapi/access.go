package httpapi

import (
	"errors"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// principal is the request's actor as package auth sees it (nil when anonymous), so
// the role rules live in one place: package auth.
func principal(c echo.Context) *auth.Principal {
	return auth.PrincipalOf(coop.ActorFrom(c.Request().Context()))
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

// canWriteFinance refuses a write that names finance by a caller who may not read it
// (403): writing a field needs the right to read it, and whether a write of a guessed
// value changes the version would tell the value.
func canWriteFinance(c echo.Context) error {
	if auth.CanWriteFinance(principal(c)) {
		return nil
	}
	return coop.Errorf(coop.EForbidden, "finance schreiben darf nur, wer es lesen darf (controlling oder admin) / writing finance needs the controlling or admin role")
}
