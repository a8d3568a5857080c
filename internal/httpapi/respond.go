package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// ListResponse is one page of a collection.
type ListResponse[T any] struct {
	// the page's items
	Items []T `json:"items"`
	// number of all matching items
	Total int64 `json:"total" example:"6"`
	// pass as cursor for the next page; null on the last page
	NextCursor *string `json:"next_cursor" extensions:"x-nullable"`
}

// writeList answers a page with a weak ETag over its bytes (304 when unchanged) and a
// Link header to the next page.
func (s *Server) writeList(c echo.Context, items any, total int64, next string) error {
	body := map[string]any{"items": items, "total": total, "next_cursor": nil}
	if next != "" {
		body["next_cursor"] = next
		u := *c.Request().URL
		q := u.Query()
		q.Set("cursor", next)
		u.RawQuery = q.Encode()
		c.Response().Header().Set("Link", fmt.Sprintf(`<%s>; rel="next"`, (&url.URL{Path: u.Path, RawQuery: u.RawQuery}).String()))
	}
	return s.writeCached(c, http.StatusOK, body, "")
}

// writeCached writes a JSON body with its ETag (strong tag given, or a weak one over
// the bytes) and answers 304 to a matching If-None-Match.
func (s *Server) writeCached(c echo.Context, status int, body any, strongTag string) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(body); err != nil {
		return err
	}
	tag := strongTag
	if tag == "" {
		h := fnv.New64a()
		h.Write(buf.Bytes())
		tag = `W/"` + strconv.FormatUint(h.Sum64(), 36) + `"`
	}
	s.cacheHeaders(c)
	c.Response().Header().Set("ETag", tag)
	if c.Request().Method == http.MethodGet && notModified(c, tag) {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(status, echo.MIMEApplicationJSON, buf.Bytes())
}

// writeResource answers one resource with its strong ETag.
func (s *Server) writeResource(c echo.Context, status int, id string, version int, body any) error {
	if status != http.StatusOK {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(body)
		c.Response().Header().Set("ETag", etag(id, version))
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.Blob(status, echo.MIMEApplicationJSON, buf.Bytes())
	}
	return s.writeCached(c, status, body, etag(id, version))
}

// cacheHeaders: anonymous reads may be cached briefly by anyone; authenticated ones
// only privately, since they may show money.
func (s *Server) cacheHeaders(c echo.Context) {
	h := c.Response().Header()
	h.Add("Vary", "Authorization")
	if c.Request().Method != http.MethodGet {
		h.Set("Cache-Control", "no-store")
		return
	}
	if coop.ActorFrom(c.Request().Context()).Type == coop.ActorAnonymous && s.opt.CacheMaxAge > 0 {
		h.Set("Cache-Control", fmt.Sprintf("public, max-age=%d", int(s.opt.CacheMaxAge.Seconds())))
		return
	}
	h.Set("Cache-Control", "private, no-cache")
}

// created answers 201 with Location and the new resource.
func (s *Server) created(c echo.Context, location, id string, version int, body any) error {
	c.Response().Header().Set("Location", location)
	return s.writeResource(c, http.StatusCreated, id, version, body)
}
