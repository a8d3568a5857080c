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
	projectParams = []string{"limit", "cursor", "sort", "status", "category", "cooperation", "solution",
		"partner", "partner_ars", "role", "tag", "started_from", "started_to", "q", "updated_since", "as_of"}
	projectSortFields = sortedFields(coop.ProjectSortFields)
)

// projectFilter reads the project filters (api/README.md, "Filters"); a sub-resource passes the
// parameter its path fixes (e.g. "partner"), which the query may then not name.
func (s *Server) projectFilter(c echo.Context, fixed string) (coop.ProjectFilter, error) {
	q := newQuery(c)
	names := projectParams
	if fixed != "" {
		names = slices.DeleteFunc(slices.Clone(projectParams), func(n string) bool { return n == fixed })
	}
	q.known(names...)
	f := coop.ProjectFilter{
		Page:         q.page(projectSortFields),
		Statuses:     q.list("status", coop.ProjectStatuses),
		Categories:   q.list("category", coop.ProjectCategories),
		Cooperations: q.list("cooperation", nil),
		Solutions:    q.list("solution", nil),
		Partners:     q.list("partner", nil),
		PartnerARS:   q.keyPrefixes("partner_ars", coop.MaxARSLen),
		Roles:        q.list("role", coop.ParticipantRoles),
		Tags:         q.list("tag", nil),
		StartedFrom:  q.date("started_from"),
		StartedTo:    q.date("started_to"),
		Q:            q.searchText(),
		UpdatedSince: q.time("updated_since"),
		AsOf:         q.date("as_of"),
	}
	if !f.StartedFrom.IsZero() && !f.StartedTo.IsZero() && !f.StartedTo.End().After(f.StartedFrom.First()) {
		q.fail("started_to (%s) liegt vor started_from (%s) / started_to (%[1]s) is before started_from (%[2]s)", f.StartedTo, f.StartedFrom)
	}
	return f, q.err
}

// writeProjects answers one page of projects, with finance for those who may see it.
func (s *Server) writeProjects(c echo.Context, f coop.ProjectFilter) error {
	res, err := s.svc.FindProjects(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return s.writeList(c, projectsJSON{res.Items, seesFinance(c)}, res.Total, res.NextCursor)
}

// handleProjectList lists projects.
//
//	@ID				listProjects
//	@Summary		Vorhaben auflisten / list projects
//	@Description	Kooperationsvorhaben mit allen Filtern; `finance` nur für controlling und admin. Mehrfachwerte kommagetrennt. Cooperation projects with every filter; finance only for controlling and admin; multi-values comma separated.
//	@Tags			projects
//	@Produce		json
//	@Param			limit			query		int		false	"page size"	minimum(1)	maximum(500)	default(50)
//	@Param			cursor			query		string	false	"next_cursor of the previous page"	maxLength(2048)
//	@Param			sort			query		string	false	"comma list of title, slug, status, category, started_on, created_at, updated_at; - for descending"	example(-started_on,title)	maxLength(200)
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
//	@Param			as_of			query		string	false	"status as it stood on that date (partial date, from the history)"	example(2017-06)	format(partial-date)
//	@Param			q				query		string	false	"full-text search"	maxLength(200)
//	@Param			updated_since	query		string	false	"only projects changed at or after this time (RFC 3339)"	format(date-time)
//	@Success		200				{object}	ProjectList
//	@Header			200				{string}	ETag	"weak tag of the page"
//	@Header			200				{string}	Link	"next page"
//	@Success		304				"not modified"
//	@Failure		400				{object}	Problem
//	@Failure		401				{object}	Problem
//	@Failure		503				{object}	Problem
//	@Failure		429				{object}	Problem
//	@Failure		500				{object}	Problem
//	@Router			/api/v1/projects [get]
func (s *Server) handleProjectList(c echo.Context) error {
	if err := s.canRead(c); err != nil {
		return err
	}
	f, err := s.projectFilter(c, "")
	if err != nil {
		return err
	}
	return s.writeProjects(c, f)
}

// handleProjectGet shows one project.
//
//	@ID				getProject
//	@Summary		Vorhaben abrufen / get a project
//	@Description	Ein Vorhaben nach id oder slug; `finance` nur für controlling und admin. Mit `Accept: application/ld+json` als Linked Data (schema.org-JSON-LD, `@id` unter IKZ_PUBLIC_URL). One project by id or slug; finance only for controlling and admin. With Accept: application/ld+json as linked data (schema.org JSON-LD, @id under IKZ_PUBLIC_URL).
//	@Tags			projects
//	@Produce		json,application/ld+json
//	@Param			id	path		string	true	"id or slug"	example(it-hotline)	maxLength(100)
//	@Success		200	{object}	Project
//	@Header			200	{string}	ETag	"strong tag of this version"
//	@Success		304	"not modified"
//	@Failure		400	{object}	Problem
//	@Failure		401	{object}	Problem
//	@Failure		404	{object}	Problem
//	@Failure		503	{object}	Problem
//	@Failure		429	{object}	Problem
//	@Failure		500	{object}	Problem
//	@Router			/api/v1/projects/{id} [get]
func (s *Server) handleProjectGet(c echo.Context) error {
	if err := s.canRead(c); err != nil {
		return err
	}
	p, err := s.svc.FindProject(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	if ld, err := s.linkedData(c, p.ID, p.Version, func() any { return opendata.ProjectLD(opendata.NewURIs(s.baseURL(c)), p) }); ld {
		return err
	}
	return s.writeResource(c, http.StatusOK, p.ID, p.Version, projectJSON{&p, seesFinance(c)})
}

// handleProjectCreate creates a project.
//
//	@ID				createProject
//	@Summary		Vorhaben anlegen / create a project
//	@Description	Legt ein Vorhaben mit mindestens einem Beteiligten an, in einer Transaktion; `status` und `status_effective_on` erlauben historische Einträge. Alle Regelverstöße kommen gesammelt als 422 mit JSON-Pfad (z. B. `participants[1].partner`). Creates a project with its participants in one transaction; all violations in one 422 with their JSON paths.
//	@Tags			projects
//	@Accept			json
//	@Produce		json
//	@Param			body	body		ProjectCreate	true	"the new project"
//	@Success		201		{object}	Project
//	@Header			201		{string}	Location	"URL of the new project"
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
//	@Router			/api/v1/projects [post]
func (s *Server) handleProjectCreate(c echo.Context) error {
	if err := canWrite(c); err != nil {
		return err
	}
	var in ProjectCreate
	if err := bindBody(c, &in); err != nil {
		return err
	}
	if in.Finance != nil {
		if err := canWriteFinance(c); err != nil {
			return err
		}
	}
	p, err := s.svc.CreateProject(c.Request().Context(), in.draft())
	if err != nil {
		return err
	}
	countWrite(coop.TypeProject, coop.ActionCreate)
	return s.created(c, "/api/v1/projects/"+p.ID, p.ID, p.Version, projectOut(p, seesFinance(c)))
}

// handleProjectPatch changes a project.
//
//	@ID				updateProject
//	@Summary		Vorhaben ändern / update a project
//	@Description	JSON Merge Patch (RFC 7396): `null` löscht ein Feld, Listen werden ersetzt. `status` ist hier nicht schreibbar (422, siehe …/transitions). `If-Match` schützt vor verlorenen Änderungen. JSON Merge Patch; null clears a field, lists are replaced; status is read-only here (use transitions); If-Match prevents lost updates.
//	@Tags			projects
//	@Accept			json
//	@Accept			application/merge-patch+json
//	@Produce		json
//	@Param			id			path		string			true	"id or slug"	example(it-hotline)	maxLength(100)
//	@Param			If-Match	header		string			false	"ETag of the version this change is based on"	maxLength(200)
//	@Param			body		body		ProjectInput	true	"fields to change (any subset)"
//	@Success		200			{object}	Project
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
//	@Router			/api/v1/projects/{id} [patch]
func (s *Server) handleProjectPatch(c echo.Context) error {
	return patchResource(s, c, coop.TypeProject, s.svc.FindProject, projectInputOf,
		func(ctx context.Context, id string, in ProjectInput, v int) (coop.Project, error) {
			return s.svc.UpdateProject(ctx, id, in.draft(), v)
		},
		func(r coop.Project) any { return projectOut(r, seesFinance(c)) },
		func(patch map[string]any) error {
			if _, ok := patch["finance"]; ok {
				return canWriteFinance(c)
			}
			return nil
		})
}

// handleProjectDelete soft-deletes a project.
//
//	@ID				deleteProject
//	@Summary		Vorhaben löschen / delete a project
//	@Description	Weich gelöscht: verschwindet aus Listen, GET ist 404; ein admin kann es wiederherstellen. Soft delete: gone from lists, GET is 404; an admin can restore it.
//	@Tags			projects
//	@Param			id			path	string	true	"id or slug"	example(dips-kommunal-lwl-archivamt)	maxLength(100)
//	@Param			If-Match	header	string	false	"ETag of the version to delete"	maxLength(200)
//	@Success		204			"deleted"
//	@Failure		400			{object}	Problem
//	@Failure		401			{object}	Problem
//	@Failure		403			{object}	Problem
//	@Failure		404			{object}	Problem
//	@Failure		412			{object}	Problem
//	@Failure		503			{object}	Problem
//	@Failure		429			{object}	Problem
//	@Failure		500			{object}	Problem
//	@Security		BearerAuth
//	@Router			/api/v1/projects/{id} [delete]
func (s *Server) handleProjectDelete(c echo.Context) error {
	return deleteResource(c, coop.TypeProject, s.svc.FindProject, s.svc.DeleteProject)
}

// handleProjectRestore restores a soft-deleted project.
//
//	@ID				restoreProject
//	@Summary		Vorhaben wiederherstellen / restore a project
//	@Description	Nur admin. 409, wenn der Slug inzwischen vergeben ist oder ein Beteiligter, die Kooperation oder die Lösung gelöscht ist. Admin only; 409 if the slug was taken meanwhile or a participant, the cooperation or the solution is deleted.
//	@Tags			projects
//	@Produce		json
//	@Param			id			path		string	true	"id or slug"	example(dips-kommunal-lwl-archivamt)	maxLength(100)
//	@Param			If-Match	header		string	false	"ETag of the deleted version"	maxLength(200)
//	@Success		200			{object}	Project
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
//	@Router			/api/v1/projects/{id}/restore [post]
func (s *Server) handleProjectRestore(c echo.Context) error {
	if err := canRestore(c); err != nil {
		return err
	}
	id := c.Param("id")
	want, err := restoreIfMatch(c, id)
	if err != nil {
		return err
	}
	var p coop.Project
	err = applyInTurn(c, func() (err error) {
		p, err = s.svc.RestoreProject(c.Request().Context(), id, want)
		return err
	})
	if err != nil {
		return err
	}
	countWrite(coop.TypeProject, coop.ActionRestore)
	return s.writeResource(c, http.StatusOK, p.ID, p.Version, projectOut(p, seesFinance(c)))
}

// handlePartnerProjects lists the projects a partner takes part in.
//
//	@ID				listPartnerProjects
//	@Summary		Vorhaben eines Partners / projects of a partner
//	@Description	Die nicht gelöschten Vorhaben, an denen der Partner beteiligt ist (`role` grenzt seine Rolle ein), mit allen Filtern der Vorhabenliste; 404, wenn es den Partner nicht gibt. Live projects the partner takes part in (role limits its role), with every project filter; 404 if the partner does not exist.
//	@Tags			partners
//	@Produce		json
//	@Param			id				path		string	true	"id or slug"	example(citeq)	maxLength(100)
//	@Param			partner_ars		query		[]string	false	"ARS prefixes (1 to 12 digits), comma separated: projects with a participant located there (its own ARS, else its parent's; 055 = Regierungsbezirk Münster)"	collectionFormat(csv)	example(055)	maxLength(12)
//	@Param			role			query		[]string	false	"the partner's roles, comma separated"	collectionFormat(csv)	Enums(lead, partner, provider, consumer, developer, operator, funder, observer)	example(provider)
//	@Param			limit			query		int		false	"page size"	minimum(1)	maximum(500)	default(50)
//	@Param			cursor			query		string	false	"next_cursor of the previous page"	maxLength(2048)
//	@Param			sort			query		string	false	"comma list of title, slug, status, category, started_on, created_at, updated_at; - for descending"	example(-started_on,title)	maxLength(200)
//	@Param			status			query		[]string	false	"statuses, comma separated"	collectionFormat(csv)	Enums(idea, planned, in_progress, operational, suspended, completed, terminated, cancelled)	example(operational)
//	@Param			category		query		[]string	false	"categories, comma separated"	collectionFormat(csv)	Enums(service_desk, archiving, network, data_center, software, information_security, organisation, online_services, other)	example(network)
//	@Param			cooperation		query		[]string	false	"cooperation ids or slugs, comma separated"	collectionFormat(csv)	maxLength(100)
//	@Param			solution		query		[]string	false	"solution ids or slugs, comma separated"	collectionFormat(csv)	maxLength(100)
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
//	@Router			/api/v1/partners/{id}/projects [get]
func (s *Server) handlePartnerProjects(c echo.Context) error {
	if err := s.canRead(c); err != nil {
		return err
	}
	p, err := s.svc.FindPartner(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	f, err := s.projectFilter(c, "partner")
	if err != nil {
		return err
	}
	f.Partners = []string{p.ID}
	return s.writeProjects(c, f)
}
