package config

import (
	"strings"
	"unicode"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/opendata"
)

// openDataVars are the settings of the open-data catalogue and the linked data.
var openDataVars = []Var{
	{"IKZ_PUBLISHER_NAME", "IKZ-Verzeichnis", "publisher of the open data (DCAT dct:publisher, contact point, licence attribution), e.g. Stadt Münster"},
	{"IKZ_PUBLISHER_URI", "", "URI of the publisher, e.g. its entry in an authority file; empty = the public base URL + /#publisher"},
	{"IKZ_CONTACT_EMAIL", "", "contact e-mail address of the catalogue (dcat:contactPoint); empty = the web site"},
	{"IKZ_DATA_LICENSE", "dl-by-de/2.0", "licence of the open data from the DCAT-AP.de licence list: its identifier (dl-by-de/2.0, dl-zero-de/2.0, cc-by/4.0, cc-zero, …) or URI"},
}

// openData reads the open-data settings.
func (r *reader) openData(publicURL string, publicRead bool) opendata.Settings {
	s := opendata.Settings{
		PublicURL:     publicURL,
		PublisherName: r.get("IKZ_PUBLISHER_NAME"),
		PublisherURI:  r.get("IKZ_PUBLISHER_URI"),
		ContactEmail:  r.get("IKZ_CONTACT_EMAIL"),
		PublicRead:    publicRead,
	}
	if len(s.PublisherName) > 200 || strings.IndexFunc(s.PublisherName, unicode.IsControl) >= 0 {
		r.fail("IKZ_PUBLISHER_NAME", "want a name of at most 200 characters without control characters")
	}
	if s.PublisherURI != "" && !coop.ValidURL(s.PublisherURI) {
		r.fail("IKZ_PUBLISHER_URI", "want an http(s) URI, got %q", s.PublisherURI)
	}
	if s.ContactEmail != "" && !coop.ValidEmail(s.ContactEmail) {
		r.fail("IKZ_CONTACT_EMAIL", "want an e-mail address like opendata@example.org, got %q", s.ContactEmail)
	}
	license, ok := opendata.LicenseURI(r.get("IKZ_DATA_LICENSE"))
	if !ok {
		r.fail("IKZ_DATA_LICENSE", "want a licence of the DCAT-AP.de list, e.g. dl-by-de/2.0, dl-zero-de/2.0 or cc-by/4.0, got %q", r.get("IKZ_DATA_LICENSE"))
	}
	s.License = license
	return s
}
