package opendata_test

import (
	"crypto/tls"
	"net/http/httptest"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/opendata"
)

func TestBaseURL(t *testing.T) {
	for _, tc := range []struct {
		public, host, proto string
		tls                 bool
		want                string
	}{
		{"https://ikz.example.org/", "anything", "", false, "https://ikz.example.org"},
		{"", "ikz.intern:8080", "", false, "http://ikz.intern:8080"},
		{"", "ikz.example.org", "https", false, "https://ikz.example.org"},
		{"", "ikz.example.org", "", true, "https://ikz.example.org"},
		{"", "[::1]:8080", "", false, "http://[::1]:8080"},
		{"", "evil.example/<x>", "", false, "http://localhost"},
		{"", `a"b`, "", false, "http://localhost"},
		{"", "", "", false, "http://localhost"},
	} {
		r := httptest.NewRequest("GET", "/api/v1/catalog", nil)
		r.Host = tc.host
		if tc.proto != "" {
			r.Header.Set("X-Forwarded-Proto", tc.proto)
		}
		if !tc.tls {
			r.TLS = nil
		} else {
			r.TLS = &tls.ConnectionState{}
		}
		if got := opendata.BaseURL(tc.public, r); got != tc.want {
			t.Errorf("BaseURL(%q, Host %q, proto %q, TLS %v) = %s, want %s", tc.public, tc.host, tc.proto, tc.tls, got, tc.want)
		}
	}
	if u := opendata.NewURIs("https://ikz.example.org/"); u.Partner("citeq") != "https://ikz.example.org/api/v1/partners/citeq" ||
		u.Cooperation("k-1") != "https://ikz.example.org/api/v1/cooperations/k-1" || u.Project("p-1") != "https://ikz.example.org/api/v1/projects/p-1" {
		t.Errorf("URIs: %s %s %s", u.Partner("citeq"), u.Cooperation("k-1"), u.Project("p-1"))
	}
}
