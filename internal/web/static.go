package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/web/assets"
)

// staticPrefix is the URL prefix of the assets.
func staticPrefix() string { return "/static/" + assetVersion() }

// assetVersion is a hash over every embedded asset: it is part of their URLs, so they
// can be cached for a year and change URL whenever they change.
var assetVersion = sync.OnceValue(func() string {
	h := sha256.New()
	_ = fs.WalkDir(assets.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(assets.FS, p)
		if err != nil {
			return err
		}
		h.Write([]byte(p))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
})

// handleStatic serves the embedded CSS and fonts under /static/<version>/….
func (s *Site) handleStatic(c echo.Context) error {
	if c.Param("version") != assetVersion() {
		return echo.NewHTTPError(http.StatusNotFound, "unknown asset version")
	}
	name := path.Clean(c.Param("*"))
	b, err := fs.ReadFile(assets.FS, name)
	if err != nil || name == "." {
		return echo.NewHTTPError(http.StatusNotFound, "no such asset")
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("Content-Security-Policy", "default-src 'none'")
	ctype := mime.TypeByExtension(path.Ext(name))
	switch path.Ext(name) {
	case ".woff2":
		ctype = "font/woff2"
	case ".md":
		ctype = "text/plain; charset=utf-8"
	}
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	return c.Blob(http.StatusOK, ctype, b)
}
