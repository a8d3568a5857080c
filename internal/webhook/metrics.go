package webhook

import "github.com/prometheus/client_golang/prometheus"

// Metrics of delivery. The webhook label is a subscription's id: at most as many as
// there may be subscriptions (store.maxWebhooks), and removed when this instance
// stops delivering one.
var (
	deliveries = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "ikz", Subsystem: "webhook", Name: "deliveries_total",
		Help: "Delivery attempts (in order, redeliveries and pings) by result: delivered (2xx) or failed."}, []string{"result"})
	deliveryTime = prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "ikz", Subsystem: "webhook", Name: "delivery_duration_seconds",
		Help: "Time of one delivery attempt.", Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}})
	pending = prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: "ikz", Subsystem: "webhook", Name: "backlog",
		Help: "Change-log entries after a subscription's cursor that this instance has still to go through (at most a page, 100)."}, []string{"webhook"})
	oldest = prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: "ikz", Subsystem: "webhook", Name: "oldest_undelivered_age_seconds",
		Help: "Age of the oldest change-log entry a subscription has not yet been delivered (0 when caught up)."}, []string{"webhook"})
)

// Collectors are the delivery metrics, for the service's registry.
func Collectors() []prometheus.Collector {
	return []prometheus.Collector{deliveries, deliveryTime, pending, oldest}
}
