package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/textsearch"
)

// Test-only exports for the black-box tests and benchmarks of package store_test.

// ReindexSearch exposes reindexSearch: it returns how many documents it wrote.
func (db *DB) ReindexSearch(ctx context.Context) (int, error) { return db.reindexSearch(ctx) }

// GenerateSearchData fills db with partners, 100 cooperations and projects of
// German-sounding names and descriptions, fast: multi-row INSERTs straight into the
// tables (no change log, no history), then the search documents by ReindexSearch, the
// path migrations take for existing rows. The same seed gives the same data.
func (db *DB) GenerateSearchData(ctx context.Context, partners, projects int, seed uint64) error {
	r := rand.New(rand.NewPCG(seed, 1))
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var partnerRows []any
	for i := range partners {
		name := benchPartnerName(r, i)
		partnerRows = append(partnerRows, &partnerRow{ID: newID(), Slug: fmt.Sprintf("p-%d", i), Name: name,
			NameSort: textsearch.SortKey(name), Type: coop.PartnerTypes[r.IntN(len(coop.PartnerTypes))].Code,
			State: "DE-NW", City: benchPlace(r), Description: benchSentences(r, 1+r.IntN(2)),
			CreatedAt: now, UpdatedAt: now, Version: 1})
	}
	coops := make([]string, 100)
	var coopRows []any
	for i := range coops {
		coops[i] = newID()
		title := "Kooperation " + benchPlace(r) + " – " + benchPlace(r)
		coopRows = append(coopRows, &cooperationRow{ID: coops[i], Slug: fmt.Sprintf("k-%d", i), Title: title,
			TitleSort: textsearch.SortKey(title), Description: benchSentences(r, 3), Status: "active",
			LegalForm: "public_law_agreement", LegalBasis: "[]", Sources: "[]", CreatedAt: now, UpdatedAt: now, Version: 1})
	}
	var projectRows []any
	for i := range projects {
		title := benchTitle(r)
		projectRows = append(projectRows, &projectRow{ID: newID(), Slug: fmt.Sprintf("v-%d", i), Title: title,
			TitleSort: textsearch.SortKey(title), Description: benchSentences(r, 2+r.IntN(3)),
			CooperationID: coops[r.IntN(len(coops))], Category: coop.ProjectCategories[r.IntN(len(coop.ProjectCategories))].Code,
			Status: coop.ProjectStatuses[r.IntN(len(coop.ProjectStatuses))].Code, LegalBasis: "[]", Currency: "EUR",
			Tags: "[]", Sources: "[]", CreatedAt: now, UpdatedAt: now, Version: 1})
	}
	for _, rows := range [][]any{partnerRows, coopRows, projectRows} {
		for len(rows) > 0 {
			n := min(len(rows), 500)
			batch := rows[:n]
			err := db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
				switch batch[0].(type) {
				case *partnerRow:
					return tx.Create(typed[partnerRow](batch)).Error
				case *cooperationRow:
					return tx.Create(typed[cooperationRow](batch)).Error
				default:
					return tx.Create(typed[projectRow](batch)).Error
				}
			})
			if err != nil {
				return err
			}
			rows = rows[n:]
		}
	}
	_, err := db.reindexSearch(ctx)
	return err
}

func typed[T any](rows []any) []*T {
	out := make([]*T, len(rows))
	for i, r := range rows {
		out[i] = r.(*T)
	}
	return out
}

var (
	benchRoots = []string{"Wester", "Oster", "Linden", "Eichen", "Birken", "Rosen", "Stein", "Wald", "Holz",
		"Mühl", "Kron", "Sonnen", "Brunn", "Hagen", "Roden", "Schön", "Ahl", "Bor", "Dülm", "Telg", "Lipp",
		"Senden", "Emsd", "Waren", "Sass", "Ahlen", "Hamm", "Unna", "Lünen", "Kamen"}
	benchEnds = []string{"hausen", "berg", "dorf", "feld", "heim", "bach", "burg", "stadt", "kirchen", "brück",
		"au", "beck", "horst", "ingen", "lohe", "rode", "münster", "furt", "hagen", "wede"}
	benchPrefixes = []string{"", "", "", "Ober", "Nieder", "Alt", "Neu", "Groß", "Klein", "Bad "}
	benchKinds    = []string{"Stadt", "Gemeinde", "Kreis", "Zweckverband IT", "Kommunales Rechenzentrum",
		"Stadtwerke", "Stadtarchiv", "Ordnungsamt", "Bürgerbüro", "Schulamt", "Jobcenter", "Bauamt",
		"Kreisverwaltung", "Feuerwehr", "Volkshochschule"}
	benchTopics = []string{"Langzeitarchivierung", "Rechenzentrumsbetrieb", "IT-Hotline", "Behördennetz-Anbindung",
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
		"Bürgertelefon", "Ratsfernsehen", "Katasterdaten", "Vermessung", "Straßenbeleuchtung", "Energiemonitoring"}
	benchQualifiers = []string{"", "", "", " Pilot", " Phase 2", " – Einführung", " – Ausbau", " – Erneuerung", " (gemeinsam)"}
	benchSubjects   = []string{"Die Stadtverwaltung", "Der Kreis", "Die beteiligten Kommunen", "Das Amt für Digitalisierung",
		"Der IT-Dienstleister", "Die Gemeinde", "Das Rechenzentrum", "Der Zweckverband", "Die Schulträger",
		"Das Hauptamt", "Die Kämmerei", "Das Bürgeramt", "Die Projektgruppe", "Der Lenkungskreis"}
	benchVerbs = []string{"führt", "betreibt", "modernisiert", "beschafft", "plant", "erneuert", "vereinheitlicht",
		"konsolidiert", "prüft", "dokumentiert", "migriert", "übernimmt", "begleitet", "testet", "stellt um auf"}
	benchObjects = []string{"die Langzeitarchivierung", "die Archivierung der Bauakten", "das Behördennetz",
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
	benchContexts = []string{"gemeinsam mit den Nachbarkommunen", "im Rahmen der Kooperation", "nach BSI-Grundschutz",
		"bis Ende des Jahres", "in mehreren Stufen", "mit Fördermitteln des Landes", "für alle Standorte",
		"im Auftrag der Verwaltungsleitung", "nach dem Onlinezugangsgesetz", "mit externer Unterstützung",
		"im laufenden Betrieb", "für rund 2.000 Beschäftigte", "in enger Abstimmung mit dem Personalrat",
		"auf Grundlage einer öffentlich-rechtlichen Vereinbarung", "zusammen mit der Stadt Münster",
		"über das Netz des Landes", "im Rechenzentrum des Kreises", "ohne Ausschreibung (In-house)"}
)

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

func benchPlace(r *rand.Rand) string {
	return pick(r, benchPrefixes) + pick(r, benchRoots) + pick(r, benchEnds)
}

func benchPartnerName(r *rand.Rand, i int) string {
	switch i {
	case 0:
		return "citeq"
	case 1:
		return "Landschaftsverband Westfalen-Lippe"
	}
	return pick(r, benchKinds) + " " + benchPlace(r)
}

func benchTitle(r *rand.Rand) string {
	return pick(r, benchTopics) + pick(r, benchQualifiers) + " " + pick(r, []string{"in", "für", "der"}) + " " + benchPlace(r)
}

// benchSentences writes n sentences "subject verb object context." from the lists
// above; the subject is mostly an organisation of some place, as in real descriptions.
func benchSentences(r *rand.Rand, n int) string {
	s := make([]string, n)
	for i := range s {
		subject := pick(r, benchSubjects)
		if r.IntN(3) > 0 {
			subject = "Die Verwaltung von " + benchPlace(r)
			if r.IntN(2) == 0 {
				subject = pick(r, []string{"Die", "Das", "Der"}) + " " + pick(r, benchKinds) + " " + benchPlace(r)
			}
		}
		context := pick(r, benchContexts)
		if r.IntN(2) == 0 {
			context = pick(r, []string{"gemeinsam mit", "im Auftrag von", "nach dem Vorbild von", "zusammen mit"}) +
				" " + pick(r, benchKinds) + " " + benchPlace(r)
		}
		s[i] = subject + " " + pick(r, benchVerbs) + " " + pick(r, benchObjects) + " " + context + "."
	}
	return strings.Join(s, " ")
}
