package httpapi

import (
	"context"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/opendata"
)

var (
	cooperationParams     = []string{"limit", "cursor", "sort", "status", "legal_form", "partner", "partner_ars", "q", "updated_since"}
	cooperationSortFields = sortedFields(coop.CooperationSortFields)
)

// sortedFields returns a sorted copy of a sort whitelist, so messages list it stably.
func sortedFields(list []string) []string {
	out := slices.Clone(list)
	slices.Sort(out)
	return out
}

func (s *Server) cooperationFilter(c echo.Context) (coop.CooperationFilter, error) {
	q := newQuery(c)
	q.known(cooperationParams...)
	f := coop.CooperationFilter{
		Page:       q.page(cooperationSortFields),
		Statuses:   q.list("status", coop.CooperationStatuses),
		LegalForms: q.list("legal_form", coop.CooperationLegalForms),
		Partners:   q.list("partner", nil), PartnerARS: q.keyPrefixes("partner_ars", coop.MaxARSLen),
		Q: q.searchText(), UpdatedSince: q.time("updated_since"),
	}
	return f, q.err
}

// handleCooperationList lists cooperations.
//
//	@ID				listCooperations
//	@Summary		Kooperationen auflisten / list cooperations
//	@Description	Rahmen der Zusammenarbeit zwischen zwei oder mehr Partnern; Keyset-Paginierung über `cursor`. Frameworks of cooperation between partners; keyset pagination.
//	@Tags			cooperations
//	@Produce		json
//	@Param			limit			query		int		false	"page size"	minimum(1)	maximum(500)	default(50)
//	@Param			cursor			query		string	false	"next_cursor of the previous page"	maxLength(2048)
//	@Param			sort			query		string	false	"comma list of title, slug, status, started_on, created_at, updated_at; - for descending"	example(-started_on,title)	maxLength(200)
//	@Param			status			query		[]string	false	"statuses, comma separated"	collectionFormat(csv)	Enums(planned, active, suspended, ended)	example(active)
//	@Param			legal_form		query		[]string	false	"legal forms, comma separated"	collectionFormat(csv)	Enums(letter_of_intent, working_group, public_law_agreement, special_purpose_association, joint_municipal_enterprise, public_law_contract, private_law_contract, other)	example(letter_of_intent,public_law_agreement)
//	@Param			partner			query		[]string	false	"member partner ids or slugs, comma separated"	collectionFormat(csv)	example(lwl)	maxLength(100)
//	@Param			partner_ars		query		[]string	false	"ARS prefixes (1 to 12 digits), comma separated: cooperations with a member located there (its own ARS, else its parent's; 055 = Regierungsbezirk Münster)"	collectionFormat(csv)	example(055)	maxLength(12)
//	@Param			q				query		string	false	"full-text search"	maxLength(200)
//	@Param			updated_since	query		string	false	"only cooperations changed at or after this time (RFC 3339)"	format(date-time)
//	@Success		200				{object}	CooperationList
//	@Header			200				{string}	ETag	"weak tag of the page"
//	@Header			200				{string}	Link	"next page"
//	@Success		304				"not modified"
//	@Failure		400				{object}	Problem
//	@Failure		401				{object}	Problem
//	@Failure		503				{object}	Problem
//	@Failure		429				{object}	Problem
//	@Failure		500				{object}	Problem
//	@Router			/api/v1/cooperations [get]
func (s *Server) handleCooperationList(c echo.Context) error {
	if err := s.canRead(c); err != nil {
		return err
	}
	f, err := s.cooperationFilter(c)
	if err != nil {
		return err
	}
	res, err := s.svc.FindCooperations(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return s.writeList(c, cooperationsOut(res.Items), res.Total, res.NextCursor)
}

// handleCooperationGet shows one cooperation.
//
//	@ID				getCooperation
//	@Summary		Kooperation abrufen / get a cooperation
//	@Description	Eine Kooperation nach id oder slug. Mit `Accept: application/ld+json` als Linked Data (schema.org-JSON-LD, `@id` unter IKZ_PUBLIC_URL). One cooperation by id or slug. With Accept: application/ld+json as linked data (schema.org JSON-LD, @id under IKZ_PUBLIC_URL).
//	@Tags			cooperations
//	@Produce		json,application/ld+json
//	@Param			id	path		string	true	"id or slug"	example(it-kooperation-muenster-lwl)	maxLength(100)
//	@Success		200	{object}	Cooperation
//	@Header			200	{string}	ETag	"strong tag of this version"
//	@Success		304	"not modified"
//	@Failure		400	{object}	Problem
//	@Failure		401	{object}	Problem
//	@Failure		404	{object}	Problem
//	@Failure		503	{object}	Problem
//	@Failure		429	{object}	Problem
//	@Failure		500	{object}	Problem
//	@Router			/api/v1/cooperations/{id} [get]
func (s *Server) handleCooperationGet(c echo.Context) error {
	if err := s.canRead(c); err != nil {
		return err
	}
	co, err := s.svc.FindCooperation(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	if ld, err := s.linkedData(c, co.ID, co.Version, func() any { return opendata.CooperationLD(opendata.NewURIs(s.baseURL(c)), co) }); ld {
		return err
	}
	return s.writeResource(c, http.StatusOK, co.ID, co.Version, cooperationOut(co))
}

// handleCooperationCreate creates a cooperation.
//
//	@ID				createCooperation
//	@Summary		Kooperation anlegen / create a cooperation
//	@Description	Legt eine Kooperation mit mindestens zwei Mitgliedern an; `status` und `status_effective_on` erlauben historische Einträge. Alle Regelverstöße kommen gesammelt als 422. Creates a cooperation (at least two members); status and status_effective_on allow historic entries; all violations in one 422.
//	@Tags			cooperations
//	@Accept			json
//	@Produce		json
//	@Param			body	body		CooperationCreate	true	"the new cooperation"
//	@Success		201		{object}	Cooperation
//	@Header			201		{string}	Location	"URL of the new cooperation"
//	@Header			201		{string}	ETag		"strong tag"
//	@Failure		400		{object}	Problem
//	@Failure		401		{object}	Problem
//	@Failure		403		{object}	Problem
//	@Failure		409		{object}	Problem
//	@Failure		413		{object}	Problem
//	@Failure		415		{object}	Problem
//	@Failure		422		{object}	Problem
//	@Failure		503		{object}	Problem
//	@Failure		429		{object}	Problem
//	@Failure		500		{object}	Problem
//	@Security		BearerAuth
//	@Router			/api/v1/cooperations [post]
func (s *Server) handleCooperationCreate(c echo.Context) error {
	if err := canWrite(c); err != nil {
		return err
	}
	var in CooperationCreate
	if err := bindBody(c, &in); err != nil {
		return err
	}
	co, err := s.svc.CreateCooperation(c.Request().Context(), in.draft())
	if err != nil {
		return err
	}
	countWrite(coop.TypeCooperation, coop.ActionCreate)
	return s.created(c, "/api/v1/cooperations/"+co.ID, co.ID, co.Version, cooperationOut(co))
}

// handleCooperationPatch changes a cooperation.
//
//	@ID				updateCooperation
//	@Summary		Kooperation ändern / update a cooperation
//	@Description	JSON Merge Patch (RFC 7396): `null` löscht ein Feld, Listen werden ersetzt. `status` ist hier nicht schreibbar (422, siehe …/transitions). `If-Match` schützt vor verlorenen Änderungen. JSON Merge Patch; null clears a field, lists are replaced; status is read-only here (use transitions); If-Match prevents lost updates.
//	@Tags			cooperations
//	@Accept			json
//	@Accept			application/merge-patch+json
//	@Produce		json
//	@Param			id			path		string				true	"id or slug"	example(it-kooperation-muenster-lwl)	maxLength(100)
//	@Param			If-Match	header		string				false	"ETag of the version this change is based on"	maxLength(200)
//	@Param			body		body		CooperationInput	true	"fields to change (any subset)"
//	@Success		200			{object}	Cooperation
//	@Header			200			{string}	ETag	"strong tag of the new version"
//	@Failure		400			{object}	Problem
//	@Failure		401			{object}	Problem
//	@Failure		403			{object}	Problem
//	@Failure		404			{object}	Problem
//	@Failure		409			{object}	Problem
//	@Failure		412			{object}	Problem
//	@Failure		413			{object}	Problem
//	@Failure		415			{object}	Problem
//	@Failure		422			{object}	Problem
//	@Failure		503			{object}	Problem
//	@Failure		429			{object}	Problem
//	@Failure		500			{object}	Problem
//	@Security		BearerAuth
//	@Router			/api/v1/cooperations/{id} [patch]
func (s *Server) handleCooperationPatch(c echo.Context) error {
	return patchResource(s, c, coop.TypeCooperation, s.svc.FindCooperation, cooperationInputOf,
		func(ctx context.Context, id string, in CooperationInput, v int) (coop.Cooperation, error) {
			return s.svc.UpdateCooperation(ctx, id, in.draft(), v)
		},
		func(r coop.Cooperation) any { return cooperationOut(r) }, nil)
}

// handleCooperationDelete soft-deletes a cooperation.
//
//	@ID				deleteCooperation
//	@Summary		Kooperation löschen / delete a cooperation
//	@Description	Weich gelöscht; 409 (mit `blocked_by`), solange noch nicht gelöschte Vorhaben zu ihr gehören. Soft delete; 409 naming the live projects that still belong to it.
//	@Tags			cooperations
//	@Param			id			path	string	true	"id or slug"	example(archivverbund-westfalen)	maxLength(100)
//	@Param			If-Match	header	string	false	"ETag of the version to delete"	maxLength(200)
//	@Success		204			"deleted"
//	@Failure		400			{object}	Problem
//	@Failure		401			{object}	Problem
//	@Failure		403			{object}	Problem
//	@Failure		404			{object}	Problem
//	@Failure		409			{object}	Problem
//	@Failure		412			{object}	Problem
//	@Failure		503			{object}	Problem
//	@Failure		429			{object}	Problem
//	@Failure		500			{object}	Problem
//	@Security		BearerAuth
//	@Router			/api/v1/cooperations/{id} [delete]
func (s *Server) handleCooperationDelete(c echo.Context) error {
	return deleteResource(c, coop.TypeCooperation, s.svc.FindCooperation, s.svc.DeleteCooperation)
}

// handleCooperationRestore restores a soft-deleted cooperation.
//
//	@ID				restoreCooperation
//	@Summary		Kooperation wiederherstellen / restore a cooperation
//	@Description	Nur admin. 409, wenn der Slug inzwischen vergeben oder ein Mitglied gelöscht ist. Admin only; 409 if the slug was taken meanwhile or a member partner is deleted.
//	@Tags			cooperations
//	@Produce		json
//	@Param			id			path		string	true	"id or slug"	example(archivverbund-westfalen)	maxLength(100)
//	@Param			If-Match	header		string	false	"ETag of the deleted version"	maxLength(200)
//	@Success		200			{object}	Cooperation
//	@Header			200			{string}	ETag	"strong tag of the new version"
//	@Failure		400			{object}	Problem
//	@Failure		401			{object}	Problem
//	@Failure		403			{object}	Problem
//	@Failure		404			{object}	Problem
//	@Failure		409			{object}	Problem
//	@Failure		412			{object}	Problem
//	@Failure		503			{object}	Problem
//	@Failure		429			{object}	Problem
//	@Failure		500			{object}	Problem
//	@Security		BearerAuth
//	@Router			/api/v1/cooperations/{id}/restore [post]
func (s *Server) handleCooperationRestore(c echo.Context) error {
	if err := canRestore(c); err != nil {
		return err
	}
	id := c.Param("id")
	want, err := restoreIfMatch(c, id)
	if err != nil {
		return err
	}
	var co coop.Cooperation
	err = applyInTurn(c, func() (err error) {
		co, err = s.svc.RestoreCooperation(c.Request().Context(), id, want)
		return err
	})
	if err != nil {
		return err
	}
	countWrite(coop.TypeCooperation, coop.ActionRestore)
	return s.writeResource(c, http.StatusOK, co.ID, co.Version, cooperationOut(co))
}

// restoreIfMatch reads If-Match for a restore: a deleted resource cannot be looked up
// first, so only a path naming the id can be checked against the tag.
func restoreIfMatch(c echo.Context, ref string) (int, error) {
	if !isID(ref) {
		return 0, nil
	}
	return ifMatchVersion(c, ref)
}

// handleCooperationProjects lists the projects of a cooperation.
//
//	@ID				listCooperationProjects
//	@Summary		Vorhaben einer Kooperation / projects of a cooperation
//	@Description	Die nicht gelöschten Vorhaben der Kooperation, mit allen Filtern der Vorhabenliste; 404, wenn es die Kooperation nicht gibt. The cooperation's live projects with every project filter; 404 if the cooperation does not exist.
//	@Tags			cooperations
//	@Produce		json
//	@Param			id				path		string	true	"id or slug"	example(it-kooperation-muenster-lwl)	maxLength(100)
//	@Param			limit			query		int		false	"page size"	minimum(1)	maximum(500)	default(50)
//	@Param			cursor			query		string	false	"next_cursor of the previous page"	maxLength(2048)
//	@Param			sort			query		string	false	"comma list of title, slug, status, category, started_on, created_at, updated_at; - for descending"	example(-started_on,title)	maxLength(200)
//	@Param			status			query		[]string	false	"statuses, comma separated"	collectionFormat(csv)	Enums(idea, planned, in_progress, operational, suspended, completed, terminated, cancelled)	example(operational,in_progress)
//	@Param			category		query		[]string	false	"categories, comma separated"	collectionFormat(csv)	Enums(service_desk, archiving, network, data_center, software, information_security, organisation, online_services, other)	example(archiving)
//	@Param			solution		query		[]string	false	"solution ids or slugs, comma separated"	collectionFormat(csv)	example(dips-kommunal)	maxLength(100)
//	@Param			partner			query		[]string	false	"participant ids or slugs, comma separated"	collectionFormat(csv)	example(citeq)	maxLength(100)
//	@Param			partner_ars		query		[]string	false	"ARS prefixes (1 to 12 digits), comma separated: projects with a participant located there (its own ARS, else its parent's; 055 = Regierungsbezirk Münster)"	collectionFormat(csv)	example(055)	maxLength(12)
//	@Param			role			query		[]string	false	"participant roles, comma separated (with partner: that partner's role)"	collectionFormat(csv)	Enums(lead, partner, provider, consumer, developer, operator, funder, observer)	example(provider)
//	@Param			tag				query		[]string	false	"tags, comma separated"	collectionFormat(csv)	maxLength(100)
//	@Param			started_from	query		string	false	"started on or after (partial date)"	example(2016)	format(partial-date)
//	@Param			started_to		query		string	false	"started on or before (partial date, inclusive)"	example(2018-02)	format(partial-date)
//	@Param			as_of			query		string	false	"status as it stood on that date (partial date, from the history)"	example(2017-06)	format(partial-date)
//	@Param			q				query		string	false	"full-text search"	maxLength(200)
//	@Param			updated_since	query		string	false	"only projects changed at or after this time (RFC 3339)"	format(date-time)
//	@Success		200				{object}	ProjectList
//	@Header			200				{string}	ETag	"weak tag of the page"
//	@Header			200				{string}	Link	"next page"
//	@Success		304				"not modified"
//	@Failure		400				{object}	Problem
//	@Failure		401				{object}	Problem
//	@Failure		404				{object}	Problem
//	@Failure		503				{object}	Problem
//	@Failure		429				{object}	Problem
//	@Failure		500				{object}	Problem
//	@Router			/api/v1/cooperations/{id}/projects [get]
func (s *Server) handleCooperationProjects(c echo.Context) error {
	if err := s.canRead(c); err != nil {
		return err
	}
	co, err := s.svc.FindCooperation(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	f, err := s.projectFilter(c, "cooperation")
	if err != nil {
		return err
	}
	f.Cooperations = []string{co.ID}
	return s.writeProjects(c, f)
}
