package config_test

import (
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/config"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/opendata"
)

func TestOpenDataSettings(t *testing.T) {
	c, err := config.Load(env(map[string]string{
		"IKZ_PUBLIC_URL": "https://ikz.muenster.de/verzeichnis/", "IKZ_PUBLISHER_NAME": "Stadt Münster",
		"IKZ_PUBLISHER_URI": "https://www.stadt-muenster.de", "IKZ_CONTACT_EMAIL": "opendata@stadt-muenster.de",
		"IKZ_DATA_LICENSE": "dl-zero-de/2.0", "IKZ_PUBLIC_READ": "false",
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := opendata.Settings{PublicURL: "https://ikz.muenster.de/verzeichnis", PublisherName: "Stadt Münster",
		PublisherURI: "https://www.stadt-muenster.de", ContactEmail: "opendata@stadt-muenster.de",
		License: "http://dcat-ap.de/def/licenses/dl-zero-de/2.0", PublicRead: false}
	if c.OpenData != want {
		t.Errorf("got %+v\nwant %+v", c.OpenData, want)
	}
	if c, err := config.Load(env(map[string]string{"IKZ_DATA_LICENSE": "http://dcat-ap.de/def/licenses/cc-by/4.0"})); err != nil || c.OpenData.License != "http://dcat-ap.de/def/licenses/cc-by/4.0" {
		t.Errorf("licence by URI: %v %q", err, c.OpenData.License)
	}
	for _, tc := range []struct{ env, value, want string }{
		{"IKZ_PUBLISHER_URI", "urn:x", `IKZ_PUBLISHER_URI: want an http(s) URI, got "urn:x"`},
		{"IKZ_CONTACT_EMAIL", "Open Data <od@example.org>", `IKZ_CONTACT_EMAIL: want an e-mail address like opendata@example.org, got "Open Data <od@example.org>"`},
		{"IKZ_DATA_LICENSE", "MIT", `IKZ_DATA_LICENSE: want a licence of the DCAT-AP.de list, e.g. dl-by-de/2.0, dl-zero-de/2.0 or cc-by/4.0, got "MIT"`},
		{"IKZ_PUBLISHER_NAME", "Stadt\x00Münster", `IKZ_PUBLISHER_NAME: want a name of at most 200 characters without control characters`},
	} {
		_, err := config.Load(env(map[string]string{tc.env: tc.value}))
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s=%q: %v\nwant %s", tc.env, tc.value, err, tc.want)
		}
	}
}
