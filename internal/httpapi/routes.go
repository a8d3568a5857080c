package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"
	echoSwagger "github.com/swaggo/echo-swagger"
)

// routes registers every route of the service, in one place.
func (s *Server) routes() {
	e := s.echo
	e.GET("/healthz", s.handleHealthz)
	e.GET("/readyz", s.handleReadyz)
	if s.opt.MetricsOnMain {
		e.GET("/metrics", echoWrap(MetricsHandler()))
	}
	e.GET("/swagger/*", echoSwagger.WrapHandler)

	v1 := e.Group("/api/v1")
	v1.GET("/meta/enums", s.handleEnums)

	v1.GET("/partners", s.handlePartnerList)
	v1.POST("/partners", s.handlePartnerCreate)
	v1.GET("/partners/:id", s.handlePartnerGet)
	v1.PATCH("/partners/:id", s.handlePartnerPatch)
	v1.DELETE("/partners/:id", s.handlePartnerDelete)
	v1.POST("/partners/:id/restore", s.handlePartnerRestore)
	v1.GET("/partners/:id/children", s.handlePartnerChildren)
}

func echoWrap(h http.Handler) func(c echo.Context) error {
	return func(c echo.Context) error {
		h.ServeHTTP(c.Response(), c.Request())
		return nil
	}
}
