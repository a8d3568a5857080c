package httpapi

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/opendata"
)

var partnerParams = []string{"limit", "cursor", "sort", "type", "state", "parent", "ars", "ags", "q", "updated_since", "region_status"}

func (s *Server) partnerFilter(c echo.Context, extra ...string) (coop.PartnerFilter, error) {
	q := newQuery(c)
	q.known(append(partnerParams, extra...)...)
	f := coop.PartnerFilter{
		Page: q.page(coop.PartnerSortFields), Types: q.list("type", coop.PartnerTypes),
		States: q.list("state", coop.States), Parents: q.list("parent", nil),
		ARS: q.keyPrefixes("ars", coop.MaxARSLen), AGS: q.keyPrefixes("ags", coop.MaxAGSLen),
		Q: q.searchText(), UpdatedSince: q.time("updated_since"),
		RegionStatuses: q.list("region_status", coop.RegionStatuses),
	}
	return f, q.err
}

// handlePartnerList lists partners.
//
//	@ID				listPartners
//	@Summary		Partner auflisten / list partners
//	@Description	Organisationen, die an Kooperationen teilnehmen; Keyset-Paginierung über `cursor`. Organisations taking part in cooperations; keyset pagination.
//	@Tags			partners
//	@Produce		json
//	@Param			limit			query		int		false	"page size"	minimum(1)	maximum(500)	default(50)
//	@Param			cursor			query		string	false	"next_cursor of the previous page"	maxLength(2048)
//	@Param			sort			query		string	false	"comma list of name, slug, type, state, created_at, updated_at; - for descending"	example(-updated_at,name)	maxLength(200)
//	@Param			type			query		[]string	false	"partner types, comma separated"	collectionFormat(csv)	Enums(municipality, district, regional_association, municipal_it_provider, department, special_purpose_association, municipal_enterprise, state_authority, federal_authority, company, other)	example(municipal_it_provider,department)
//	@Param			state			query		[]string	false	"ISO 3166-2 states, comma separated"	collectionFormat(csv)	Enums(DE-SH, DE-HH, DE-NI, DE-HB, DE-NW, DE-HE, DE-RP, DE-BW, DE-BY, DE-SL, DE-BE, DE-BB, DE-MV, DE-SN, DE-ST, DE-TH)
//	@Param			parent			query		[]string	false	"parent ids or slugs, comma separated"	collectionFormat(csv)	example(stadt-muenster)	maxLength(100)
//	@Param			ars				query		[]string	false	"ARS prefixes (1 to 12 digits), comma separated; a partner without an ARS of its own is located by its parent's (ars=05515: everything in Münster)"	collectionFormat(csv)	example(05515)	maxLength(12)
//	@Param			ags				query		[]string	false	"AGS prefixes (1 to 8 digits), comma separated; a partner without an AGS of its own is located by its parent's"	collectionFormat(csv)	example(05515000)	maxLength(8)
//	@Param			q				query		string	false	"full-text search"	maxLength(200)
//	@Param			updated_since	query		string	false	"only partners changed at or after this time (RFC 3339)"	format(date-time)
//	@Param			region_status	query		[]string	false	"how the keys stand in the register in force (outdated: a key or served region vanished, e.g. a merged municipality), comma separated"	collectionFormat(csv)	Enums(current, outdated, missing)	example(current)
//	@Success		200				{object}	PartnerList
//	@Header			200				{string}	ETag	"weak tag of the page"
//	@Header			200				{string}	Link	"next page"
//	@Success		304				"not modified"
//	@Failure		400				{object}	Problem
//	@Failure		401				{object}	Problem
//	@Failure		503				{object}	Problem
//	@Failure		429				{object}	Problem
//	@Failure		500				{object}	Problem
//	@Router			/api/v1/partners [get]
func (s *Server) handlePartnerList(c echo.Context) error {
	if err := s.canRead(c); err != nil {
		return err
	}
	f, err := s.partnerFilter(c)
	if err != nil {
		return err
	}
	res, err := s.svc.FindPartners(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return s.writeList(c, partnersOut(res.Items, s.registerFor(c)), res.Total, res.NextCursor)
}

// PartnerList is a page of partners.
type PartnerList struct {
	// the page's partners
	Items []Partner `json:"items"`
	// number of all matching partners
	Total int64 `json:"total" example:"6"`
	// pass as cursor for the next page; null on the last page
	NextCursor *string `json:"next_cursor" example:"eyJrIjpbImNpdGVxIl0sImlkIjoiMGI3YyJ9" extensions:"x-nullable"`
} // @name PartnerList

// handlePartnerGet shows one partner.
//
//	@ID				getPartner
//	@Summary		Partner abrufen / get a partner
//	@Description	Ein Partner nach id oder slug. Mit `Accept: application/ld+json` als Linked Data (schema.org-JSON-LD, `@id` unter IKZ_PUBLIC_URL). One partner by id or slug. With Accept: application/ld+json as linked data (schema.org JSON-LD, @id under IKZ_PUBLIC_URL).
//	@Tags			partners
//	@Produce		json,application/ld+json
//	@Param			id	path		string	true	"id or slug"	example(citeq)	maxLength(100)
//	@Success		200	{object}	Partner
//	@Header			200	{string}	ETag	"strong tag of this version"
//	@Success		304	"not modified"
//	@Failure		400	{object}	Problem
//	@Failure		401	{object}	Problem
//	@Failure		404	{object}	Problem
//	@Failure		503	{object}	Problem
//	@Failure		429	{object}	Problem
//	@Failure		500	{object}	Problem
//	@Router			/api/v1/partners/{id} [get]
func (s *Server) handlePartnerGet(c echo.Context) error {
	if err := s.canRead(c); err != nil {
		return err
	}
	p, err := s.svc.FindPartner(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	if ld, err := s.linkedData(c, p.ID, p.Version, func() any { return opendata.PartnerLD(opendata.NewURIs(s.baseURL(c)), p) }); ld {
		return err
	}
	return s.writeResource(c, http.StatusOK, p.ID, p.Version, partnerOut(p, s.registerFor(c)))
}

// handlePartnerCreate creates a partner.
//
//	@ID				createPartner
//	@Summary		Partner anlegen / create a partner
//	@Description	Legt einen Partner an; alle Regelverstöße kommen gesammelt als 422. Creates a partner; all violations come in one 422.
//	@Tags			partners
//	@Accept			json
//	@Produce		json
//	@Param			body	body		PartnerInput	true	"the new partner"
//	@Success		201		{object}	Partner
//	@Header			201		{string}	Location	"URL of the new partner"
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
//	@Router			/api/v1/partners [post]
func (s *Server) handlePartnerCreate(c echo.Context) error {
	if err := canWrite(c); err != nil {
		return err
	}
	var in PartnerInput
	if err := bindBody(c, &in); err != nil {
		return err
	}
	p, err := s.svc.CreatePartner(c.Request().Context(), in.draft())
	if err != nil {
		return err
	}
	countWrite(coop.TypePartner, coop.ActionCreate)
	return s.created(c, "/api/v1/partners/"+p.ID, p.ID, p.Version, partnerOut(p, s.registerFor(c)))
}

// handlePartnerPatch changes a partner.
//
//	@ID				updatePartner
//	@Summary		Partner ändern / update a partner
//	@Description	JSON Merge Patch (RFC 7396): `null` löscht ein Feld. `If-Match` schützt vor verlorenen Änderungen. JSON Merge Patch; null clears a field; If-Match prevents lost updates.
//	@Tags			partners
//	@Accept			json
//	@Accept			application/merge-patch+json
//	@Produce		json
//	@Param			id			path		string			true	"id or slug"	example(citeq)	maxLength(100)
//	@Param			If-Match	header		string			false	"ETag of the version this change is based on"	maxLength(200)
//	@Param			body		body		PartnerInput	true	"fields to change (any subset)"
//	@Success		200			{object}	Partner
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
//	@Router			/api/v1/partners/{id} [patch]
func (s *Server) handlePartnerPatch(c echo.Context) error {
	return patchResource(s, c, coop.TypePartner, s.svc.FindPartner, partnerInputOf,
		func(ctx context.Context, id string, in PartnerInput, v int) (coop.Partner, error) {
			return s.svc.UpdatePartner(ctx, id, in.draft(), v)
		},
		func(r coop.Partner) any { return partnerOut(r, s.registerFor(c)) }, nil)
}

// handlePartnerDelete soft-deletes a partner.
//
//	@ID				deletePartner
//	@Summary		Partner löschen / delete a partner
//	@Description	Weich gelöscht; 409, solange er noch in Kooperationen, Vorhaben, Lösungen oder als Übergeordneter verwendet wird. Soft delete; 409 while still referenced.
//	@Tags			partners
//	@Param			id			path	string	true	"id or slug"	example(kreis-warendorf)	maxLength(100)
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
//	@Router			/api/v1/partners/{id} [delete]
func (s *Server) handlePartnerDelete(c echo.Context) error {
	return deleteResource(c, coop.TypePartner, s.svc.FindPartner, s.svc.DeletePartner)
}

// handlePartnerRestore restores a soft-deleted partner.
//
//	@ID				restorePartner
//	@Summary		Partner wiederherstellen / restore a partner
//	@Description	Nur admin. 409, wenn der Slug inzwischen vergeben ist. Admin only; 409 if the slug was taken meanwhile.
//	@Tags			partners
//	@Produce		json
//	@Param			id			path		string	true	"id or slug"	example(kreis-warendorf)	maxLength(100)
//	@Param			If-Match	header		string	false	"ETag of the deleted version"	maxLength(200)
//	@Success		200			{object}	Partner
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
//	@Router			/api/v1/partners/{id}/restore [post]
func (s *Server) handlePartnerRestore(c echo.Context) error {
	if err := canRestore(c); err != nil {
		return err
	}
	id := c.Param("id")
	want, err := restoreIfMatch(c, id)
	if err != nil {
		return err
	}
	var p coop.Partner
	err = applyInTurn(c, func() (err error) {
		p, err = s.svc.RestorePartner(c.Request().Context(), id, want)
		return err
	})
	if err != nil {
		return err
	}
	countWrite(coop.TypePartner, coop.ActionRestore)
	return s.writeResource(c, http.StatusOK, p.ID, p.Version, partnerOut(p, s.registerFor(c)))
}

// handlePartnerChildren lists the partners that belong to a partner.
//
//	@ID				listPartnerChildren
//	@Summary		Untergeordnete Partner / children of a partner
//	@Description	Partner, deren parent dieser Partner ist. Partners whose parent this one is.
//	@Tags			partners
//	@Produce		json
//	@Param			id		path		string	true	"id or slug"	example(stadt-muenster)	maxLength(100)
//	@Param			limit	query		int		false	"page size"	minimum(1)	maximum(500)	default(50)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"	maxLength(2048)
//	@Param			sort	query		string	false	"sort fields"	maxLength(200)
//	@Success		200		{object}	PartnerList
//	@Success		304		"not modified"
//	@Failure		400		{object}	Problem
//	@Failure		401		{object}	Problem
//	@Failure		404		{object}	Problem
//	@Failure		503		{object}	Problem
//	@Failure		429		{object}	Problem
//	@Failure		500		{object}	Problem
//	@Router			/api/v1/partners/{id}/children [get]
func (s *Server) handlePartnerChildren(c echo.Context) error {
	if err := s.canRead(c); err != nil {
		return err
	}
	parent, err := s.svc.FindPartner(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	f, err := s.partnerFilter(c)
	if err != nil {
		return err
	}
	f.Parents = []string{parent.ID}
	res, err := s.svc.FindPartners(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return s.writeList(c, partnersOut(res.Items, s.registerFor(c)), res.Total, res.NextCursor)
}
