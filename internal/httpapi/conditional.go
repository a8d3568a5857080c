package httpapi

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// dataValidators sets the validators of a representation derived from the whole
// directory (a download, the catalogue): ETag tag and Last-Modified the time of the
// directory's last change. It reports whether the client's copy is current
// (If-None-Match, or without it If-Modified-Since, RFC 9110 §13.2.2), in which case
// the caller answers 304 without building the body.
func dataValidators(c echo.Context, tag string, st coop.DataStamp) bool {
	h := c.Response().Header()
	h.Set("ETag", tag)
	if !st.At.IsZero() {
		h.Set("Last-Modified", st.At.UTC().Format(http.TimeFormat))
	}
	if m := c.Request().Method; m != http.MethodGet && m != http.MethodHead {
		return false
	}
	if c.Request().Header.Get("If-None-Match") != "" {
		return notModified(c, tag)
	}
	since, err := http.ParseTime(c.Request().Header.Get("If-Modified-Since"))
	return err == nil && !st.At.IsZero() && !st.At.Truncate(time.Second).After(since)
}
