package httpapi

import (
	"net/http"
	"sync"

	"github.com/labstack/echo-contrib/echoprometheus"
	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// The service's metrics live in one registry of their own, created once per process
// (tests build many servers; collectors may be registered only once).
var (
	registry     = prometheus.NewRegistry()
	metricsOnce  sync.Once
	metricsMW    echo.MiddlewareFunc
	inFlight     = prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "ikz", Name: "http_requests_in_flight", Help: "Requests being served."})
	writesByKind = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "ikz", Name: "writes_total", Help: "Accepted writes by resource and action."}, []string{"resource", "action"})
)

func metricsMiddleware() echo.MiddlewareFunc {
	metricsOnce.Do(func() {
		registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), inFlight, writesByKind)
		mw, err := echoprometheus.MiddlewareConfig{
			Namespace: "ikz", Subsystem: "http", Registerer: registry, DoNotUseRequestPathFor404: true,
			Skipper: func(c echo.Context) bool { return c.Path() == "/metrics" },
		}.ToMiddleware()
		if err != nil {
			panic(err)
		}
		metricsMW = func(next echo.HandlerFunc) echo.HandlerFunc {
			h := mw(next)
			return func(c echo.Context) error {
				inFlight.Inc()
				defer inFlight.Dec()
				return h(c)
			}
		}
	})
	return metricsMW
}

// RegisterCollector adds a collector (e.g. the database pool's statistics) to the
// service's registry; a second registration of the same collector is ignored.
func RegisterCollector(c prometheus.Collector) {
	_ = registry.Register(c)
}

// countWrite records an accepted write for the metrics.
func countWrite(resource, action string) { writesByKind.WithLabelValues(resource, action).Inc() }

// MetricsHandler serves the Prometheus metrics, e.g. on a separate listener.
func MetricsHandler() http.Handler {
	metricsMiddleware()
	return promhttp.HandlerFor(registry, promhttp.HandlerOpts{})
}
