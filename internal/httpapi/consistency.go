package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// freshReads marks every request that changes something (anything but GET, HEAD and
// OPTIONS) with coop.WithFreshReads: with read replicas configured, the store then
// serves all of its reads from the primary — the version checked before an update and
// the resource answered after it are never a replica's older copy.
func freshReads(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			c.SetRequest(c.Request().WithContext(coop.WithFreshReads(c.Request().Context())))
		}
		return next(c)
	}
}
