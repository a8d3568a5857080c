package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// statsFilters are the project filters the statistics take: all but paging and sort.
var statsFilters = withoutParams(projectParams, "limit", "cursor", "sort")

// statsFilter reads the project filters and the endpoint's own parameters.
func (s *Server) statsFilter(c echo.Context, own ...string) (coop.ProjectFilter, map[string]string, error) {
	mine, sub, err := s.splitQuery(c, statsFilters, own...)
	if err != nil {
		return coop.ProjectFilter{}, nil, err
	}
	f, err := s.projectFilter(sub, "")
	if err != nil {
		return coop.ProjectFilter{}, nil, err
	}
	out := make(map[string]string, len(own))
	for _, k := range own {
		out[k] = mine.Get(k)
	}
	return f, out, nil
}

// handleProjectStats counts projects and sums their money by group.
//
//	@ID				projectStats
//	@Summary		Vorhaben zählen und summieren / project statistics
//	@Description	Anzahl der Vorhaben und Summen ihrer Gelder je Gruppe (in der Datenbank gerechnet, centgenau), mit allen Filtern der Vorhabenliste und `as_of` (Stand an einem Stichtag, aus der Statushistorie). Geldsummen und wie viele Vorhaben der Gruppe den Betrag haben (`with_finance`, `with_budget_planned`, …) nur für controlling und admin; sonst fehlen die Schlüssel. Hat kein Vorhaben einer Gruppe einen Betrag, ist seine Summe `null` (unbekannt, nicht 0). Bezeichnungen deutsch und englisch (`label_de`, `label_en`). `partner` zählt ein Vorhaben je beteiligtem Partner (`role` begrenzt die gezählten Beteiligungen), `state` je Bundesland der Beteiligten (ohne eigenes Land das des übergeordneten Partners), `year` nach dem Jahr von `started_on`; `total` zählt jedes Vorhaben einmal. Counts and exact money sums per group with every project filter; money keys and their coverage (with_*) only for controlling and admin, a sum over projects none of which has the amount is null; labels in German and English.
//	@Tags			stats
//	@Produce		json
//	@Param			group_by		query		string	false	"grouping"	Enums(status, category, partner, role, state, year)	default(status)
//	@Param			status			query		[]string	false	"statuses, comma separated"	collectionFormat(csv)	Enums(idea, planned, in_progress, operational, suspended, completed, terminated, cancelled)	example(operational,in_progress)
//	@Param			category		query		[]string	false	"categories, comma separated"	collectionFormat(csv)	Enums(service_desk, archiving, network, data_center, software, information_security, organisation, online_services, other)	example(archiving,network)
//	@Param			cooperation		query		[]string	false	"cooperation ids or slugs, comma separated"	collectionFormat(csv)	example(it-kooperation-muenster-lwl)	maxLength(100)
//	@Param			solution		query		[]string	false	"solution ids or slugs, comma separated"	collectionFormat(csv)	example(dips-kommunal)	maxLength(100)
//	@Param			partner			query		[]string	false	"participant ids or slugs, comma separated (any role, or role)"	collectionFormat(csv)	example(citeq)	maxLength(100)
//	@Param			partner_ars		query		[]string	false	"ARS prefixes (1 to 12 digits), comma separated: projects with a participant located there (its own ARS, else its parent's; 055 = Regierungsbezirk Münster)"	collectionFormat(csv)	example(055)	maxLength(12)
//	@Param			role			query		[]string	false	"participant roles, comma separated"	collectionFormat(csv)	Enums(lead, partner, provider, consumer, developer, operator, funder, observer)	example(provider)
//	@Param			tag				query		[]string	false	"tags, comma separated"	collectionFormat(csv)	example(rechenzentrum)	maxLength(100)
//	@Param			started_from	query		string	false	"started on or after (partial date)"	example(2016)	format(partial-date)
//	@Param			started_to		query		string	false	"started on or before (partial date, inclusive)"	example(2018-02)	format(partial-date)
//	@Param			as_of			query		string	false	"statuses as they stood on that date (partial date, from the history)"	example(2017-06)	format(partial-date)
//	@Param			q				query		string	false	"full-text search"	maxLength(200)
//	@Param			updated_since	query		string	false	"only projects changed at or after this time (RFC 3339)"	format(date-time)
//	@Success		200				{object}	ProjectStats
//	@Header			200				{string}	ETag	"weak tag of the answer"
//	@Success		304				"not modified"
//	@Failure		400				{object}	Problem
//	@Failure		401				{object}	Problem
//	@Failure		403				{object}	Problem
//	@Failure		503				{object}	Problem
//	@Failure		429				{object}	Problem
//	@Failure		500				{object}	Problem
//	@Router			/api/v1/stats/projects [get]
func (s *Server) handleProjectStats(c echo.Context) error {
	if err := s.canRead(c); err != nil {
		return err
	}
	f, own, err := s.statsFilter(c, "group_by")
	if err != nil {
		return err
	}
	by, err := choice(own["group_by"], "group_by", "status", coop.StatsGroupings)
	if err != nil {
		return err
	}
	st, err := s.svc.ProjectStats(c.Request().Context(), coop.StatsQuery{Filter: f, GroupBy: by})
	if err != nil {
		return err
	}
	return s.writeCached(c, http.StatusOK, statsOut(st, seesFinance(c)), "")
}

// handleStatsTimeline counts projects per status at the end of each period.
//
//	@ID				statsTimeline
//	@Summary		Statusverlauf / status timeline
//	@Description	Für jede Periode (Monat, Quartal oder Jahr) von `from` bis `to` die Zahl der Vorhaben in jedem Status an ihrem Ende, aus der Statushistorie (undatierte Einträge gelten als die frühesten; ein Vorhaben ohne Eintrag bis dahin zählt nicht). Ohne `from` oder `to` reicht der Verlauf vom frühesten bis zum spätesten datierten Eintrag der gewählten Vorhaben (ohne solche: der laufende Monat). Mit `sums=true` für controlling und admin je Status auch die Geldsummen der Vorhaben darin (heutige Beträge; Beträge haben keine Historie), sonst fehlt `sums`. Höchstens 600 Perioden; `from` nach `to` ist 400. For each period, the number of projects in each status at its end, from the history; from/to default to the data's range; sums=true adds money per status (controlling and admin); at most 600 periods.
//	@Tags			stats
//	@Produce		json
//	@Param			from			query		string	false	"first period (partial date: the period containing its first day); default the earliest dated history entry"	example(2016-01)	format(partial-date)
//	@Param			to				query		string	false	"last period (partial date: the period containing its first day); default the latest dated history entry"	example(2018-12)	format(partial-date)
//	@Param			interval		query		string	false	"period length"	Enums(month, quarter, year)	default(month)
//	@Param			sums			query		boolean	false	"money per status and period (controlling and admin; ignored otherwise)"	default(false)
//	@Param			status			query		[]string	false	"current statuses (or as of as_of), comma separated"	collectionFormat(csv)	Enums(idea, planned, in_progress, operational, suspended, completed, terminated, cancelled)	example(operational)
//	@Param			category		query		[]string	false	"categories, comma separated"	collectionFormat(csv)	Enums(service_desk, archiving, network, data_center, software, information_security, organisation, online_services, other)	example(archiving)
//	@Param			cooperation		query		[]string	false	"cooperation ids or slugs, comma separated"	collectionFormat(csv)	example(it-kooperation-muenster-lwl)	maxLength(100)
//	@Param			solution		query		[]string	false	"solution ids or slugs, comma separated"	collectionFormat(csv)	example(dips-kommunal)	maxLength(100)
//	@Param			partner			query		[]string	false	"participant ids or slugs, comma separated (any role, or role)"	collectionFormat(csv)	example(citeq)	maxLength(100)
//	@Param			partner_ars		query		[]string	false	"ARS prefixes (1 to 12 digits), comma separated: projects with a participant located there (its own ARS, else its parent's; 055 = Regierungsbezirk Münster)"	collectionFormat(csv)	example(055)	maxLength(12)
//	@Param			role			query		[]string	false	"participant roles, comma separated"	collectionFormat(csv)	Enums(lead, partner, provider, consumer, developer, operator, funder, observer)	example(provider)
//	@Param			tag				query		[]string	false	"tags, comma separated"	collectionFormat(csv)	example(rechenzentrum)	maxLength(100)
//	@Param			started_from	query		string	false	"started on or after (partial date)"	example(2016)	format(partial-date)
//	@Param			started_to		query		string	false	"started on or before (partial date, inclusive)"	example(2018-02)	format(partial-date)
//	@Param			as_of			query		string	false	"apply the status filter as of that date (partial date)"	example(2017-06)	format(partial-date)
//	@Param			q				query		string	false	"full-text search"	maxLength(200)
//	@Param			updated_since	query		string	false	"only projects changed at or after this time (RFC 3339)"	format(date-time)
//	@Success		200				{object}	Timeline
//	@Header			200				{string}	ETag	"weak tag of the answer"
//	@Success		304				"not modified"
//	@Failure		400				{object}	Problem
//	@Failure		401				{object}	Problem
//	@Failure		403				{object}	Problem
//	@Failure		503				{object}	Problem
//	@Failure		429				{object}	Problem
//	@Failure		500				{object}	Problem
//	@Router			/api/v1/stats/timeline [get]
func (s *Server) handleStatsTimeline(c echo.Context) error {
	if err := s.canRead(c); err != nil {
		return err
	}
	f, own, err := s.statsFilter(c, "from", "to", "interval", "sums")
	if err != nil {
		return err
	}
	interval, err := choice(own["interval"], "interval", "month", coop.TimelineIntervals)
	if err != nil {
		return err
	}
	sums, err := choice(own["sums"], "sums", "false", []string{"true", "false"})
	if err != nil {
		return err
	}
	var from, to coop.PartialDate
	for name, d := range map[string]*coop.PartialDate{"from": &from, "to": &to} {
		if own[name] == "" {
			continue // the data's range
		}
		if *d, err = coop.ParsePartialDate(own[name]); err != nil {
			return badRequest("%s: ein Datum der Form JJJJ, JJJJ-MM oder JJJJ-MM-TT (z. B. 2016-01) / a date YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2016-01)", name)
		}
	}
	finance := seesFinance(c)
	tl, err := s.svc.Timeline(c.Request().Context(), coop.TimelineQuery{Filter: f, From: from, To: to, Interval: interval,
		Sums: sums == "true" && finance})
	if err != nil {
		return err
	}
	return s.writeCached(c, http.StatusOK, timelineOut(tl, finance), "")
}

// handleLeadTimes reports how long projects take from start to operation.
//
//	@ID				leadTimes
//	@Summary		Durchlaufzeiten / lead times
//	@Description	Tage vom ersten Eintritt in `in_progress` bis zum ersten folgenden Eintritt in `operational` (aus `effective_on` der Historie; Teildaten als ihr erster Tag; undatierte Einträge zählen nicht), je Kategorie oder beteiligtem Partner: Anzahl, Median und 90. Perzentil (Rangverfahren, nearest rank); Bezeichnungen deutsch und englisch. Days from entering in_progress to entering operational per group: count, median, p90 (nearest rank).
//	@Tags			stats
//	@Produce		json
//	@Param			group_by		query		string	false	"grouping"	Enums(category, partner)	default(category)
//	@Param			status			query		[]string	false	"statuses, comma separated"	collectionFormat(csv)	Enums(idea, planned, in_progress, operational, suspended, completed, terminated, cancelled)	example(operational)
//	@Param			category		query		[]string	false	"categories, comma separated"	collectionFormat(csv)	Enums(service_desk, archiving, network, data_center, software, information_security, organisation, online_services, other)	example(archiving)
//	@Param			cooperation		query		[]string	false	"cooperation ids or slugs, comma separated"	collectionFormat(csv)	example(it-kooperation-muenster-lwl)	maxLength(100)
//	@Param			solution		query		[]string	false	"solution ids or slugs, comma separated"	collectionFormat(csv)	example(dips-kommunal)	maxLength(100)
//	@Param			partner			query		[]string	false	"participant ids or slugs, comma separated (any role, or role)"	collectionFormat(csv)	example(citeq)	maxLength(100)
//	@Param			partner_ars		query		[]string	false	"ARS prefixes (1 to 12 digits), comma separated: projects with a participant located there (its own ARS, else its parent's; 055 = Regierungsbezirk Münster)"	collectionFormat(csv)	example(055)	maxLength(12)
//	@Param			role			query		[]string	false	"participant roles, comma separated (lead, partner, provider, consumer, developer, operator, funder, observer); with group_by=partner only these participations count"	collectionFormat(csv)	Enums(lead, partner, provider, consumer, developer, operator, funder, observer)	example(provider)
//	@Param			tag				query		[]string	false	"tags, comma separated"	collectionFormat(csv)	example(rechenzentrum)	maxLength(100)
//	@Param			started_from	query		string	false	"started on or after (partial date)"	example(2016)	format(partial-date)
//	@Param			started_to		query		string	false	"started on or before (partial date, inclusive)"	example(2018-02)	format(partial-date)
//	@Param			as_of			query		string	false	"apply the status filter as of that date (partial date)"	example(2017-06)	format(partial-date)
//	@Param			q				query		string	false	"full-text search"	maxLength(200)
//	@Param			updated_since	query		string	false	"only projects changed at or after this time (RFC 3339)"	format(date-time)
//	@Success		200				{object}	LeadTimes
//	@Header			200				{string}	ETag	"weak tag of the answer"
//	@Success		304				"not modified"
//	@Failure		400				{object}	Problem
//	@Failure		401				{object}	Problem
//	@Failure		403				{object}	Problem
//	@Failure		503				{object}	Problem
//	@Failure		429				{object}	Problem
//	@Failure		500				{object}	Problem
//	@Router			/api/v1/stats/lead-times [get]
func (s *Server) handleLeadTimes(c echo.Context) error {
	if err := s.canRead(c); err != nil {
		return err
	}
	f, own, err := s.statsFilter(c, "group_by")
	if err != nil {
		return err
	}
	by, err := choice(own["group_by"], "group_by", "category", coop.LeadTimeGroupings)
	if err != nil {
		return err
	}
	lt, err := s.svc.LeadTimes(c.Request().Context(), coop.LeadTimeQuery{Filter: f, GroupBy: by})
	if err != nil {
		return err
	}
	return s.writeCached(c, http.StatusOK, leadTimesOut(lt), "")
}
