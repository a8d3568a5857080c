package httpapi

import (
	"net/http"
	"path"
	"strconv"
	"sync"
	"time"

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

// httpRequests and httpDuration count and time every answer by route template,
// method and status. Every label value comes from a bounded set (requestLabels): a
// client can add no series, whatever Host, method or path it sends.
var (
	httpRequests = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "ikz", Subsystem: "http", Name: "requests_total",
		Help: "Answered requests by route template (url), method and status (code)."}, []string{"code", "method", "url"})
	httpDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: "ikz", Subsystem: "http", Name: "request_duration_seconds",
		Help: "Time to answer a request, by route template (url), method and status (code).", Buckets: prometheus.DefBuckets},
		[]string{"code", "method", "url"})
)

// unmatchedRoute is the url label of every request no route matches.
const unmatchedRoute = "unmatched"

// requestLabels are the metric labels of an answered request: the route template the
// router matched (or unmatchedRoute), the method if the router serves it (else OTHER),
// and the status the service set.
func requestLabels(c echo.Context) (code, method, url string) {
	url = c.Path()
	if url == "" {
		url = unmatchedRoute
	}
	return strconv.Itoa(c.Response().Status), methodLabel(c), url
}

// methodLabel is the request's method as logs and metrics show it: HEAD for a HEAD
// answered as a GET (head.go), OTHER for any method no route is registered for.
func methodLabel(c echo.Context) string {
	if isHead(c.Request()) {
		return http.MethodHead
	}
	switch m := c.Request().Method; m {
	case http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete, http.MethodOptions:
		return m
	}
	return "OTHER"
}

func metricsMiddleware() echo.MiddlewareFunc {
	metricsOnce.Do(func() {
		registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
			inFlight, writesByKind, searchTime, exportTime, httpRequests, httpDuration)
		metricsMW = func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error {
				if c.Path() == "/metrics" {
					return next(c)
				}
				inFlight.Inc()
				defer inFlight.Dec()
				start := time.Now()
				// The error is rendered before the answer is counted, so that its
				// status is the one the client gets.
				if err := next(c); err != nil {
					c.Error(err)
				}
				code, method, url := requestLabels(c)
				httpRequests.WithLabelValues(code, method, url).Inc()
				httpDuration.WithLabelValues(code, method, url).Observe(time.Since(start).Seconds())
				return nil
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
