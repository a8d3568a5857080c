package config

import (
	"strings"
	"time"
)

// Webhooks are the settings of webhook delivery (package webhook).
type Webhooks struct {
	Deliver      bool            // IKZ_WEBHOOKS: this instance delivers (takes subscriptions' leases)
	Schedule     []time.Duration // IKZ_WEBHOOK_RETRY_SCHEDULE: waits before each retry
	Timeout      time.Duration   // IKZ_WEBHOOK_TIMEOUT: per attempt
	Concurrency  int             // IKZ_WEBHOOK_CONCURRENCY: deliveries in flight at once, all subscriptions
	AllowHTTP    bool            // IKZ_WEBHOOK_ALLOW_HTTP
	AllowPrivate bool            // IKZ_WEBHOOK_ALLOW_PRIVATE
}

// webhookVars are the settings of webhook delivery.
var webhookVars = []Var{
	{"IKZ_WEBHOOKS", "true", "this instance delivers webhooks (each subscription by one instance at a time, by a lease in the database); false leaves delivery to the others"},
	{"IKZ_WEBHOOK_RETRY_SCHEDULE", "5s,5m,30m,2h,5h,10h,10h", "comma-separated waits before each retry of a failed delivery (±10 % jitter); after the last the subscription is disabled"},
	{"IKZ_WEBHOOK_TIMEOUT", "10s", "time a receiver has to answer a delivery with 2xx"},
	{"IKZ_WEBHOOK_CONCURRENCY", "16", "deliveries in flight at once across all subscriptions (1–1000); each subscription has at most one"},
	{"IKZ_WEBHOOK_ALLOW_HTTP", "false", "allow http:// webhook URLs (otherwise https only)"},
	{"IKZ_WEBHOOK_ALLOW_PRIVATE", "false", "allow webhook deliveries to loopback, private, link-local and metadata addresses (checked on the address connected to)"},
}

// webhooks reads the webhook settings.
func (r *reader) webhooks() Webhooks {
	w := Webhooks{
		Deliver:      r.bool("IKZ_WEBHOOKS"),
		Timeout:      r.duration("IKZ_WEBHOOK_TIMEOUT", time.Millisecond),
		Concurrency:  r.intRange("IKZ_WEBHOOK_CONCURRENCY", 1, 1000),
		AllowHTTP:    r.bool("IKZ_WEBHOOK_ALLOW_HTTP"),
		AllowPrivate: r.bool("IKZ_WEBHOOK_ALLOW_PRIVATE"),
	}
	raw := r.get("IKZ_WEBHOOK_RETRY_SCHEDULE")
	for _, s := range strings.Split(raw, ",") {
		d, err := parseDuration(strings.TrimSpace(s))
		if err != nil || d <= 0 || len(w.Schedule) >= 50 {
			r.fail("IKZ_WEBHOOK_RETRY_SCHEDULE", "want up to 50 comma-separated durations like 5s,5m,30m,2h, got %q", raw)
			return w
		}
		w.Schedule = append(w.Schedule, d)
	}
	return w
}
