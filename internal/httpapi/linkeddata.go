package httpapi

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
)

// ldJSON is the media type of JSON-LD.
const ldJSON = "application/ld+json"

// linkedData answers a resource with its JSON-LD (schema.org, package opendata) when
// the client prefers application/ld+json to application/json, and reports whether it
// did. Every resource answer varies by Accept. The JSON-LD has a strong tag of its own
// per version (a tag names one representation), which If-Match does not accept.
func (s *Server) linkedData(c echo.Context, id string, version int, doc func() any) (bool, error) {
	c.Response().Header().Add("Vary", "Accept")
	if preferred(c.Request().Header.Get("Accept"), echo.MIMEApplicationJSON, ldJSON) != ldJSON {
		return false, nil
	}
	buf, err := encodeBody(doc())
	if err != nil {
		return true, err
	}
	defer releaseBuffer(buf)
	tag := `"` + id + "." + strconv.Itoa(version) + `.ld"`
	s.cacheHeaders(c)
	c.Response().Header().Set("ETag", tag)
	if c.Request().Method == http.MethodGet && notModified(c, tag) {
		return true, c.NoContent(http.StatusNotModified)
	}
	return true, c.Blob(http.StatusOK, ldJSON, buf.b)
}
