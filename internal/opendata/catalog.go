package opendata

import "slices"

// The catalogue is one dcat:Catalog with three datasets — partners, cooperations,
// projects — each with its downloads (CSV, XLSX, JSON) and the API as distributions,
// and the API as a dcat:DataService. A cooperation is a record of the cooperations
// dataset, not a dataset of its own: it has no files, licence or publisher of its own,
// its facts are a row of one download, and thousands of one-row datasets would bury
// the directory in a portal's search. Each cooperation is linked data at its own URI
// instead (schemaorg.go).

// dataset describes one of the catalogue's datasets.
type dataset struct {
	name           string // fragment and export path: partners, cooperations, projects
	titleDE        string
	titleEN        string
	descDE, descEN string
	themes         []string
	landingPage    string // path of the web page listing it; "" = none
	facts          func(facts) collection
}

var datasets = []dataset{
	{
		name:    "partners",
		titleDE: "Partner interkommunaler IT-Kooperationen", titleEN: "Partners of inter-municipal IT cooperations",
		descDE: "Kommunen, Kreise, Landschaftsverbände, kommunale IT-Dienstleister und weitere Stellen, die an " +
			"interkommunalen IT-Kooperationen beteiligt sind: Name, Typ, übergeordnete Stelle, amtliche Schlüssel " +
			"(AGS, ARS), Leitweg-ID, Anschrift, Website und Beschäftigte.",
		descEN: "Municipalities, districts, regional associations, municipal IT service providers and other bodies " +
			"taking part in inter-municipal IT cooperations: name, type, parent body, official keys (AGS, ARS), " +
			"Leitweg-ID, address, website and staff.",
		themes:      []string{"GOVE", "REGI"},
		landingPage: "/verzeichnis/partner",
		facts:       func(f facts) collection { return f.partners },
	},
	{
		name:    "cooperations",
		titleDE: "Interkommunale IT-Kooperationen", titleEN: "Inter-municipal IT cooperations",
		descDE: "Kooperationen von zwei oder mehr Partnern: Status, Rechtsform, Beginn und Ende, Mitglieder mit " +
			"ihren Rollen, Rechtsgrundlagen, Kündigungsfrist, umsatzsteuerliche Behandlung und Vergaberecht.",
		descEN: "Cooperations of two or more partners: status, legal form, start and end, members with their " +
			"roles, legal basis, notice period, VAT treatment and procurement exemption.",
		themes: []string{"GOVE"},
		facts:  func(f facts) collection { return f.cooperations },
	},
	{
		name:    "projects",
		titleDE: "Vorhaben interkommunaler IT-Kooperationen", titleEN: "Projects of inter-municipal IT cooperations",
		descDE: "Die Vorhaben der Kooperationen: Status, Kategorie, Kooperation, Beteiligte mit ihren Rollen, " +
			"Beginn und Ende. Ohne Finanzdaten.",
		descEN: "The cooperations' projects: status, category, cooperation, participants with their roles, start " +
			"and end. Without financial data.",
		themes:      []string{"GOVE"},
		landingPage: "/verzeichnis/vorhaben",
		facts:       func(f facts) collection { return f.projects },
	},
}

// format is a download format of every dataset.
type format struct {
	name, fileType, mediaType string
	titleDE, titleEN          string
	descDE, descEN            string
}

var formats = []format{
	{
		name: "csv", fileType: "CSV", mediaType: "text/csv", titleDE: "als CSV", titleEN: "as CSV",
		descDE: "UTF-8 mit BOM, Semikolon und Dezimalkomma für deutsches Excel; mit delimiter=comma Komma und Dezimalpunkt.",
		descEN: "UTF-8 with BOM, semicolons and decimal commas for German Excel; delimiter=comma for commas and decimal points.",
	},
	{
		name: "xlsx", fileType: "XLSX", mediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		titleDE: "als Excel-Arbeitsmappe", titleEN: "as Excel workbook",
		descDE: "Typisierte Zellen (Datum, Zahlen), fixierte Kopfzeile und Autofilter.",
		descEN: "Typed cells (dates, numbers), frozen header row and autofilter.",
	},
	{
		name: "json", fileType: "JSON", mediaType: "application/json", titleDE: "als JSON", titleEN: "as JSON",
		descDE: "Ein JSON-Array der Datensätze in der Form der API.",
		descEN: "A JSON array of the records as the API shows them.",
	},
}

// build writes the catalogue's graph.
func build(s Settings, f facts) *graph {
	u := NewURIs(s.PublicURL)
	w := &catalogWriter{graph: &graph{}, s: s, f: f, u: u, cat: u.Catalog(), publisher: s.PublisherURI,
		contact: u.inCatalog("contact"), api: u.inCatalog("api"), access: ns("access", "PUBLIC")}
	if !s.PublicRead {
		w.access = ns("access", "RESTRICTED")
	}
	w.catalogue()
	w.agents()
	w.service()
	for _, d := range datasets {
		w.dataset(d)
	}
	for _, place := range w.locations {
		w.typed(place, ns("dct", "Location"))
	}
	return w.graph
}

// catalogWriter writes the catalogue's nodes into its graph.
type catalogWriter struct {
	*graph
	s                            Settings
	f                            facts
	u                            URIs
	cat, publisher, contact, api string // the nodes everything refers to
	access                       string // the data's access right
	locations                    []string
}

// modified dates a node by the directory's last change.
func (w *catalogWriter) modified(subject string) {
	if !w.f.stamp.At.IsZero() {
		w.dateTime(subject, ns("dct", "modified"), w.f.stamp.At)
	}
}

func (w *catalogWriter) catalogue() {
	w.typed(w.cat, ns("dcat", "Catalog"))
	w.bilingual(w.cat, ns("dct", "title"), "IKZ-Verzeichnis: interkommunale IT-Kooperationen",
		"IKZ directory: inter-municipal IT cooperations")
	w.bilingual(w.cat, ns("dct", "description"),
		"Offenes Verzeichnis interkommunaler IT-Kooperationen: welche Kommunen, Kreise, Landschaftsverbände und "+
			"kommunalen IT-Dienstleister bei welchen Vorhaben zusammenarbeiten, mit welcher Lösung, auf welcher "+
			"Rechtsgrundlage und wie weit sie gekommen sind.",
		"An open directory of inter-municipal IT cooperations in Germany: which municipalities, districts, "+
			"regional associations and municipal IT service providers work together on which projects, with "+
			"which solution, on which legal basis and how far they have come.")
	w.ref(w.cat, ns("dct", "publisher"), w.publisher)
	w.ref(w.cat, ns("dct", "language"), ns("lang", "DEU"))
	w.ref(w.cat, ns("dct", "license"), w.s.License)
	w.ref(w.cat, ns("foaf", "homepage"), w.u.Base()+"/")
	w.modified(w.cat)
	for _, d := range datasets {
		w.ref(w.cat, ns("dcat", "dataset"), w.u.inCatalog(d.name))
	}
	w.ref(w.cat, ns("dcat", "service"), w.api)
}

// agents writes the publisher and the contact point (by e-mail, else the web site).
func (w *catalogWriter) agents() {
	w.typed(w.publisher, ns("foaf", "Agent"), ns("foaf", "Organization"))
	w.text(w.publisher, ns("foaf", "name"), w.s.PublisherName)
	w.typed(w.contact, ns("vcard", "Kind"), ns("vcard", "Organization"))
	w.text(w.contact, ns("vcard", "fn"), w.s.PublisherName)
	if w.s.ContactEmail != "" {
		w.ref(w.contact, ns("vcard", "hasEmail"), "mailto:"+w.s.ContactEmail)
	} else {
		w.ref(w.contact, ns("vcard", "hasURL"), w.u.Base()+"/")
	}
}

// service writes the API as a dcat:DataService described by the OpenAPI document.
func (w *catalogWriter) service() {
	w.typed(w.api, ns("dcat", "DataService"))
	w.bilingual(w.api, ns("dct", "title"), "IKZ-Verzeichnis API", "IKZ directory API")
	w.bilingual(w.api, ns("dct", "description"),
		"JSON-REST-API des Verzeichnisses mit Listen, Filtern, Volltextsuche, Änderungs-Feed und Downloads; "+
			"beschrieben durch ein OpenAPI-3.0-Dokument.",
		"The directory's JSON REST API with lists, filters, full-text search, change feed and downloads; "+
			"described by an OpenAPI 3.0 document.")
	w.ref(w.api, ns("dcat", "endpointURL"), w.u.Base()+"/api/v1")
	w.ref(w.api, ns("dcat", "endpointDescription"), w.u.Base()+"/openapi.json")
	w.ref(w.api, ns("dct", "publisher"), w.publisher)
	w.ref(w.api, ns("dcat", "contactPoint"), w.contact)
	w.ref(w.api, ns("dct", "license"), w.s.License)
	w.ref(w.api, ns("dct", "accessRights"), w.access)
	w.ref(w.api, ns("dct", "format"), ns("filetype", "JSON"))
	for _, d := range datasets {
		w.ref(w.api, ns("dcat", "servesDataset"), w.u.inCatalog(d.name))
	}
}

// dataset writes a dataset with its places, period and distributions.
func (w *catalogWriter) dataset(d dataset) {
	ds, c := w.u.inCatalog(d.name), d.facts(w.f)
	w.typed(ds, ns("dcat", "Dataset"))
	w.bilingual(ds, ns("dct", "title"), d.titleDE, d.titleEN)
	w.bilingual(ds, ns("dct", "description"), d.descDE, d.descEN)
	w.text(ds, ns("dct", "identifier"), ds)
	w.ref(ds, ns("dct", "publisher"), w.publisher)
	w.ref(ds, ns("dcat", "contactPoint"), w.contact)
	for _, t := range d.themes {
		w.ref(ds, ns("dcat", "theme"), ns("theme", t))
	}
	for _, kw := range []string{"Interkommunale Zusammenarbeit", "IT-Kooperation", "Kommunen", "Digitalisierung der Verwaltung"} {
		w.add(ds, ns("dcat", "keyword"), langString(kw, "de"))
	}
	for _, kw := range []string{"inter-municipal cooperation", "IT cooperation", "municipalities", "digital government"} {
		w.add(ds, ns("dcat", "keyword"), langString(kw, "en"))
	}
	w.ref(ds, ns("dct", "language"), ns("lang", "DEU"))
	w.ref(ds, ns("dct", "accessRights"), w.access)
	w.ref(ds, ns("dct", "accrualPeriodicity"), ns("freq", "UPDATE_CONT"))
	if d.landingPage != "" {
		w.ref(ds, ns("dcat", "landingPage"), w.u.Base()+d.landingPage)
	}
	w.modified(ds)
	if spatial, levelURI := c.places.spatial(); len(spatial) > 0 {
		w.ref(ds, ns("dct", "spatial"), spatial...)
		w.ref(ds, ns("dcatde", "politicalGeocodingLevelURI"), levelURI)
		for _, place := range spatial {
			if !slices.Contains(w.locations, place) {
				w.locations = append(w.locations, place)
			}
		}
	}
	if from, to := c.period.From, c.period.To; !from.IsZero() || !to.IsZero() {
		period := w.u.inCatalog(d.name + "-period")
		w.ref(ds, ns("dct", "temporal"), period)
		w.typed(period, ns("dct", "PeriodOfTime"))
		if !from.IsZero() {
			w.date(period, ns("dcat", "startDate"), from.First())
		}
		if !to.IsZero() {
			w.date(period, ns("dcat", "endDate"), to.End().AddDate(0, 0, -1))
		}
	}
	for _, fm := range formats {
		w.ref(ds, ns("dcat", "distribution"), w.u.inCatalog(d.name+"-"+fm.name))
	}
	w.ref(ds, ns("dcat", "distribution"), w.u.inCatalog(d.name+"-api"))
	w.distributions(d)
}

// distributions writes a dataset's downloads and its distribution through the API.
func (w *catalogWriter) distributions(d dataset) {
	for _, fm := range formats {
		dist, file := w.u.inCatalog(d.name+"-"+fm.name), w.u.Base()+"/api/v1/exports/"+d.name+"?format="+fm.name
		w.typed(dist, ns("dcat", "Distribution"))
		w.bilingual(dist, ns("dct", "title"), d.titleDE+" "+fm.titleDE, d.titleEN+" "+fm.titleEN)
		w.bilingual(dist, ns("dct", "description"), fm.descDE, fm.descEN)
		w.ref(dist, ns("dcat", "accessURL"), file)
		w.ref(dist, ns("dcat", "downloadURL"), file)
		w.ref(dist, ns("dct", "format"), ns("filetype", fm.fileType))
		w.ref(dist, ns("dcat", "mediaType"), "https://www.iana.org/assignments/media-types/"+fm.mediaType)
		w.licensed(dist)
	}
	dist := w.u.inCatalog(d.name + "-api")
	w.typed(dist, ns("dcat", "Distribution"))
	w.bilingual(dist, ns("dct", "title"), d.titleDE+" über die API", d.titleEN+" through the API")
	w.bilingual(dist, ns("dct", "description"),
		"Blätterbare, filterbare Liste als JSON; jeder Datensatz auch einzeln, als JSON oder JSON-LD (schema.org).",
		"A pageable, filterable JSON list; every record also on its own, as JSON or JSON-LD (schema.org).")
	w.ref(dist, ns("dcat", "accessURL"), w.u.Base()+"/api/v1/"+d.name)
	w.ref(dist, ns("dcat", "accessService"), w.api)
	w.ref(dist, ns("dct", "format"), ns("filetype", "JSON"))
	w.ref(dist, ns("dcat", "mediaType"), "https://www.iana.org/assignments/media-types/application/json")
	w.licensed(dist)
}

// licensed adds what every distribution carries: licence, attribution, date.
func (w *catalogWriter) licensed(dist string) {
	w.ref(dist, ns("dct", "license"), w.s.License)
	w.text(dist, ns("dcatde", "licenseAttributionByText"), w.s.PublisherName+" ("+w.u.Base()+"/)")
	w.modified(dist)
}
