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
	g := &graph{}
	cat, publisher, contact, api := u.Catalog(), s.PublisherURI, u.inCatalog("contact"), u.inCatalog("api")
	access := ns("access", "PUBLIC")
	if !s.PublicRead {
		access = ns("access", "RESTRICTED")
	}
	var locations []string // every place named, typed once at the end
	modified := func(subject string) {
		if !f.stamp.At.IsZero() {
			g.dateTime(subject, ns("dct", "modified"), f.stamp.At)
		}
	}

	g.typed(cat, ns("dcat", "Catalog"))
	g.bilingual(cat, ns("dct", "title"), "IKZ-Verzeichnis: interkommunale IT-Kooperationen",
		"IKZ directory: inter-municipal IT cooperations")
	g.bilingual(cat, ns("dct", "description"),
		"Offenes Verzeichnis interkommunaler IT-Kooperationen: welche Kommunen, Kreise, Landschaftsverbände und "+
			"kommunalen IT-Dienstleister bei welchen Vorhaben zusammenarbeiten, mit welcher Lösung, auf welcher "+
			"Rechtsgrundlage und wie weit sie gekommen sind.",
		"An open directory of inter-municipal IT cooperations in Germany: which municipalities, districts, "+
			"regional associations and municipal IT service providers work together on which projects, with "+
			"which solution, on which legal basis and how far they have come.")
	g.ref(cat, ns("dct", "publisher"), publisher)
	g.ref(cat, ns("dct", "language"), ns("lang", "DEU"))
	g.ref(cat, ns("dct", "license"), s.License)
	g.ref(cat, ns("foaf", "homepage"), u.Base()+"/")
	modified(cat)
	for _, d := range datasets {
		g.ref(cat, ns("dcat", "dataset"), u.inCatalog(d.name))
	}
	g.ref(cat, ns("dcat", "service"), api)

	g.typed(publisher, ns("foaf", "Agent"), ns("foaf", "Organization"))
	g.text(publisher, ns("foaf", "name"), s.PublisherName)

	g.typed(contact, ns("vcard", "Kind"), ns("vcard", "Organization"))
	g.text(contact, ns("vcard", "fn"), s.PublisherName)
	if s.ContactEmail != "" {
		g.ref(contact, ns("vcard", "hasEmail"), "mailto:"+s.ContactEmail)
	} else {
		g.ref(contact, ns("vcard", "hasURL"), u.Base()+"/")
	}

	g.typed(api, ns("dcat", "DataService"))
	g.bilingual(api, ns("dct", "title"), "IKZ-Verzeichnis API", "IKZ directory API")
	g.bilingual(api, ns("dct", "description"),
		"JSON-REST-API des Verzeichnisses mit Listen, Filtern, Volltextsuche, Änderungs-Feed und Downloads; "+
			"beschrieben durch ein OpenAPI-3.0-Dokument.",
		"The directory's JSON REST API with lists, filters, full-text search, change feed and downloads; "+
			"described by an OpenAPI 3.0 document.")
	g.ref(api, ns("dcat", "endpointURL"), u.Base()+"/api/v1")
	g.ref(api, ns("dcat", "endpointDescription"), u.Base()+"/openapi.json")
	g.ref(api, ns("dct", "publisher"), publisher)
	g.ref(api, ns("dcat", "contactPoint"), contact)
	g.ref(api, ns("dct", "license"), s.License)
	g.ref(api, ns("dct", "accessRights"), access)
	g.ref(api, ns("dct", "format"), ns("filetype", "JSON"))
	for _, d := range datasets {
		g.ref(api, ns("dcat", "servesDataset"), u.inCatalog(d.name))
	}

	for _, d := range datasets {
		ds, c := u.inCatalog(d.name), d.facts(f)
		g.typed(ds, ns("dcat", "Dataset"))
		g.bilingual(ds, ns("dct", "title"), d.titleDE, d.titleEN)
		g.bilingual(ds, ns("dct", "description"), d.descDE, d.descEN)
		g.text(ds, ns("dct", "identifier"), ds)
		g.ref(ds, ns("dct", "publisher"), publisher)
		g.ref(ds, ns("dcat", "contactPoint"), contact)
		for _, t := range d.themes {
			g.ref(ds, ns("dcat", "theme"), ns("theme", t))
		}
		for _, kw := range []string{"Interkommunale Zusammenarbeit", "IT-Kooperation", "Kommunen", "Digitalisierung der Verwaltung"} {
			g.add(ds, ns("dcat", "keyword"), langString(kw, "de"))
		}
		for _, kw := range []string{"inter-municipal cooperation", "IT cooperation", "municipalities", "digital government"} {
			g.add(ds, ns("dcat", "keyword"), langString(kw, "en"))
		}
		g.ref(ds, ns("dct", "language"), ns("lang", "DEU"))
		g.ref(ds, ns("dct", "accessRights"), access)
		g.ref(ds, ns("dct", "accrualPeriodicity"), ns("freq", "UPDATE_CONT"))
		if d.landingPage != "" {
			g.ref(ds, ns("dcat", "landingPage"), u.Base()+d.landingPage)
		}
		modified(ds)
		if spatial, levelURI := c.places.spatial(); len(spatial) > 0 {
			g.ref(ds, ns("dct", "spatial"), spatial...)
			for _, place := range spatial {
				if !slices.Contains(locations, place) {
					locations = append(locations, place)
				}
			}
			g.ref(ds, ns("dcatde", "politicalGeocodingLevelURI"), levelURI)
		}
		if from, to := c.period.From, c.period.To; !from.IsZero() || !to.IsZero() {
			period := u.inCatalog(d.name + "-period")
			g.ref(ds, ns("dct", "temporal"), period)
			g.typed(period, ns("dct", "PeriodOfTime"))
			if !from.IsZero() {
				g.date(period, ns("dcat", "startDate"), from.First())
			}
			if !to.IsZero() {
				g.date(period, ns("dcat", "endDate"), to.End().AddDate(0, 0, -1))
			}
		}
		for _, fm := range formats {
			g.ref(ds, ns("dcat", "distribution"), u.inCatalog(d.name+"-"+fm.name))
		}
		g.ref(ds, ns("dcat", "distribution"), u.inCatalog(d.name+"-api"))

		for _, fm := range formats {
			dist, file := u.inCatalog(d.name+"-"+fm.name), u.Base()+"/api/v1/exports/"+d.name+"?format="+fm.name
			g.typed(dist, ns("dcat", "Distribution"))
			g.bilingual(dist, ns("dct", "title"), d.titleDE+" "+fm.titleDE, d.titleEN+" "+fm.titleEN)
			g.bilingual(dist, ns("dct", "description"), fm.descDE, fm.descEN)
			g.ref(dist, ns("dcat", "accessURL"), file)
			g.ref(dist, ns("dcat", "downloadURL"), file)
			g.ref(dist, ns("dct", "format"), ns("filetype", fm.fileType))
			g.ref(dist, ns("dcat", "mediaType"), "https://www.iana.org/assignments/media-types/"+fm.mediaType)
			distribution(g, s, dist, modified)
		}
		dist := u.inCatalog(d.name + "-api")
		g.typed(dist, ns("dcat", "Distribution"))
		g.bilingual(dist, ns("dct", "title"), d.titleDE+" über die API", d.titleEN+" through the API")
		g.bilingual(dist, ns("dct", "description"),
			"Blätterbare, filterbare Liste als JSON; jeder Datensatz auch einzeln, als JSON oder JSON-LD (schema.org).",
			"A pageable, filterable JSON list; every record also on its own, as JSON or JSON-LD (schema.org).")
		g.ref(dist, ns("dcat", "accessURL"), u.Base()+"/api/v1/"+d.name)
		g.ref(dist, ns("dcat", "accessService"), api)
		g.ref(dist, ns("dct", "format"), ns("filetype", "JSON"))
		g.ref(dist, ns("dcat", "mediaType"), "https://www.iana.org/assignments/media-types/application/json")
		distribution(g, s, dist, modified)
	}
	for _, place := range locations {
		g.typed(place, ns("dct", "Location"))
	}
	return g
}

// distribution adds what every distribution carries: licence, attribution, date.
func distribution(g *graph, s Settings, dist string, modified func(string)) {
	g.ref(dist, ns("dct", "license"), s.License)
	g.text(dist, ns("dcatde", "licenseAttributionByText"), s.PublisherName+" ("+NewURIs(s.PublicURL).Base()+"/)")
	modified(dist)
}
