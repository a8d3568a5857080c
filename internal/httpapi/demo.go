package httpapi

import (
	"strings"

	"github.com/labstack/echo/v4"
)

// DemoHeader marks every answer of a directory of invented demo data
// (`ikz-verzeichnis seed --demo`): API answers, errors, exports and pages alike. Its
// value is DemoValue. Downloads of such a directory also carry "demo" in their file
// name, and their workbooks say so in their properties (package export).
const (
	DemoHeader = "IKZ-Demo-Data"
	DemoValue  = "invented"
)

// demoMark sets DemoHeader before the handler runs, so streamed downloads carry it too.
// The store keeps the answer (store.DB.Demo): no statement per request.
func (s *Server) demoMark(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if demo, err := s.svc.Demo(c.Request().Context()); err == nil && demo {
			c.Response().Header().Set(DemoHeader, DemoValue)
		}
		return next(c)
	}
}

// IsDemo reports whether the answer under way is marked as demo data (see demoMark).
func IsDemo(c echo.Context) bool { return c.Response().Header().Get(DemoHeader) != "" }

// demoFileName puts "demo" into a download's file name in a demo directory:
// ikz-projekte-2026-12-07.csv → ikz-demo-projekte-2026-12-07.csv.
func demoFileName(c echo.Context, name string) string {
	if !IsDemo(c) {
		return name
	}
	if rest, ok := strings.CutPrefix(name, "ikz-"); ok {
		return "ikz-demo-" + rest
	}
	return "demo-" + name
}
