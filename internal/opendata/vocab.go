package opendata

import "strings"

// Namespaces of the vocabularies the catalogue uses, with the prefixes it writes them
// under (Turtle and the JSON-LD context).
var prefixes = []struct{ prefix, ns string }{
	{"rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
	{"xsd", "http://www.w3.org/2001/XMLSchema#"},
	{"dcat", "http://www.w3.org/ns/dcat#"},
	{"dct", "http://purl.org/dc/terms/"},
	{"dcatde", "http://dcat-ap.de/def/dcatde/"},
	{"foaf", "http://xmlns.com/foaf/0.1/"},
	{"vcard", "http://www.w3.org/2006/vcard/ns#"},
	{"lang", "http://publications.europa.eu/resource/authority/language/"},
	{"theme", "http://publications.europa.eu/resource/authority/data-theme/"},
	{"filetype", "http://publications.europa.eu/resource/authority/file-type/"},
	{"access", "http://publications.europa.eu/resource/authority/access-right/"},
	{"freq", "http://publications.europa.eu/resource/authority/frequency/"},
	{"geo", "http://dcat-ap.de/def/politicalGeocoding/"},
	{"licence", "http://dcat-ap.de/def/licenses/"},
}

// ns returns the IRI of name in the namespace of prefix.
func ns(prefix, name string) string {
	for _, p := range prefixes {
		if p.prefix == prefix {
			return p.ns + name
		}
	}
	panic("opendata: unknown prefix " + prefix)
}

// Terms used more than once.
var (
	rdfType     = ns("rdf", "type")
	xsdDate     = ns("xsd", "date")
	xsdDateTime = ns("xsd", "dateTime")
)

// licensesNS is the namespace of the DCAT-AP.de licence list.
const licensesNS = "http://dcat-ap.de/def/licenses/"

// DefaultLicense is Datenlizenz Deutschland – Namensnennung – Version 2.0.
const DefaultLicense = licensesNS + "dl-by-de/2.0"

// licenses is the DCAT-AP.de licence list (version 2021-07-21, the one GovData's
// validator imports): the identifiers below licensesNS.
var licenses = []string{
	"dl-zero-de/2.0", "dl-by-de/2.0", "dl-by-de/1.0", "dl-by-nc-de/1.0",
	"cc-zero", "cc-by", "cc-by/4.0", "cc-by-de/3.0", "cc-by-sa", "cc-by-sa/4.0", "cc-by-sa-de/3.0",
	"cc-by-nc", "cc-by-nc/4.0", "cc-by-nc-de/3.0", "cc-by-nd", "cc-by-nd/3.0", "cc-by-nd/4.0", "ccpdm/1.0",
	"geonutz/20130319", "geoNutz/20131001", "officialWork", "odbl", "odby", "odcpddl",
	"apache", "bsd", "gfdl", "gpl/3.0", "mozilla",
	"other-open", "other-opensource", "other-closed", "other-commercial", "other-freeware",
}

// LicenseURI returns the licence list's URI for s, which is a URI of the list
// (http://dcat-ap.de/def/licenses/dl-by-de/2.0) or its identifier (dl-by-de/2.0).
func LicenseURI(s string) (string, bool) {
	id := strings.TrimPrefix(strings.TrimPrefix(s, "http://dcat-ap.de/def/licenses/"), "https://www.dcat-ap.de/def/licenses/")
	for _, l := range licenses {
		if l == id {
			return licensesNS + l, true
		}
	}
	return "", false
}
