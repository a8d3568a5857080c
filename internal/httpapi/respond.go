package httpapi

import (
	"encoding/json"
	"hash/crc32"
	"net/http"
	"net/url"
	"strconv"
	"sync"

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

// listBody is the JSON of a list answer. Its fields are in the order encoding/json
// gives a map's keys (sorted), the shape lists had before it was a struct.
type listBody struct {
	Items      any     `json:"items"`
	NextCursor *string `json:"next_cursor"`
	Total      int64   `json:"total"`
}

// writeList answers a page with a weak ETag over its bytes (304 when unchanged) and a
// Link header to the next page. Items that write their own JSON (jsonAppender) skip
// encoding/json for the whole page.
func (s *Server) writeList(c echo.Context, items any, total int64, next string) error {
	var cursor *string
	if next != "" {
		cursor = &next
		c.Response().Header().Set("Link", nextLink(c, next))
	}
	if a, ok := items.(jsonAppender); ok {
		return s.writeCached(c, http.StatusOK, listJSON{items: a, next: cursor, total: total}, "")
	}
	return s.writeCached(c, http.StatusOK, listBody{Items: items, NextCursor: cursor, Total: total}, "")
}

// nextLink is the Link header value to the request's next page: the same query with
// cursor set to next.
func nextLink(c echo.Context, next string) string {
	u := c.Request().URL
	q := u.Query()
	q.Set("cursor", next)
	return "<" + (&url.URL{Path: u.Path, RawQuery: q.Encode()}).String() + `>; rel="next"`
}

// bodyBuf is an answer's bytes; json.Encoder writes into it, a jsonAppender appends.
type bodyBuf struct{ b []byte }

func (w *bodyBuf) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

// bodyBuffers recycles the buffers answers are encoded into (a list page is some 60 KB).
var bodyBuffers = sync.Pool{New: func() any { return new(bodyBuf) }}

// maxPooledBuffer bounds the buffers kept for reuse.
const maxPooledBuffer = 4 << 20

// encodeBody encodes body as JSON (no HTML escaping, newline-terminated) into a pooled
// buffer; the caller returns it with releaseBuffer once the bytes are written.
func encodeBody(body any) (*bodyBuf, error) {
	buf := bodyBuffers.Get().(*bodyBuf)
	buf.b = buf.b[:0]
	var err error
	if a, ok := body.(jsonAppender); ok {
		buf.b, err = a.appendJSON(buf.b)
		buf.b = append(buf.b, '\n') // as json.Encoder ends every value
	} else {
		enc := json.NewEncoder(buf)
		enc.SetEscapeHTML(false)
		err = enc.Encode(body)
	}
	if err != nil {
		releaseBuffer(buf)
		return nil, err
	}
	return buf, nil
}

func releaseBuffer(buf *bodyBuf) {
	if cap(buf.b) <= maxPooledBuffer {
		bodyBuffers.Put(buf)
	}
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// weakTag is a weak ETag over b: two CRC-32s (Castagnoli and IEEE, both computed by
// the CPU's own instructions where it has them: a list page hashes in microseconds)
// and the length.
func weakTag(b []byte) string {
	h := uint64(crc32.Checksum(b, castagnoli))<<32 | uint64(crc32.ChecksumIEEE(b))
	return `W/"` + strconv.FormatUint(h, 36) + "-" + strconv.FormatInt(int64(len(b)), 36) + `"`
}

// writeCached writes a JSON body with its ETag (strong tag given, or a weak one over
// the bytes) and answers 304 to a matching If-None-Match. The body is encoded once.
func (s *Server) writeCached(c echo.Context, status int, body any, strongTag string) error {
	buf, err := encodeBody(body)
	if err != nil {
		return err
	}
	defer releaseBuffer(buf)
	tag := strongTag
	if tag == "" {
		tag = weakTag(buf.b)
	}
	s.cacheHeaders(c)
	c.Response().Header().Set("ETag", tag)
	if c.Request().Method == http.MethodGet && notModified(c, tag) {
		return c.NoContent(http.StatusNotModified)
	}
	// Set here, so that the answer to a HEAD names the length a GET gets.
	c.Response().Header().Set(echo.HeaderContentLength, strconv.Itoa(len(buf.b)))
	return c.Blob(status, echo.MIMEApplicationJSON, buf.b)
}

// writeResource answers one resource with its strong ETag.
func (s *Server) writeResource(c echo.Context, status int, id string, version int, body any) error {
	if status != http.StatusOK {
		buf, err := encodeBody(body)
		if err != nil {
			return err
		}
		defer releaseBuffer(buf)
		c.Response().Header().Set("ETag", etag(id, version, variantOf(body)))
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.Blob(status, echo.MIMEApplicationJSON, buf.b)
	}
	return s.writeCached(c, status, body, etag(id, version, variantOf(body)))
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
		h.Set("Cache-Control", "public, max-age="+strconv.Itoa(int(s.opt.CacheMaxAge.Seconds())))
		return
	}
	h.Set("Cache-Control", "private, no-cache")
}

// created answers 201 with Location and the new resource.
func (s *Server) created(c echo.Context, location, id string, version int, body any) error {
	c.Response().Header().Set("Location", location)
	return s.writeResource(c, http.StatusCreated, id, version, body)
}
