package httpapi

import "testing"

func TestPreferred(t *testing.T) {
	const json, ld, ttl = "application/json", "application/ld+json", "text/turtle"
	for _, tc := range []struct {
		accept string
		offers []string
		want   string
	}{
		{"", []string{json, ld}, json},
		{"*/*", []string{json, ld}, json},
		{"application/ld+json", []string{json, ld}, ld},
		{"application/ld+json, application/json;q=0.9", []string{json, ld}, ld},
		{"application/json, application/ld+json", []string{json, ld}, json},
		{"application/ld+json;q=0.5, */*;q=0.8", []string{json, ld}, json},
		{"application/ld+json;q=0", []string{json, ld}, json},
		{"APPLICATION/LD+JSON ; q=1", []string{json, ld}, ld},
		{"application/*", []string{ttl, ld}, ld},
		{"text/html,application/xhtml+xml,*/*;q=0.8", []string{ttl, ld}, ttl},
		{"text/turtle;q=0.2, application/ld+json;q=0.3", []string{ttl, ld}, ld},
		{"image/png", []string{ttl, ld}, ttl},
		{"garbage,,;q=x", []string{ttl, ld}, ttl},
	} {
		if got := preferred(tc.accept, tc.offers...); got != tc.want {
			t.Errorf("preferred(%q, %v) = %s, want %s", tc.accept, tc.offers, got, tc.want)
		}
	}
}
