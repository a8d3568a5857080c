package httpapi

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

var (
	changeParams  = []string{"after", "limit", "order", "resource_type", "resource_id"}
	changeOrders  = coop.Enum{{Code: "asc"}, {Code: "desc"}}
	resourceTypes = coop.Enum{
		{Code: coop.TypePartner}, {Code: coop.TypeCooperation}, {Code: coop.TypeProject}, {Code: coop.TypeSolution},
	}
)

// FieldChange is the old and new value of one field, in the form the resource's API
// shows it.
type FieldChange struct {
	// value before the change (null for a create)
	Old any `json:"old" extensions:"x-nullable,x-example-json=\"in_progress\""`
	// value after the change
	New any `json:"new" extensions:"x-nullable,x-example-json=\"operational\""`
} // @name FieldChange

// Change is one accepted write: the sync feed of portals and the audit log.
type Change struct {
	// strictly increasing in feed order; pass the last one as after
	ID int64 `json:"id" example:"42"`
	// when the change was committed (UTC)
	At time.Time `json:"at" example:"2026-01-31T12:00:00Z" format:"date-time"`
	// who made it
	Actor Actor `json:"actor"`
	// the X-Request-ID of the request that made it
	RequestID string `json:"request_id,omitempty" example:"7f1c0a4e-9b2d-4c1f-8e3a-5b6c7d8e9f0a"`
	// the bulk import that made it (GET /api/v1/imports/{id}), if one did
	ImportID string `json:"import_id,omitempty" format:"uuid" example:"3f2b8c1a-4d5e-4f60-8a7b-9c0d1e2f3a4b"`
	// kind of change
	Action string `json:"action" enums:"create,update,delete,restore,transition" example:"update"`
	// kind of resource
	ResourceType string `json:"resource_type" enums:"partner,cooperation,project,solution" example:"project"`
	// id of the resource (the resource_id filter also takes its slug)
	ResourceID string `json:"resource_id" format:"uuid" example:"9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"`
	// the resource's version after the change
	Version int `json:"version" example:"3"`
	// changed fields with old and new values (finance only for controlling and admin)
	Changes map[string]FieldChange `json:"changes" extensions:"x-example-json={\"status\": {\"old\": \"in_progress\", \"new\": \"operational\"}}"`
} // @name Change

// ChangeList is one page of the change feed.
type ChangeList struct {
	// changes, oldest first (order=desc: newest first)
	Items []Change `json:"items"`
	// pass as after for the next page. Oldest first it is never null: once caught up it is the current position, the after to ask with next time. Newest first (order=desc) it is null on the page with the oldest entry.
	NextCursor *string `json:"next_cursor" example:"42" extensions:"x-nullable"`
} // @name ChangeList

// changeVisible is a change as a caller sees it (finance only with finance) and
// whether it is shown at all: an update that changed nothing but finance is left out
// for a caller who may not see finance, rather than shown as an empty change. Every
// way the feed is read (the list, a stream) shows it through this.
func changeVisible(ch coop.Change, finance bool) (Change, bool) {
	out := changeOut(ch, finance)
	return out, !(ch.Action == coop.ActionUpdate && len(ch.Changes) > 0 && len(out.Changes) == 0)
}

// ChangeView is changeVisible for the webhook payloads (package webhook): the same
// rule for the feed, the stream and the webhooks.
func ChangeView(ch coop.Change, finance bool) (any, bool) { return changeVisible(ch, finance) }

func changeOut(ch coop.Change, finance bool) Change {
	out := Change{
		ID: ch.ID, At: utc(ch.At), Actor: actorOut(ch.Actor), RequestID: ch.RequestID, ImportID: ch.ImportID, Action: ch.Action,
		ResourceType: ch.ResourceType, ResourceID: ch.ResourceID, Version: ch.Version,
		Changes: make(map[string]FieldChange, len(ch.Changes)),
	}
	for k, v := range ch.Changes {
		if k == "finance" && !finance {
			continue
		}
		out.Changes[k] = FieldChange{Old: v.Old, New: v.New}
	}
	return out
}

// handleChangeList reads the change feed.
//
//	@ID				listChanges
//	@Summary		Änderungsprotokoll / change feed
//	@Description	Jede angenommene Änderung, älteste zuerst, mit alten und neuen Werten: der Sync-Feed der Portale und das Audit-Log. `next_cursor` als `after` zurückgeben (auch im `Link`-Header, rel="next"); ist nichts Neueres da, ist er die aktuelle Position, nie null. `order=desc`: neueste zuerst, `next_cursor` blättert zurück. `finance` nur für controlling und admin; wer finance nicht sehen darf, bekommt Änderungen, die nur finance betrafen, gar nicht (die ids springen dann, eine Seite kann weniger als limit Einträge haben). Every accepted change, oldest first, with old and new values; pass next_cursor back as after (also in the Link header, rel="next"): once caught up it is the current position, never null. order=desc gives the newest first and next_cursor pages backwards (null on the oldest page). resource_id takes an id or a slug. Finance only for controlling and admin; callers who may not see finance do not get changes of nothing but finance (ids then skip, and a page may hold fewer than limit items).
//	@Tags			changes
//	@Produce		json
//	@Param			after			query		int		false	"a next_cursor: changes after it in the order asked for (ids greater; with order=desc, smaller)"	minimum(0)	default(0)
//	@Param			limit			query		int		false	"page size"	minimum(1)	maximum(1000)	default(100)
//	@Param			order			query		string	false	"asc: oldest first (sync); desc: newest first (what changed recently)"	Enums(asc,desc)	default(asc)
//	@Param			resource_type	query		string	false	"only changes of this kind of resource"	Enums(partner,cooperation,project,solution)
//	@Param			resource_id		query		string	false	"only changes of this resource: its id, or the slug of a live resource"	example(it-hotline)	maxLength(100)
//	@Success		200				{object}	ChangeList
//	@Header			200				{string}	ETag	"weak tag of the page"
//	@Header			200				{string}	Link	"<…?after=next_cursor>; rel=\"next\""
//	@Success		304				"not modified"
//	@Failure		400				{object}	Problem
//	@Failure		401				{object}	Problem
//	@Failure		403				{object}	Problem
//	@Failure		503				{object}	Problem
//	@Failure		429				{object}	Problem
//	@Failure		500				{object}	Problem
//	@Security		BearerAuth
//	@Router			/api/v1/changes [get]
func (s *Server) handleChangeList(c echo.Context) error {
	if err := require(c, auth.CanReadChanges); err != nil {
		return err
	}
	q := newQuery(c)
	q.known(changeParams...)
	f := changeFilterOf(q)
	f.Limit = q.intRange("limit", coop.ChangeDefaultLimit, 1, coop.ChangeMaxLimit)
	if orders := q.list("order", changeOrders); len(orders) > 1 {
		q.fail("order: nur ein Wert / one value only")
	} else if len(orders) == 1 {
		f.Desc = orders[0] == "desc"
	}
	if q.err != nil {
		return q.err
	}
	finance := seesFinance(c)
	var out ChangeList
	var list []coop.Change
	// A page whose changes are all left out for this caller (finance-only updates) is
	// read past, a few pages at most, so that an empty page still means caught up.
	for round := 0; ; round++ {
		var err error
		if list, err = s.svc.FindChanges(c.Request().Context(), f); err != nil {
			return err
		}
		out.Items = make([]Change, 0, len(list))
		for _, ch := range list {
			if item, shown := changeVisible(ch, finance); shown {
				out.Items = append(out.Items, item)
			}
		}
		if len(out.Items) > 0 || len(list) < f.Limit || round == 10 {
			break
		}
		f.After = list[len(list)-1].ID
	}
	// The cursor is the last change read, shown or not: a page may hold fewer items
	// than limit (ids skip where finance-only changes are left out).
	var next int64 = -1
	switch n := len(list); {
	case n > 0 && (!f.Desc || n == f.Limit):
		next = list[n-1].ID
	case !f.Desc:
		// caught up: the current position (never beyond the newest entry, so that a
		// cursor from elsewhere cannot skip what comes next)
		latest, err := s.svc.LatestChangeID(c.Request().Context())
		if err != nil {
			return err
		}
		next = min(f.After, latest)
	}
	if next >= 0 {
		cursor := strconv.FormatInt(next, 10)
		out.NextCursor = &cursor
		u := c.Request().URL
		v := u.Query()
		v.Set("after", cursor)
		c.Response().Header().Set("Link", "<"+(&url.URL{Path: u.Path, RawQuery: v.Encode()}).String()+`>; rel="next"`)
	}
	return s.writeCached(c, http.StatusOK, out, "")
}

// changeFilterOf reads the parameters the feed and the stream share: after,
// resource_type, resource_id.
func changeFilterOf(q *query) coop.ChangeFilter {
	var f coop.ChangeFilter
	if raw := q.v.Get("after"); raw != "" {
		n, ok := changeID(raw)
		if !ok {
			q.fail("after: erwartet eine nicht negative ganze Zahl (ein next_cursor) / expected a non-negative integer (a next_cursor)")
		}
		f.After = n
	}
	if types := q.list("resource_type", resourceTypes); len(types) > 1 {
		q.fail("resource_type: nur ein Wert / one value only")
	} else if len(types) == 1 {
		f.ResourceType = types[0]
	}
	if id := q.v.Get("resource_id"); id != "" {
		if !isID(id) && (!coop.ValidSlug(id) || len(id) > 100) {
			q.fail("resource_id: erwartet eine UUID oder einen Slug / expected a UUID or a slug")
		}
		f.ResourceID = id
	}
	return f
}

// changeID reads a change id (a cursor, a Last-Event-ID): a non-negative integer.
func changeID(raw string) (int64, bool) {
	n, err := strconv.ParseInt(raw, 10, 64)
	return n, err == nil && n >= 0
}
