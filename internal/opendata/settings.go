// Package opendata describes the directory for open-data portals and the web of data:
// a DCAT-AP.de catalogue of its datasets (partners, cooperations, projects) with their
// downloads and the API, in Turtle and JSON-LD, and each partner, cooperation and
// project as schema.org JSON-LD — all under stable URIs on the public base URL.
package opendata

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// Settings are the operator's open-data settings.
type Settings struct {
	PublicURL     string // IKZ_PUBLIC_URL: absolute http(s) base URL; "" = the request's
	PublisherName string // IKZ_PUBLISHER_NAME
	PublisherURI  string // IKZ_PUBLISHER_URI; "" = base URL + "/#publisher"
	ContactEmail  string // IKZ_CONTACT_EMAIL; "" = the web site is the contact
	License       string // IKZ_DATA_LICENSE as a URI of the DCAT-AP.de licence list
	PublicRead    bool   // IKZ_PUBLIC_READ: the downloads need no token
}

// withDefaults fills what the operator left out, for the base URL a document is
// written for.
func (s Settings) withDefaults(base string) Settings {
	s.PublicURL = strings.TrimSuffix(base, "/")
	if s.PublisherName == "" {
		s.PublisherName = "IKZ-Verzeichnis"
	}
	if s.PublisherURI == "" {
		s.PublisherURI = s.PublicURL + "/#publisher"
	}
	if s.License == "" {
		s.License = DefaultLicense
	}
	return s
}

// URIs are the stable URIs of the directory's resources: the slug-based API paths on
// the public base URL, which answer with JSON or, for Accept: application/ld+json,
// with the resource's JSON-LD.
type URIs struct{ base string }

// NewURIs returns the URIs under the public base URL (IKZ_PUBLIC_URL, or the request's
// scheme and host where it is not set).
func NewURIs(base string) URIs { return URIs{base: strings.TrimSuffix(base, "/")} }

// Base is the public base URL without trailing slash.
func (u URIs) Base() string { return u.base }

// Partner is the URI of the partner with this slug.
func (u URIs) Partner(slug string) string { return u.base + "/api/v1/partners/" + url.PathEscape(slug) }

// Cooperation is the URI of the cooperation with this slug.
func (u URIs) Cooperation(slug string) string {
	return u.base + "/api/v1/cooperations/" + url.PathEscape(slug)
}

// Project is the URI of the project with this slug.
func (u URIs) Project(slug string) string { return u.base + "/api/v1/projects/" + url.PathEscape(slug) }

// Catalog is the URI of the DCAT catalogue; its datasets, distributions and the data
// service are fragments of it (…/api/v1/catalog#projects).
func (u URIs) Catalog() string { return u.base + "/api/v1/catalog" }

func (u URIs) inCatalog(fragment string) string { return u.Catalog() + "#" + fragment }

// plainHost is a host name or IPv4/IPv6 address with an optional port.
var plainHost = regexp.MustCompile(`^([A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]{2,45}\])(:[0-9]{1,5})?$`)

// BaseURL is the base of the URIs the open data names for a request: the configured
// public URL (IKZ_PUBLIC_URL), or where it is not set the request's scheme (https
// behind a proxy that says so in X-Forwarded-Proto) and host; a Host header that is
// not a plain host name counts as localhost. The API and the web pages take their
// URIs from it, so both name a resource alike.
func BaseURL(publicURL string, r *http.Request) string {
	if publicURL != "" {
		return strings.TrimSuffix(publicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	host := r.Host
	if !plainHost.MatchString(host) {
		host = "localhost"
	}
	return scheme + "://" + host
}
