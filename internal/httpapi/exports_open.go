package httpapi

import (
	"fmt"
	"hash/crc32"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// exportRevision names the downloads' shape: raise it when a format changes, so that
// entity tags of the old files no longer match.
const exportRevision = 1

// exportValidators are a download's validators: a weak ETag of the data version, the
// request (path, filters, format) and whether it shows finance, and Last-Modified the
// time of the directory's last change. Both are known from the data stamp alone, so a
// harvester's unchanged file costs one lookup, not a pass over the table.
type exportValidators struct {
	tag   string
	stamp coop.DataStamp
	fresh bool // the client's copy is current: answer 304
}

func (s *Server) exportValidators(c echo.Context, opt exportOpts) (exportValidators, error) {
	st, err := s.svc.DataStamp(c.Request().Context())
	if err != nil {
		return exportValidators{}, err
	}
	req := fmt.Sprintf("%d %s?%s %s %t", exportRevision, c.Request().URL.Path, c.QueryParams().Encode(), opt.format, seesFinance(c))
	v := exportValidators{stamp: st, tag: `W/"export-` + strconv.FormatInt(st.Version, 10) + "-" +
		strconv.FormatUint(uint64(crc32.Checksum([]byte(req), castagnoli)), 36) + `"`}
	v.fresh = s.setExportValidators(c, v)
	return v, nil
}

// setExportValidators writes the download's cache headers and validators and reports
// whether the client's copy is current. Anonymous downloads may be cached publicly;
// with a token only privately (finance).
func (s *Server) setExportValidators(c echo.Context, v exportValidators) bool {
	s.cacheHeaders(c)
	return dataValidators(c, v.tag, v.stamp)
}

// writeJSONExport streams a collection as one JSON array of the API's items (the
// objects its list and get answers hold), one item per line, flushed every
// exportFlushRows. rows calls emit once per item with the item's DTO or jsonAppender.
func (s *Server) writeJSONExport(c echo.Context, file string, rows func(emit func(item any) error) error) error {
	defer exportTimer(c, "json")()
	v, err := s.exportValidators(c, exportOpts{format: "json"})
	if err != nil {
		return err
	}
	if v.fresh {
		return c.NoContent(http.StatusNotModified)
	}
	name := file + "-" + time.Now().UTC().Format(time.DateOnly) + ".json"
	if c.Request().Method == http.MethodHead {
		startDownload(c, echo.MIMEApplicationJSON, name)
		return nil
	}
	res := c.Response()
	n := 0
	err = rows(func(item any) error {
		buf, err := encodeBody(item)
		if err != nil {
			return err
		}
		defer releaseBuffer(buf)
		sep := ",\n"
		if n == 0 {
			startDownload(c, echo.MIMEApplicationJSON, name)
			sep = "[\n"
		}
		if _, err := res.Write(append([]byte(sep), buf.b[:len(buf.b)-1]...)); err != nil {
			return err
		}
		if n++; n%exportFlushRows == 0 {
			res.Flush()
		}
		return nil
	})
	if err == nil {
		if n == 0 {
			startDownload(c, echo.MIMEApplicationJSON, name)
			_, err = res.Write([]byte("[]\n"))
		} else {
			_, err = res.Write([]byte("\n]\n"))
		}
	}
	return s.abortExport(c, err)
}

// startDownload sends the status line and headers of a download.
func startDownload(c echo.Context, mime, filename string) {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, mime)
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+demoFileName(c, filename)+`"`)
	c.Response().WriteHeader(http.StatusOK)
}
