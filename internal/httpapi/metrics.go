package httpapi

import (
	"net/http"
	"path"
	"sync"
	"time"

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
	searchTime   = prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "ikz", Name: "search_duration_seconds",
		Help:    "Time to answer a search (GET /api/v1/search), query and response.",
		Buckets: []float64{.002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}})
	exportTime = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: "ikz", Name: "export_duration_seconds",
		Help:    "Time to stream an export to the client, by kind (projects, partners, cooperations) and format (csv, xlsx).",
		Buckets: prometheus.ExponentialBuckets(0.01, 2.5, 12)}, []string{"kind", "format"})
)

func metricsMiddleware() echo.MiddlewareFunc {
	metricsOnce.Do(func() {
		registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), inFlight, writesByKind, searchTime, exportTime)
		mw, err := echoprometheus.MiddlewareConfig{
			Namespace: "ikz", Subsystem: "http", Registerer: registry, DoNotUseRequestPathFor404: true,
			Skipper: func(c echo.Context) bool { return c.Path() == "/metrics" },
		}.ToMiddleware()
		if err != nil {
			panic(err)
		}
		metricsMW = func(next echo.HandlerFunc) echo.HandlerFunc {
			// The error is rendered before the metrics see the answer: echoprometheus
			// counts any error but an echo.HTTPError as 500, a 404 of the store too.
			h := mw(func(c echo.Context) error {
				if err := next(c); err != nil {
					c.Error(err)
				}
				return nil
			})
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

// RegisterSearchCache exposes the search cache's answers from memory (hits) and from
// the database (misses) as ikz_search_cache_hits_total and _misses_total; a second
// registration is ignored.
func RegisterSearchCache(stats func() (hits, misses uint64)) {
	RegisterCollector(prometheus.NewCounterFunc(prometheus.CounterOpts{Namespace: "ikz", Name: "search_cache_hits_total",
		Help: "Searches answered from the search cache (GET /api/v1/search)."},
		func() float64 { h, _ := stats(); return float64(h) }))
	RegisterCollector(prometheus.NewCounterFunc(prometheus.CounterOpts{Namespace: "ikz", Name: "search_cache_misses_total",
		Help: "Searches that queried the database (GET /api/v1/search)."},
		func() float64 { _, m := stats(); return float64(m) }))
}

// countWrite records an accepted write for the metrics.
func countWrite(resource, action string) { writesByKind.WithLabelValues(resource, action).Inc() }

// ObserveSearch records the duration of one search.
func ObserveSearch(d time.Duration) { searchTime.Observe(d.Seconds()) }

// ObserveExport records the duration of one export of kind (projects, partners,
// cooperations) in format (csv, xlsx).
func ObserveExport(kind, format string, d time.Duration) {
	exportTime.WithLabelValues(kind, format).Observe(d.Seconds())
}

// searchTimer starts timing a search; the returned func records it (defer
// searchTimer()()).
func searchTimer() func() {
	start := time.Now()
	return func() { ObserveSearch(time.Since(start)) }
}

// exportTimer starts timing the export of the current route (its last path element
// is the kind); the returned func records it.
func exportTimer(c echo.Context, format string) func() {
	start, kind := time.Now(), path.Base(c.Path())
	return func() { ObserveExport(kind, format, time.Since(start)) }
}

// MetricsHandler serves the Prometheus metrics, e.g. on a separate listener.
func MetricsHandler() http.Handler {
	metricsMiddleware()
	return promhttp.HandlerFor(registry, promhttp.HandlerOpts{})
}
