package store

import (
	"gorm.io/gorm"

	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// The seed: what the press release of 7 February 2018 ("IT-Kooperation wird vertieft",
// Stadt Münster) says about the IT cooperation of the Stadt Münster and the LWL, as
// seed_test.go asserts it fact by fact. Clients and tests rely on the slugs. No personal data: the
// officials quoted in the release are not records of this directory.

// seedSource is the press release every seeded project and the cooperation cite. Its
// URL is not known, so none is given.
var seedSource = coop.SourceDraft{
	Title:       "IT-Kooperation wird vertieft (Pressemitteilung Stadt Münster)",
	PublishedOn: "2018-02-07",
}

// seedAsOf is the month the press release reports the state of things for.
const seedAsOf = "2018-02"

// seedCooperation is the slug of the one seeded cooperation.
const seedCooperation = "it-kooperation-muenster-lwl"

// seedPartners are created in this order, parents before their children.
var seedPartners = []coop.PartnerDraft{
	{
		Slug: "stadt-muenster", Name: "Stadt Münster", Type: "municipality",
		State: "DE-NW", AGS: "05515000", ARS: "055150000000",
		Description: "Kreisfreie Stadt in Nordrhein-Westfalen. Baut seit November 2016 ihre Zusammenarbeit " +
			"im Bereich der Informationstechnologie mit dem Landschaftsverband Westfalen-Lippe (LWL) aus.",
	},
	{
		Slug: "lwl", Name: "Landschaftsverband Westfalen-Lippe", ShortName: "LWL", Type: "regional_association",
		State:     "DE-NW",
		Employees: &coop.EmployeesDraft{Count: 16000, AsOf: seedAsOf},
		// Westfalen-Lippe: the government regions Münster, Detmold and Arnsberg.
		Serves: []string{"055", "057", "059"},
		Description: "Höherer Kommunalverband mit rund 200 Einrichtungen und über 16.000 Beschäftigten " +
			"in ganz Westfalen-Lippe.",
	},
	{
		Slug: "stadt-koeln", Name: "Stadt Köln", Type: "municipality",
		State: "DE-NW", AGS: "05315000",
		Description: "Kreisfreie Stadt in Nordrhein-Westfalen. Hat gemeinsam mit dem LWL die Lösung zur " +
			"elektronischen Langzeitarchivierung DiPS.kommunal entwickelt.",
	},
	{
		Slug: "citeq", Name: "citeq", Type: "municipal_it_provider", Parent: "stadt-muenster",
		LegalForm: "eigenbetriebsähnliche Einrichtung",
		Employees: &coop.EmployeesDraft{Count: 150, AsOf: seedAsOf},
		Description: "IT-Dienstleister der Stadt Münster und weiterer Kommunalverwaltungen im Münsterland " +
			"und in Nordrhein-Westfalen; rund 150 Mitarbeiterinnen und Mitarbeiter.",
	},
	{
		Slug: "stadtarchiv-muenster", Name: "Stadtarchiv Münster", Type: "department", Parent: "stadt-muenster",
		Description: "Das Archiv der Stadt Münster. Nutzt die elektronische Langzeitarchivierung DiPS.kommunal.",
	},
	{
		Slug: "lwl-it", Name: "LWL.IT Service Abteilung", ShortName: "LWL.IT", Type: "municipal_it_provider",
		Parent:    "lwl",
		Employees: &coop.EmployeesDraft{Count: 170, AsOf: seedAsOf},
		Description: "IT-Serviceabteilung des Landschaftsverbands Westfalen-Lippe, zuständig für IT-Service " +
			"und -Betrieb für die rund 200 Einrichtungen des LWL; etwa 170 Beschäftigte.",
	},
}

var seedSolution = coop.SolutionDraft{
	Slug: "dips-kommunal", Name: "DiPS.kommunal", Category: "archiving",
	Description: "elektronische Langzeitarchivierung für kommunale Archive",
	Developers:  []string{"lwl", "stadt-koeln"},
}

var seedCoop = coop.CooperationDraft{
	Slug:  seedCooperation,
	Title: "IT-Kooperation Stadt Münster – LWL",
	Description: "Der Landschaftsverband Westfalen-Lippe (LWL) und die Stadt Münster bauen ihre Zusammenarbeit " +
		"im Bereich der Informationstechnologie aus; die Kooperation ist im November 2016 gestartet. " +
		"Umgesetzt wird sie von citeq, dem IT-Dienstleister der Stadt Münster, und LWL.IT, der " +
		"IT-Serviceabteilung des LWL. Ziele sind unter anderem die gemeinsame Nutzung von " +
		"Rechenzentrenkapazitäten, der Erfahrungsaustausch zu IT-Sicherheitsthemen, die Umsetzung der " +
		"Vorgaben aus dem E-Government-Gesetz Nordrhein-Westfalen und die Realisierung der " +
		"Digitalisierungsstrategien auf Bundes-, Landes- und kommunaler Ebene.",
	LegalForm: "letter_of_intent",
	StartedOn: "2016-11",
	Members: []coop.MemberDraft{
		{Partner: "stadt-muenster", Role: "party"},
		{Partner: "lwl", Role: "party"},
		{Partner: "citeq", Role: "implementer"},
		{Partner: "lwl-it", Role: "implementer"},
	},
	LegalBasis:        []string{"EGovG NRW"},
	Sources:           []coop.SourceDraft{seedSource},
	Status:            "active",
	StatusEffectiveOn: "2016-11",
}

// seedProjects carry their status as reported on 2018-02-07, effective that month.
var seedProjects = []coop.ProjectDraft{
	{
		Slug: "it-hotline", Title: "IT-Hotline (Mitnutzung durch citeq)", Category: "service_desk",
		Description: "citeq, der IT-Dienstleister der Stadt Münster, nimmt in Teilen die Dienste der " +
			"IT-Hotline des LWL in Anspruch.",
		Participants: []coop.ParticipantDraft{{Partner: "lwl-it", Role: "provider"}, {Partner: "citeq", Role: "consumer"}},
		Tags:         []string{"ikz", "münsterland", "service-desk"},
		Status:       "operational",
	},
	{
		Slug: "dips-kommunal", Title: "DiPS.kommunal im Stadtarchiv Münster", Category: "archiving",
		Description: "Das Archiv der Stadt Münster nutzt seit Kurzem die von LWL und Stadt Köln entwickelte " +
			"Lösung zur elektronischen Langzeitarchivierung DiPS.kommunal.",
		Solution:     "dips-kommunal",
		Participants: []coop.ParticipantDraft{{Partner: "lwl", Role: "provider"}, {Partner: "stadtarchiv-muenster", Role: "consumer"}},
		Tags:         []string{"ikz", "münsterland", "langzeitarchivierung"},
		Status:       "operational",
	},
	{
		Slug: "behoerdennetz-zugang", Title: "Zugang zum Behördennetz über citeq", Category: "network",
		Description: "Der Landschaftsverband Westfalen-Lippe erhält seinen Zugang zum deutschen Behördennetz " +
			"über die Infrastruktur von citeq.",
		Participants: []coop.ParticipantDraft{{Partner: "citeq", Role: "provider"}, {Partner: "lwl", Role: "consumer"}},
		Tags:         []string{"ikz", "münsterland", "behördennetz"},
		Status:       "operational",
	},
	{
		Slug: "organisationsmanagement-software", Title: "Vereinheitlichung der Organisationsmanagement-Software",
		Category:     "software",
		Description:  "Eine weitere Maßnahme hat zum Ziel, die Organisationsmanagement-Software zu vereinheitlichen.",
		Participants: []coop.ParticipantDraft{{Partner: "citeq", Role: "partner"}, {Partner: "lwl-it", Role: "partner"}},
		Tags:         []string{"ikz", "münsterland", "organisationsmanagement"},
		Status:       "in_progress",
	},
	{
		Slug: "rechenzentren", Title: "Gemeinsame Nutzung von Rechenzentrenkapazitäten", Category: "data_center",
		Description: "Künftiges Vorhaben der Kooperation: die gemeinsame Nutzung von " +
			"Rechenzentrenkapazitäten durch citeq und LWL.IT.",
		Participants: []coop.ParticipantDraft{{Partner: "citeq", Role: "partner"}, {Partner: "lwl-it", Role: "partner"}},
		Tags:         []string{"ikz", "münsterland", "rechenzentrum"},
		Status:       "planned",
	},
	{
		Slug: "it-sicherheit", Title: "Erfahrungsaustausch IT-Sicherheit", Category: "information_security",
		Description:  "Künftiges Vorhaben der Kooperation: der Erfahrungsaustausch zu IT-Sicherheitsthemen.",
		Participants: []coop.ParticipantDraft{{Partner: "citeq", Role: "partner"}, {Partner: "lwl-it", Role: "partner"}},
		Tags:         []string{"ikz", "münsterland", "informationssicherheit"},
		Status:       "planned",
	},
}

// seedMu serialises seeds within the process.
var seedMu sync.Mutex

// errSeededElsewhere: another process created the first seed partner meanwhile.
var errSeededElsewhere = errors.New("seeded by another process")

// Seed loads the seed into a database that has never held a partner (deleted ones
// count: an emptied directory is not refilled) and reports whether it did. It goes
// through the store's own service methods as the system actor, so the seed has its
// status histories and change-log records like any other write. A second call is a
// no-op. Of several processes starting together on one database, the one that
// creates the first partner seeds; the others see its slug taken and step back (no
// lock is held meanwhile, so a pool of one connection cannot deadlock).
func (db *DB) Seed(ctx context.Context) (seeded bool, err error) {
	seedMu.Lock()
	defer seedMu.Unlock()
	ctx = coop.WithFreshReads(ctx) // the count decides a write: never from a lagging replica
	var n int64
	if err := db.session(ctx, func(q *gorm.DB) error { return q.Table("partners").Count(&n).Error }); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	if demo, err := db.Demo(ctx); err != nil || demo {
		return false, err // never the real seed into a directory of demo data
	}
	switch err := db.loadSeed(coop.WithActor(ctx, coop.System)); {
	case errors.Is(err, errSeededElsewhere):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("seed: %w", err)
	}
	return true, nil
}

func (db *DB) loadSeed(ctx context.Context) error {
	for i, p := range seedPartners {
		_, err := db.CreatePartner(ctx, p)
		if i == 0 && coop.ErrorCode(err) == coop.EConflict {
			return errSeededElsewhere
		}
		if err != nil {
			return fmt.Errorf("partner %s: %w", p.Slug, err)
		}
	}
	if _, err := db.CreateSolution(ctx, seedSolution); err != nil {
		return fmt.Errorf("solution %s: %w", seedSolution.Slug, err)
	}
	if _, err := db.CreateCooperation(ctx, seedCoop); err != nil {
		return fmt.Errorf("cooperation %s: %w", seedCoop.Slug, err)
	}
	for _, p := range seedProjects {
		p.Cooperation = seedCooperation
		p.Sources = []coop.SourceDraft{seedSource}
		p.StatusEffectiveOn = seedAsOf
		if _, err := db.CreateProject(ctx, p); err != nil {
			return fmt.Errorf("project %s: %w", p.Slug, err)
		}
	}
	return nil
}
