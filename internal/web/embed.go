package web

import "github.com/labstack/echo/v4"

// registerEmbed adds the embeddable pages.
func (s *Site) registerEmbed(e *echo.Echo, lang string) {}
