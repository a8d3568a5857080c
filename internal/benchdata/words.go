package benchdata

// Phrase lists the generator composes names, titles and descriptions from. The place
// names are made up from common German name parts; any likeness to a real place is a
// coincidence of those parts.

var (
	placeRoots = []string{"Wester", "Oster", "Linden", "Eichen", "Birken", "Rosen", "Stein", "Wald", "Holz",
		"Mühl", "Kron", "Sonnen", "Brunn", "Hagen", "Roden", "Schön", "Ahl", "Bor", "Dülm", "Telg", "Lipp",
		"Senden", "Ems", "Waren", "Sass", "Hamm", "Kamen", "Fried", "Heid", "Ebers", "Königs", "Marien",
		"Hohen", "Lauen", "Falken", "Adler", "Buchen", "Tannen", "Fichten", "Erlen", "Weiden", "Hassel",
		"Kirch", "Burg", "Berg", "Tal", "Mark", "Wolfs", "Bären", "Hirsch", "Fuchs", "Raben", "Kranich",
		"Seel", "Graf", "Herz", "Mönch", "Nonnen", "Ritter", "Schwan", "Wiesen", "Moor", "Heide", "Sand"}
	placeEnds = []string{"hausen", "berg", "dorf", "feld", "heim", "bach", "burg", "stadt", "kirchen", "brück",
		"au", "beck", "horst", "ingen", "lohe", "rode", "münster", "furt", "hagen", "wede", "stedt", "born",
		"tal", "ow", "itz", "leben", "weiler", "hofen", "walde", "see"}
	placePrefixes = []string{"", "", "", "", "", "", "Ober", "Nieder", "Alt", "Neu", "Groß", "Klein", "Bad ", "Sankt "}
	regions       = []string{"Münsterland", "Sauerland", "Emsland", "Eifel", "Hunsrück", "Allgäu", "Ostalb",
		"Oberlausitz", "Altmark", "Uckermark", "Vogtland", "Rhön", "Spessart", "Odenwald", "Westerwald",
		"Niederrhein", "Ostwestfalen", "Bergisches Land", "Harz", "Lüneburger Heide", "Vorpommern",
		"Oberpfalz", "Breisgau", "Hohenlohe", "Wetterau", "Nordfriesland", "Wesermarsch", "Erzgebirge"}

	// The territorial states with the name of their law on inter-municipal cooperation.
	lawOfState = []struct{ code, law string }{
		{"DE-SH", "GkZ Schleswig-Holstein"}, {"DE-NI", "NKomZG"}, {"DE-NW", "GkG NRW"},
		{"DE-HE", "KGG Hessen"}, {"DE-RP", "LKO Rheinland-Pfalz"}, {"DE-BW", "GKZ BW"},
		{"DE-BY", "BayKommZG"}, {"DE-SL", "KGG Saarland"}, {"DE-BB", "GKGBbg"},
		{"DE-MV", "GKG M-V"}, {"DE-SN", "SächsKomZG"}, {"DE-ST", "GKG-LSA"},
		{"DE-TH", "ThürKGG"},
	}

	departments = []string{"Stadtarchiv", "Bürgeramt", "Ordnungsamt", "Schulamt", "Bauamt", "Standesamt",
		"Jugendamt", "Sozialamt", "Kämmerei", "Hauptamt", "Amt für Digitalisierung", "Personalamt",
		"Vermessungs- und Katasteramt", "Feuerwehr", "Volkshochschule", "Stadtbibliothek", "Gesundheitsamt"}
	itProviderKinds = []string{"Kommunales Rechenzentrum", "Kommunale Datenverarbeitung", "Zweckverband IT",
		"IT-Dienstleister", "ITK-Verbund", "Regionales Rechenzentrum", "Kommunale IT-Union"}
	associationKinds = []string{"Zweckverband Breitband", "Zweckverband Schul-IT", "Zweckverband E-Government",
		"Zweckverband Wasser", "Zweckverband Abfallwirtschaft", "Zweckverband Sparkasse"}
	companyKinds = []string{"Softwarehaus", "Systemhaus", "Beratung Verwaltung digital", "Netzdienste"}

	topics = []string{"Langzeitarchivierung", "Rechenzentrumsbetrieb", "IT-Hotline", "Behördennetz-Anbindung",
		"Softwareverteilung", "Informationssicherheit", "E-Akte", "Netzwerkmodernisierung", "Bürgerservice online",
		"Schulverwaltung digital", "Fachverfahren-Migration", "Rechenzentren-Konsolidierung", "Glasfaserausbau",
		"Personalsoftware", "Geoinformationssystem", "Telefonanlage", "Druckerflotte", "Ratsinformationssystem",
		"Finanzwesen", "Service-Desk", "Archivportal", "Datenschutzberatung", "Sicherheitsaudit", "Cloud-Speicher",
		"Open-Data-Portal", "Videokonferenzen", "Kita-Verwaltung", "Kfz-Zulassung", "Dokumentenmanagement",
		"Webportal", "Zeiterfassung", "Beschaffungsplattform", "Elternportal", "Friedhofsverwaltung",
		"Gewerbeanmeldung", "Wohngeldverfahren", "Einwohnermeldewesen", "Standesamt digital", "Bauantrag online",
		"Hundesteuer", "Parkraumbewirtschaftung", "Abfallkalender", "Sitzungsdienst", "Mobiles Arbeiten",
		"Client-Management", "Backup-Konzept", "Notfallhandbuch", "Lizenzmanagement", "Schul-WLAN",
		"Tablet-Ausstattung", "Virtuelle Poststelle", "Onlinezugangsgesetz", "Servicekonto", "Formularserver",
		"Bürgertelefon", "Katasterdaten", "Vermessung", "Straßenbeleuchtung", "Energiemonitoring"}
	qualifiers = []string{"", "", "", " Pilot", " Phase 2", " – Einführung", " – Ausbau", " – Erneuerung", " (gemeinsam)"}
	subjects   = []string{"Die Stadtverwaltung", "Der Kreis", "Die beteiligten Kommunen", "Das Amt für Digitalisierung",
		"Der IT-Dienstleister", "Die Gemeinde", "Das Rechenzentrum", "Der Zweckverband", "Die Schulträger",
		"Das Hauptamt", "Die Kämmerei", "Das Bürgeramt", "Die Projektgruppe", "Der Lenkungskreis"}
	verbs = []string{"führt", "betreibt", "modernisiert", "beschafft", "plant", "erneuert", "vereinheitlicht",
		"konsolidiert", "prüft", "dokumentiert", "migriert", "übernimmt", "begleitet", "testet", "stellt um auf"}
	objects = []string{"die Langzeitarchivierung", "die Archivierung der Bauakten", "das Behördennetz",
		"die Serverlandschaft", "die Fachsoftware", "die Telefonie", "die Arbeitsplatzrechner", "das Dokumentenmanagement",
		"die E-Akte", "das Personalwesen", "die Haushaltsplanung", "die Schulnetze", "das WLAN der Rathäuser",
		"die Informationssicherheit", "den Datenschutz", "die Notfallvorsorge", "die Datensicherung",
		"die Rechenzentrumskapazitäten", "die Hotline für Beschäftigte", "den Service-Desk", "die Lizenzen",
		"das Bürgerportal", "die Onlinedienste", "die Formulare", "die Terminvergabe", "die Zahlungsabwicklung",
		"das Geoportal", "die Liegenschaftsdaten", "den Glasfaseranschluss", "die Videokonferenztechnik",
		"die Druckdienste", "die Poststelle", "das Ratsinformationssystem", "die Sitzungsverwaltung",
		"die Kita-Platzvergabe", "das Einwohnermeldeverfahren", "die Kfz-Zulassung", "die Gewerbeverfahren",
		"das Wohngeld", "die Bauanträge", "die Friedhofsverwaltung", "die Abfallgebühren", "die Zeiterfassung",
		"die Reisekosten", "die Beschaffung", "die Vergabeverfahren", "die Schnittstellen", "die Stammdaten",
		"die Benutzerverwaltung", "die Verzeichnisdienste", "die Mailserver", "die Firewalls",
		"die Virtualisierung", "die Speichersysteme", "das Monitoring", "die Softwareverteilung",
		"die mobilen Endgeräte", "die Tablets der Schulen", "das Intranet", "die Webseiten"}
	contexts = []string{"gemeinsam mit den Nachbarkommunen", "im Rahmen der Kooperation", "nach BSI-Grundschutz",
		"bis Ende des Jahres", "in mehreren Stufen", "mit Fördermitteln des Landes", "für alle Standorte",
		"im Auftrag der Verwaltungsleitung", "nach dem Onlinezugangsgesetz", "mit externer Unterstützung",
		"im laufenden Betrieb", "für rund 2.000 Beschäftigte", "in enger Abstimmung mit dem Personalrat",
		"auf Grundlage einer öffentlich-rechtlichen Vereinbarung", "über das Netz des Landes",
		"im Rechenzentrum des Kreises", "ohne Ausschreibung (In-house-Vergabe)", "mit gemeinsamer Lenkungsgruppe"}
	benefits = []string{"Die Kosten je Arbeitsplatz sinken dadurch spürbar.", "Doppelte Strukturen entfallen.",
		"Fachpersonal wird gebündelt und Vertretungen sind gesichert.", "Bürgerinnen und Bürger erhalten schnellere Antworten.",
		"Die Anforderungen an Datenschutz und Informationssicherheit werden gemeinsam erfüllt.",
		"Lizenzen und Wartungsverträge werden gemeinsam beschafft.", "Die Verfügbarkeit der Dienste steigt.",
		"Kleinere Gemeinden profitieren vom Know-how der größeren Partner."}

	tags = []string{"rechenzentrum", "e-akte", "ozg", "archiv", "cloud", "datenschutz", "informationssicherheit",
		"netz", "glasfaser", "schule", "service-desk", "hotline", "fachverfahren", "geodaten", "open-data",
		"bürgerservice", "personal", "finanzen", "beschaffung", "telefonie", "video", "druck", "lizenzen",
		"backup", "notfall", "energie", "mobilität", "kita", "standesamt", "melderecht", "kfz", "bauen"}
	solutionNames = []string{"Archiv.kommunal", "AktenWerk", "BürgerDesk", "NetzKommunal", "RatsInfo plus",
		"GeoPortal Kommunal", "KitaPlaner", "FormularFix", "ServiceKonto+", "DMS Verwaltung", "SchulNetz",
		"ZeitKonto", "Beschaffung24", "Friedhof digital", "Meldewesen kompakt", "BauantragOnline", "HotlinePro",
		"SecureMail Kommunal", "Backup as a Service", "Client-Manager", "WLAN Rathaus", "Telefonie Cloud",
		"Videokonferenz Kommunal", "Energiemonitor", "Abfall-App", "Parken digital", "Gewerbe online",
		"Wohngeld digital", "Standesamt 4.0", "Kfz-Portal", "Haushalt plus", "Personal kompakt"}
	legalForms = []string{"eigenbetriebsähnliche Einrichtung", "Anstalt des öffentlichen Rechts", "GmbH",
		"Zweckverband", "Eigenbetrieb", "Körperschaft des öffentlichen Rechts"}
	streets = []string{"Rathausplatz", "Marktplatz", "Hauptstraße", "Schlossplatz", "Am Rathaus", "Kirchstraße",
		"Bahnhofstraße", "Lindenallee", "Verwaltungsweg", "Kreishausstraße"}
)
