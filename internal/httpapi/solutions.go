package httpapi

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

var (
	solutionParams     = []string{"limit", "cursor", "sort", "category", "developer", "q", "updated_since"}
	solutionSortFields = sortedFields(coop.SolutionSortFields)
)

// canWriteSolution: solutions are shared by many partners, so only admins and unbound
// editors change them (auth.MayEditSolution); a partner-bound editor gets 403.
func canWriteSolution(c echo.Context) error { return require(c, auth.MayEditSolution) }

func (s *Server) solutionFilter(c echo.Context) (coop.SolutionFilter, error) {
	q := newQuery(c)
	q.known(solutionParams...)
	f := coop.SolutionFilter{
		Page:       q.page(solutionSortFields),
		Categories: q.list("category", coop.ProjectCategories),
		Developers: q.list("developer", nil), Q: q.searchText(), UpdatedSince: q.time("updated_since"),
	}
	return f, q.err
}

// handleSolutionList lists solutions.
//
//	@ID				listSolutions
//	@Summary		Lösungen auflisten / list solutions
//	@Description	Wiederverwendbare Produkte und Dienste, die Vorhaben nutzen; Keyset-Paginierung über `cursor`. Reusable products and services that projects use; keyset pagination.
//	@Tags			solutions
//	@Produce		json
//	@Param			limit			query		int		false	"page size"	minimum(1)	maximum(500)	default(50)
//	@Param			cursor			query		string	false	"next_cursor of the previous page"	maxLength(2048)
//	@Param			sort			query		string	false	"comma list of name, slug, category, created_at, updated_at; - for descending"	example(-updated_at,name)	maxLength(200)
//	@Param			category		query		[]string	false	"categories, comma separated"	collectionFormat(csv)	Enums(service_desk, archiving, network, data_center, software, information_security, organisation, online_services, other)	example(archiving)
//	@Param			developer		query		[]string	false	"developer partner ids or slugs, comma separated"	collectionFormat(csv)	example(lwl)	maxLength(100)
//	@Param			q				query		string	false	"full-text search"	maxLength(200)
//	@Param			updated_since	query		string	false	"only solutions changed at or after this time (RFC 3339)"	format(date-time)
//	@Success		200				{object}	SolutionList
//	@Header			200				{string}	ETag	"weak tag of the page"
//	@Header			200				{string}	Link	"next page"
//	@Success		304				"not modified"
//	@Failure		400				{object}	Problem
//	@Failure		401				{object}	Problem
//	@Failure		503				{object}	Problem
//	@Failure		429				{object}	Problem
//	@Failure		500				{object}	Problem
//	@Router			/api/v1/solutions [get]
func (s *Server) handleSolutionList(c echo.Context) error {
	if err := s.canRead(c); err != nil {
		return err
	}
	f, err := s.solutionFilter(c)
	if err != nil {
		return err
	}
	res, err := s.svc.FindSolutions(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return s.writeList(c, solutionsOut(res.Items), res.Total, res.NextCursor)
}

// handleSolutionGet shows one solution.
//
//	@ID				getSolution
//	@Summary		Lösung abrufen / get a solution
//	@Description	Eine Lösung nach id oder slug. One solution by id or slug.
//	@Tags			solutions
//	@Produce		json
//	@Param			id	path		string	true	"id or slug"	example(dips-kommunal)	maxLength(100)
//	@Success		200	{object}	Solution
//	@Header			200	{string}	ETag	"strong tag of this version"
//	@Success		304	"not modified"
//	@Failure		400	{object}	Problem
//	@Failure		401	{object}	Problem
//	@Failure		404	{object}	Problem
//	@Failure		503	{object}	Problem
//	@Failure		429	{object}	Problem
//	@Failure		500	{object}	Problem
//	@Router			/api/v1/solutions/{id} [get]
func (s *Server) handleSolutionGet(c echo.Context) error {
	if err := s.canRead(c); err != nil {
		return err
	}
	so, err := s.svc.FindSolution(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return s.writeResource(c, http.StatusOK, so.ID, so.Version, solutionOut(so))
}

// handleSolutionCreate creates a solution.
//
//	@ID				createSolution
//	@Summary		Lösung anlegen / create a solution
//	@Description	Legt eine Lösung an (admin oder nicht an Partner gebundener editor); alle Regelverstöße kommen gesammelt als 422. Creates a solution (admin or unbound editor); all violations in one 422.
//	@Tags			solutions
//	@Accept			json
//	@Produce		json
//	@Param			body	body		SolutionInput	true	"the new solution"
//	@Success		201		{object}	Solution
//	@Header			201		{string}	Location	"URL of the new solution"
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
//	@Router			/api/v1/solutions [post]
func (s *Server) handleSolutionCreate(c echo.Context) error {
	if err := canWriteSolution(c); err != nil {
		return err
	}
	var in SolutionInput
	if err := bindBody(c, &in); err != nil {
		return err
	}
	so, err := s.svc.CreateSolution(c.Request().Context(), in.draft())
	if err != nil {
		return err
	}
	countWrite(coop.TypeSolution, coop.ActionCreate)
	return s.created(c, "/api/v1/solutions/"+so.ID, so.ID, so.Version, solutionOut(so))
}

// handleSolutionPatch changes a solution.
//
//	@ID				updateSolution
//	@Summary		Lösung ändern / update a solution
//	@Description	JSON Merge Patch (RFC 7396): `null` löscht ein Feld, Listen werden ersetzt. `If-Match` schützt vor verlorenen Änderungen. JSON Merge Patch; null clears a field, lists are replaced; If-Match prevents lost updates.
//	@Tags			solutions
//	@Accept			json
//	@Accept			application/merge-patch+json
//	@Produce		json
//	@Param			id			path		string			true	"id or slug"	example(dips-kommunal)	maxLength(100)
//	@Param			If-Match	header		string			false	"ETag of the version this change is based on"	maxLength(200)
//	@Param			body		body		SolutionInput	true	"fields to change (any subset)"
//	@Success		200			{object}	Solution
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
//	@Router			/api/v1/solutions/{id} [patch]
func (s *Server) handleSolutionPatch(c echo.Context) error {
	return patchResource(s, c, coop.TypeSolution, s.svc.FindSolution, solutionInputOf,
		func(ctx context.Context, id string, in SolutionInput, v int) (coop.Solution, error) {
			return s.svc.UpdateSolution(ctx, id, in.draft(), v)
		},
		func(r coop.Solution) any { return solutionOut(r) }, nil)
}

// handleSolutionDelete soft-deletes a solution.
//
//	@ID				deleteSolution
//	@Summary		Lösung löschen / delete a solution
//	@Description	Weich gelöscht; 409 (mit `blocked_by`), solange nicht gelöschte Vorhaben sie nutzen. Soft delete; 409 naming the live projects that still use it.
//	@Tags			solutions
//	@Param			id			path	string	true	"id or slug"	example(serviceportal-muensterland)	maxLength(100)
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
//	@Router			/api/v1/solutions/{id} [delete]
func (s *Server) handleSolutionDelete(c echo.Context) error {
	return deleteResource(c, coop.TypeSolution, s.svc.FindSolution, s.svc.DeleteSolution)
}

// handleSolutionRestore restores a soft-deleted solution.
//
//	@ID				restoreSolution
//	@Summary		Lösung wiederherstellen / restore a solution
//	@Description	Nur admin. 409, wenn der Slug inzwischen vergeben oder ein Entwickler gelöscht ist. Admin only; 409 if the slug was taken meanwhile or a developer is deleted.
//	@Tags			solutions
//	@Produce		json
//	@Param			id			path		string	true	"id or slug"	example(serviceportal-muensterland)	maxLength(100)
//	@Param			If-Match	header		string	false	"ETag of the deleted version"	maxLength(200)
//	@Success		200			{object}	Solution
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
//	@Router			/api/v1/solutions/{id}/restore [post]
func (s *Server) handleSolutionRestore(c echo.Context) error {
	if err := canRestore(c); err != nil {
		return err
	}
	id := c.Param("id")
	want, err := restoreIfMatch(c, id)
	if err != nil {
		return err
	}
	var so coop.Solution
	err = applyInTurn(c, func() (err error) {
		so, err = s.svc.RestoreSolution(c.Request().Context(), id, want)
		return err
	})
	if err != nil {
		return err
	}
	countWrite(coop.TypeSolution, coop.ActionRestore)
	return s.writeResource(c, http.StatusOK, so.ID, so.Version, solutionOut(so))
}

// handleSolutionProjects lists the projects that use a solution.
//
//	@ID				listSolutionProjects
//	@Summary		Vorhaben, die eine Lösung nutzen / projects using a solution
//	@Description	Wer nutzt das noch? Die nicht gelöschten Vorhaben mit dieser Lösung, mit allen Filtern der Vorhabenliste; 404, wenn es die Lösung nicht gibt. Who else uses it: live projects with this solution, with every project filter; 404 if the solution does not exist.
//	@Tags			solutions
//	@Produce		json
//	@Param			id				path		string	true	"id or slug"	example(dips-kommunal)	maxLength(100)
//	@Param			limit			query		int		false	"page size"	minimum(1)	maximum(500)	default(50)
//	@Param			cursor			query		string	false	"next_cursor of the previous page"	maxLength(2048)
//	@Param			sort			query		string	false	"comma list of title, slug, status, category, started_on, created_at, updated_at; - for descending"	example(-started_on,title)	maxLength(200)
//	@Param			status			query		[]string	false	"statuses, comma separated"	collectionFormat(csv)	Enums(idea, planned, in_progress, operational, suspended, completed, terminated, cancelled)	example(operational)
//	@Param			category		query		[]string	false	"categories, comma separated"	collectionFormat(csv)	Enums(service_desk, archiving, network, data_center, software, information_security, organisation, online_services, other)	example(archiving)
//	@Param			cooperation		query		[]string	false	"cooperation ids or slugs, comma separated"	collectionFormat(csv)	maxLength(100)
//	@Param			partner			query		[]string	false	"participant ids or slugs, comma separated"	collectionFormat(csv)	example(stadtarchiv-muenster)	maxLength(100)
//	@Param			partner_ars		query		[]string	false	"ARS prefixes (1 to 12 digits), comma separated: projects with a participant located there (its own ARS, else its parent's; 055 = Regierungsbezirk Münster)"	collectionFormat(csv)	example(055)	maxLength(12)
//	@Param			role			query		[]string	false	"participant roles, comma separated"	collectionFormat(csv)	Enums(lead, partner, provider, consumer, developer, operator, funder, observer)	example(consumer)
//	@Param			tag				query		[]string	false	"tags, comma separated"	collectionFormat(csv)	maxLength(100)
//	@Param			started_from	query		string	false	"started on or after (partial date)"	example(2016)	format(partial-date)
//	@Param			started_to		query		string	false	"started on or before (partial date, inclusive)"	example(2018-02)	format(partial-date)
//	@Param			as_of			query		string	false	"status as it stood on that date (partial date)"	example(2017-06)	format(partial-date)
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
//	@Router			/api/v1/solutions/{id}/projects [get]
func (s *Server) handleSolutionProjects(c echo.Context) error {
	if err := s.canRead(c); err != nil {
		return err
	}
	so, err := s.svc.FindSolution(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	f, err := s.projectFilter(c, "solution")
	if err != nil {
		return err
	}
	f.Solutions = []string{so.ID}
	return s.writeProjects(c, f)
}
