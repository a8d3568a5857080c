package httpapi

import (
	"hash/fnv"
	"net/http"
	"strconv"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/docs"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/openapi"
)

// OpenAPI returns the OpenAPI 3.0 contract of the service: swag's Swagger 2.0 spec
// (docs/) converted by openapi.Convert, the same function that generates the
// committed api/openapi.json, so both are byte for byte the same. It is converted
// once per process.
var OpenAPI = sync.OnceValues(func() ([]byte, error) {
	return openapi.Convert([]byte(docs.SwaggerInfo.ReadDoc()))
})

// Swagger2 returns the Swagger 2.0 spec that /swagger/doc.json serves: swag's
// document made valid by openapi.Swagger2, the function that writes the committed
// docs/swagger.json, so both are byte for byte the same.
var Swagger2 = sync.OnceValues(func() ([]byte, error) {
	return openapi.Swagger2([]byte(docs.SwaggerInfo.ReadDoc()))
})

// openAPITag is the strong ETag of the contract.
var openAPITag = sync.OnceValue(func() string {
	doc, _ := OpenAPI()
	h := fnv.New64a()
	h.Write(doc)
	return `"` + strconv.FormatUint(h.Sum64(), 36) + `"`
})

// handleOpenAPI serves the OpenAPI 3.0 contract.
//
//	@ID				getOpenAPI
//	@Summary		OpenAPI-3.0-Vertrag / the OpenAPI 3.0 contract
//	@Description	Dieselbe Beschreibung wie /swagger/doc.json (Swagger 2.0), als OpenAPI 3.0 für Client-Generatoren (oapi-codegen, openapi-typescript); identisch mit api/openapi.json im Repository. The same contract as /swagger/doc.json, as OpenAPI 3.0 for client generators; identical to api/openapi.json in the repository.
//	@Tags			operations
//	@Produce		json
//	@Success		200	{object}	map[string]any	"the OpenAPI 3.0 document"
//	@Header			200	{string}	ETag			"strong tag of the document"
//	@Success		304	"not modified"
//	@Failure		400	{object}	Problem
//	@Failure		401	{object}	Problem
//	@Failure		429	{object}	Problem
//	@Failure		500	{object}	Problem
//	@Router			/openapi.json [get]
func (s *Server) handleOpenAPI(c echo.Context) error {
	doc, err := OpenAPI()
	if err != nil {
		return coop.Errorf(coop.EInternal, "openapi: %v", err)
	}
	tag := openAPITag()
	h := c.Response().Header()
	h.Set("ETag", tag)
	h.Set("Cache-Control", "public, max-age=300")
	if notModified(c, tag) {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, doc)
}

// handleMetrics serves the Prometheus metrics on the API listener (routed only when
// IKZ_METRICS_ADDR does not give them a listener of their own).
//
//	@ID				getMetrics
//	@Summary		Prometheus-Metriken / Prometheus metrics
//	@Description	Metriken im Prometheus-Textformat (HTTP-Anfragen, Schreibvorgänge, Suche, Exporte, Go-Laufzeit). Nur auf dem API-Listener, wenn IKZ_METRICS_ADDR leer ist. Metrics in the Prometheus text format; on the API listener only when IKZ_METRICS_ADDR is empty.
//	@Tags			operations
//	@Produce		plain
//	@Success		200	{string}	string	"metrics in the Prometheus text exposition format"
//	@Failure		401	{object}	Problem
//	@Failure		429	{object}	Problem
//	@Failure		500	{object}	Problem
//	@Router			/metrics [get]
func handleMetrics(c echo.Context) error {
	MetricsHandler().ServeHTTP(c.Response(), c.Request())
	return nil
}
