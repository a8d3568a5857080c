package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// Webhook is a subscription to the change log (never its secret).
type Webhook struct {
	// server-assigned id
	ID string `json:"id" format:"uuid" example:"3d5e7f90-1a2b-4c3d-8e4f-5a6b7c8d9e0f"`
	// where the events are POSTed
	URL string `json:"url" example:"https://portal.example.org/hooks/ikz"`
	// what it is for
	Description string `json:"description" example:"Portal Münsterland"`
	// event types (resource.action), resource.* or *; empty: every event
	Events []string `json:"events" example:"project.created,project.status_changed,partner.*"`
	// only changes of resources this partner takes part in
	Partner *Ref `json:"partner" extensions:"x-nullable"`
	// only changes of this cooperation and its projects
	Cooperation *Ref `json:"cooperation" extensions:"x-nullable"`
	// ids of the partners an editor's subscription is bound to (empty: unbound)
	ScopePartners []string `json:"scope_partners" example:"0b7c3c4e-8a4f-4d47-9a3e-2f1e5d6c7b8a"`
	// whose view the payloads have: reader (no finance) or controlling
	Role string `json:"role" enums:"reader,controlling" example:"reader"`
	// switched on
	Active bool `json:"active" example:"true"`
	// active delivers; failing retries an event on the schedule; disabled gave up (or was switched off)
	Status string `json:"status" enums:"active,failing,disabled" example:"active"`
	// why it was disabled ("" otherwise)
	DisabledReason string `json:"disabled_reason" example:""`
	// the last change delivered (or passed over as not wanted): delivery goes on after it
	Cursor int64 `json:"cursor" example:"42"`
	// failed attempts at the next change
	FailedAttempts int `json:"failed_attempts" example:"0"`
	// when the next attempt is due (UTC); null when none is waiting
	NextAttemptAt *time.Time `json:"next_attempt_at" format:"date-time" extensions:"x-nullable" example:"2026-01-31T12:05:00Z"`
	// after a rotation the previous secret signs too until then (UTC); null otherwise
	PreviousSecretExpiresAt *time.Time `json:"previous_secret_expires_at" format:"date-time" extensions:"x-nullable" example:"2026-02-01T12:00:00Z"`
	// who created it
	Owner string `json:"owner" example:"portal-muensterland"`
	// 1 on create, +1 on every change
	Version int `json:"version" example:"1"`
	// creation time (UTC)
	CreatedAt time.Time `json:"created_at" format:"date-time" example:"2026-01-31T12:00:00Z"`
	// time of the last change (UTC)
	UpdatedAt time.Time `json:"updated_at" format:"date-time" example:"2026-01-31T12:00:00Z"`
} // @name Webhook

// WebhookCreated is a new subscription (or one with a new secret) with its secret,
// shown this once.
type WebhookCreated struct {
	Webhook
	// the signing secret (Standard Webhooks): shown only now
	Secret string `json:"secret" example:"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"`
} // @name WebhookCreated

// WebhookInput asks for a subscription (POST) or changes one (PATCH: the fields given).
type WebhookInput struct {
	// https URL of the receiver (http only with IKZ_WEBHOOK_ALLOW_HTTP)
	URL *string `json:"url,omitempty" example:"https://portal.example.org/hooks/ikz" maxLength:"2000"`
	// what it is for
	Description *string `json:"description,omitempty" example:"Portal Münsterland" maxLength:"500"`
	// event types (partner|cooperation|project|solution . created|updated|deleted|restored|status_changed), resource.* or *; empty or missing: every event
	Events *[]string `json:"events,omitempty" example:"project.created,project.status_changed,partner.*" maxLength:"40" extensions:"x-max-items=50"`
	// only changes of resources this partner takes part in: id or slug (null or "" clears)
	Partner *string `json:"partner,omitempty" example:"citeq" maxLength:"100"`
	// only changes of this cooperation and its projects: id or slug (null or "" clears)
	Cooperation *string `json:"cooperation,omitempty" example:"it-kooperation-muenster-lwl" maxLength:"100"`
	// whose view the payloads have (controlling only for callers who may see finance); default reader
	Role *string `json:"role,omitempty" enums:"reader,controlling" example:"reader"`
	// switched on (default true); switching a disabled subscription on again resumes where it stopped
	Active *bool `json:"active,omitempty" example:"true"`
} // @name WebhookInput

func (in WebhookInput) draft() coop.WebhookDraft {
	return coop.WebhookDraft{URL: in.URL, Description: in.Description, Events: in.Events, Partner: in.Partner,
		Cooperation: in.Cooperation, Role: in.Role, Active: in.Active}
}

func webhookOut(w coop.Webhook) Webhook {
	out := Webhook{ID: w.ID, URL: w.URL, Description: w.Description, Events: w.Events, ScopePartners: w.ScopePartners,
		Role: w.Role, Active: w.Active, Status: w.Status, DisabledReason: w.DisabledReason, Cursor: w.Cursor,
		FailedAttempts: w.Attempt, NextAttemptAt: w.NextAttemptAt, PreviousSecretExpiresAt: w.PreviousSecretUntil,
		Owner: w.OwnerName, Version: w.Version, CreatedAt: utc(w.CreatedAt), UpdatedAt: utc(w.UpdatedAt)}
	if out.Events == nil {
		out.Events = []string{}
	}
	if out.ScopePartners == nil {
		out.ScopePartners = []string{}
	}
	if w.Partner != nil {
		r := refOut("/api/v1/partners/", *w.Partner)
		out.Partner = &r
	}
	if w.Cooperation != nil {
		r := refOut("/api/v1/cooperations/", *w.Cooperation)
		out.Cooperation = &r
	}
	return out
}

// WebhookList is every subscription the caller may see.
type WebhookList struct {
	Items []Webhook `json:"items"`
	// how many there are
	Total int64 `json:"total" example:"1"`
	// always null: one page holds them all
	NextCursor *string `json:"next_cursor" extensions:"x-nullable" example:"null"`
} // @name WebhookList

// WebhookDelivery is one attempt to deliver an event.
type WebhookDelivery struct {
	// id of the attempt (pass as before to page back)
	ID int64 `json:"id" example:"311"`
	// the change delivered (0 for a ping)
	ChangeID int64 `json:"change_id" example:"42"`
	// the webhook-id header: the same for every attempt at a change
	MessageID string `json:"message_id" example:"chg_42"`
	// the payload's type
	Type string `json:"type" example:"project.status_changed"`
	// 1 for the first attempt at the change, counting up with each retry
	Attempt int `json:"attempt" example:"1"`
	// delivery (in order), redeliver or ping
	Trigger string `json:"trigger" enums:"delivery,redeliver,ping" example:"delivery"`
	// when it was sent (UTC)
	At time.Time `json:"at" format:"date-time" example:"2026-01-31T12:00:00Z"`
	// the receiver's status code; null when none came (refused, timeout, connection error)
	StatusCode *int `json:"status_code" extensions:"x-nullable" example:"200"`
	// time to the answer
	DurationMS int `json:"duration_ms" example:"35"`
	// what went wrong ("" on success)
	Error string `json:"error" example:""`
	// the beginning of the receiver's answer
	Excerpt string `json:"excerpt" example:"ok"`
} // @name WebhookDelivery

// WebhookDeliveryList is a page of a subscription's attempts, newest first.
type WebhookDeliveryList struct {
	Items []WebhookDelivery `json:"items"`
	// pass as before for older attempts; null on the oldest page
	NextCursor *string `json:"next_cursor" extensions:"x-nullable" example:"311"`
} // @name WebhookDeliveryList

func deliveryOut(d coop.WebhookDelivery) WebhookDelivery {
	return WebhookDelivery{ID: d.ID, ChangeID: d.ChangeID, MessageID: d.MessageID, Type: d.EventType, Attempt: d.Attempt,
		Trigger: d.Trigger, At: utc(d.At), StatusCode: d.StatusCode, DurationMS: d.DurationMS, Error: d.Error, Excerpt: d.Excerpt}
}

// canManageWebhooks: admins manage every subscription, editors their own.
func canManageWebhooks(c echo.Context) error { return require(c, auth.CanWriteDirectory) }

// ownWebhook returns the subscription if the caller may manage it: an admin any, an
// editor its own (another's is 404, as if it did not exist).
func (s *Server) ownWebhook(c echo.Context) (coop.Webhook, error) {
	if err := canManageWebhooks(c); err != nil {
		return coop.Webhook{}, err
	}
	w, err := s.svc.GetWebhook(c.Request().Context(), c.Param("id"))
	if err != nil {
		return coop.Webhook{}, err
	}
	if a := coop.ActorFrom(c.Request().Context()); !auth.CanManageTokens(principal(c)) && w.OwnerID != a.ID {
		return coop.Webhook{}, coop.Errorf(coop.ENotFound, "Webhook %q nicht gefunden / not found", c.Param("id"))
	}
	return w, nil
}

// checkWebhookInput refuses what the caller may not ask for: an unsafe URL (422), the
// controlling view without the right to see finance (403), a partner filter outside a
// bound editor's partners (403).
func (s *Server) checkWebhookInput(c echo.Context, in WebhookInput) error {
	if in.URL != nil && *in.URL != "" {
		if err := s.opt.WebhookSafety.CheckURL(*in.URL); err != nil {
			return &coop.Error{Code: coop.EValidation, Message: "Ungültige Empfänger-URL / invalid target URL",
				Fields: []coop.FieldError{{Field: "url", Code: "not_allowed", Message: err.Error()}}}
		}
	}
	if in.Role != nil && *in.Role == "controlling" && !seesFinance(c) {
		return coop.Errorf(coop.EForbidden, "Die Sicht controlling (mit finance) darf nur abonnieren, wer finance sehen darf / the controlling view needs the right to see finance")
	}
	return nil
}

// handleWebhookList lists the subscriptions.
//
//	@ID				listWebhooks
//	@Summary		Webhooks auflisten / list webhook subscriptions
//	@Description	admin: alle; editor: die eigenen. Nie das Geheimnis. admin: every subscription; editor: its own. Never the secret.
//	@Tags			webhooks
//	@Produce		json
//	@Success		200	{object}	WebhookList
//	@Failure		401	{object}	Problem
//	@Failure		403	{object}	Problem
//	@Failure		429	{object}	Problem
//	@Failure		500	{object}	Problem
//	@Failure		503	{object}	Problem
//	@Security		BearerAuth
//	@Router			/api/v1/webhooks [get]
func (s *Server) handleWebhookList(c echo.Context) error {
	if err := canManageWebhooks(c); err != nil {
		return err
	}
	owner := coop.ActorFrom(c.Request().Context()).ID
	if auth.CanManageTokens(principal(c)) {
		owner = ""
	}
	list, err := s.svc.ListWebhooks(c.Request().Context(), owner)
	if err != nil {
		return err
	}
	out := WebhookList{Items: make([]Webhook, len(list)), Total: int64(len(list))}
	for i, w := range list {
		out.Items[i] = webhookOut(w)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, out)
}

// handleWebhookCreate subscribes a URL to the change log.
//
//	@ID				createWebhook
//	@Summary		Webhook anlegen / create a webhook subscription
//	@Description	admin und editor (ein an Partner gebundener editor nur für die Ressourcen seiner Partner). Die Antwort zeigt das Signier-Geheimnis (`secret`, `whsec_…`) ein einziges Mal. Zugestellt wird, was ab jetzt geschieht (Vergangenes mit `/replay`): je Änderung ein POST mit `{type, timestamp, data}` (data: der Eintrag des Änderungs-Feeds, wie ihn die Rolle `role` sieht) und den Headern `webhook-id`, `webhook-timestamp`, `webhook-signature` (Standard Webhooks). admin and editor (an editor bound to partners only for its partners' resources). The answer shows the signing secret once. Delivers what happens from now on (the past with /replay): per change a POST of {type, timestamp, data} (data: the feed's entry as role sees it) with the Standard Webhooks headers.
//	@Tags			webhooks
//	@Accept			json
//	@Produce		json
//	@Param			body	body		WebhookInput	true	"the subscription"
//	@Success		201		{object}	WebhookCreated
//	@Header			201		{string}	Location	"URL of the subscription"
//	@Failure		400		{object}	Problem
//	@Failure		401		{object}	Problem
//	@Failure		403		{object}	Problem
//	@Failure		413		{object}	Problem
//	@Failure		415		{object}	Problem
//	@Failure		422		{object}	Problem
//	@Failure		429		{object}	Problem
//	@Failure		500		{object}	Problem
//	@Failure		503		{object}	Problem
//	@Security		BearerAuth
//	@Router			/api/v1/webhooks [post]
func (s *Server) handleWebhookCreate(c echo.Context) error {
	if err := canManageWebhooks(c); err != nil {
		return err
	}
	var in WebhookInput
	if err := bindBody(c, &in); err != nil {
		return err
	}
	if err := s.checkWebhookInput(c, in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	actor := coop.ActorFrom(ctx)
	w, secret, err := s.svc.CreateWebhook(ctx, in.draft(), actor, principal(c).Partners)
	if err != nil {
		return err
	}
	countWrite("webhook", coop.ActionCreate)
	h := c.Response().Header()
	h.Set("Location", "/api/v1/webhooks/"+w.ID)
	h.Set("Cache-Control", "no-store")
	return c.JSON(http.StatusCreated, WebhookCreated{Webhook: webhookOut(w), Secret: secret})
}

// handleWebhookGet reads one subscription.
//
//	@ID				getWebhook
//	@Summary		Webhook lesen / get a webhook subscription
//	@Description	Mit Zustellstand (`status`, `cursor`, `failed_attempts`, `next_attempt_at`). With its delivery state.
//	@Tags			webhooks
//	@Produce		json
//	@Param			id	path		string	true	"subscription id"	format(uuid)	example(3d5e7f90-1a2b-4c3d-8e4f-5a6b7c8d9e0f)
//	@Success		200	{object}	Webhook
//	@Failure		400	{object}	Problem
//	@Failure		401	{object}	Problem
//	@Failure		403	{object}	Problem
//	@Failure		404	{object}	Problem
//	@Failure		429	{object}	Problem
//	@Failure		500	{object}	Problem
//	@Failure		503	{object}	Problem
//	@Security		BearerAuth
//	@Router			/api/v1/webhooks/{id} [get]
func (s *Server) handleWebhookGet(c echo.Context) error {
	w, err := s.ownWebhook(c)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, webhookOut(w))
}

// handleWebhookPatch changes a subscription.
//
//	@ID				updateWebhook
//	@Summary		Webhook ändern / change a webhook subscription
//	@Description	Die angegebenen Felder. `active: true` schaltet eine deaktivierte Subscription wieder ein; sie macht dort weiter, wo sie stand. The fields given; active true switches a disabled subscription on again, from where it stopped.
//	@Tags			webhooks
//	@Accept			json
//	@Produce		json
//	@Param			id		path		string			true	"subscription id"	format(uuid)	example(3d5e7f90-1a2b-4c3d-8e4f-5a6b7c8d9e0f)
//	@Param			body	body		WebhookInput	true	"the fields to change"
//	@Success		200		{object}	Webhook
//	@Failure		400		{object}	Problem
//	@Failure		401		{object}	Problem
//	@Failure		403		{object}	Problem
//	@Failure		404		{object}	Problem
//	@Failure		413		{object}	Problem
//	@Failure		415		{object}	Problem
//	@Failure		422		{object}	Problem
//	@Failure		429		{object}	Problem
//	@Failure		500		{object}	Problem
//	@Failure		503		{object}	Problem
//	@Security		BearerAuth
//	@Router			/api/v1/webhooks/{id} [patch]
func (s *Server) handleWebhookPatch(c echo.Context) error {
	w, err := s.ownWebhook(c)
	if err != nil {
		return err
	}
	// a merge patch (or plain JSON): absent fields stay, null clears a filter
	patch, err := readPatch(c, reflect.TypeOf(WebhookInput{}))
	if err != nil {
		return err
	}
	for _, k := range []string{"partner", "cooperation"} {
		if v, ok := patch[k]; ok && v == nil {
			patch[k] = ""
		}
	}
	raw, err := json.Marshal(patch)
	if err != nil {
		return err
	}
	var in WebhookInput
	if err := decodeStrict(bytes.NewReader(raw), &in); err != nil {
		return err
	}
	if in.URL != nil && *in.URL == "" {
		in.URL = nil
		return &coop.Error{Code: coop.EValidation, Message: "Ungültige Empfänger-URL / invalid target URL",
			Fields: []coop.FieldError{{Field: "url", Code: "required", Message: "Pflichtfeld"}}}
	}
	if err := s.checkWebhookInput(c, in); err != nil {
		return err
	}
	w, err = s.svc.UpdateWebhook(c.Request().Context(), w.ID, in.draft())
	if err != nil {
		return err
	}
	countWrite("webhook", coop.ActionUpdate)
	return c.JSON(http.StatusOK, webhookOut(w))
}

// handleWebhookDelete removes a subscription.
//
//	@ID				deleteWebhook
//	@Summary		Webhook löschen / delete a webhook subscription
//	@Description	Mit seinem Zustellprotokoll. With its delivery log.
//	@Tags			webhooks
//	@Param			id	path	string	true	"subscription id"	format(uuid)	example(3d5e7f90-1a2b-4c3d-8e4f-5a6b7c8d9e0f)
//	@Success		204	"deleted"
//	@Failure		400	{object}	Problem
//	@Failure		401	{object}	Problem
//	@Failure		403	{object}	Problem
//	@Failure		404	{object}	Problem
//	@Failure		429	{object}	Problem
//	@Failure		500	{object}	Problem
//	@Failure		503	{object}	Problem
//	@Security		BearerAuth
//	@Router			/api/v1/webhooks/{id} [delete]
func (s *Server) handleWebhookDelete(c echo.Context) error {
	w, err := s.ownWebhook(c)
	if err != nil {
		return err
	}
	if err := s.svc.DeleteWebhook(c.Request().Context(), w.ID); err != nil {
		return err
	}
	countWrite("webhook", coop.ActionDelete)
	return c.NoContent(http.StatusNoContent)
}

// Rotation grace: default and bounds.
const (
	defaultWebhookGrace = 24 * time.Hour
	maxWebhookGrace     = 7 * 24 * time.Hour
)

// handleWebhookRotate makes a new secret.
//
//	@ID				rotateWebhookSecret
//	@Summary		Webhook-Geheimnis erneuern / rotate a webhook's secret
//	@Description	Die Antwort zeigt das neue Geheimnis einmal. Bis `previous_secret_expires_at` (Standard 24 h, `grace_seconds` 0 bis 7 Tage) signieren altes und neues (zwei Signaturen in `webhook-signature`), damit der Empfänger umstellen kann. The answer shows the new secret once; until previous_secret_expires_at (default 24 h) old and new both sign, so the receiver can switch over.
//	@Tags			webhooks
//	@Produce		json
//	@Param			id				path		string	true	"subscription id"	format(uuid)	example(3d5e7f90-1a2b-4c3d-8e4f-5a6b7c8d9e0f)
//	@Param			grace_seconds	query		int		false	"how long the previous secret signs as well"	minimum(0)	maximum(604800)	default(86400)
//	@Success		200				{object}	WebhookCreated
//	@Failure		400				{object}	Problem
//	@Failure		401				{object}	Problem
//	@Failure		403				{object}	Problem
//	@Failure		404				{object}	Problem
//	@Failure		429				{object}	Problem
//	@Failure		500				{object}	Problem
//	@Failure		503				{object}	Problem
//	@Security		BearerAuth
//	@Router			/api/v1/webhooks/{id}/rotate-secret [post]
func (s *Server) handleWebhookRotate(c echo.Context) error {
	q := newQuery(c)
	q.known("grace_seconds")
	grace := time.Duration(q.intRange("grace_seconds", int(defaultWebhookGrace/time.Second), 0, int(maxWebhookGrace/time.Second))) * time.Second
	if q.err != nil {
		return q.err
	}
	w, err := s.ownWebhook(c)
	if err != nil {
		return err
	}
	w, secret, err := s.svc.RotateWebhookSecret(c.Request().Context(), w.ID, grace)
	if err != nil {
		return err
	}
	countWrite("webhook", "rotate")
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, WebhookCreated{Webhook: webhookOut(w), Secret: secret})
}

// handleWebhookReplay delivers the change log again from a change on.
//
//	@ID				replayWebhook
//	@Summary		Webhook ab einer Änderung neu zustellen / replay from a change
//	@Description	Stellt jede gewünschte Änderung ab `from` (einschließlich) erneut zu, in Reihenfolge, mit denselben `webhook-id`s; eine deaktivierte Subscription wird dabei wieder eingeschaltet. Delivers every wanted change from `from` on again, in order and with the same webhook-ids; a disabled subscription is switched on again.
//	@Tags			webhooks
//	@Produce		json
//	@Param			id		path		string	true	"subscription id"	format(uuid)	example(3d5e7f90-1a2b-4c3d-8e4f-5a6b7c8d9e0f)
//	@Param			from	query		int		true	"the first change id to deliver again"	minimum(1)	example(1)
//	@Success		200		{object}	Webhook
//	@Failure		400		{object}	Problem
//	@Failure		401		{object}	Problem
//	@Failure		403		{object}	Problem
//	@Failure		404		{object}	Problem
//	@Failure		429		{object}	Problem
//	@Failure		500		{object}	Problem
//	@Failure		503		{object}	Problem
//	@Security		BearerAuth
//	@Router			/api/v1/webhooks/{id}/replay [post]
func (s *Server) handleWebhookReplay(c echo.Context) error {
	q := newQuery(c)
	q.known("from")
	from, ok := changeID(q.v.Get("from"))
	if !ok || from < 1 {
		q.fail("from: erwartet eine Änderungs-id (ganze Zahl ab 1) / expected a change id (an integer from 1)")
	}
	if q.err != nil {
		return q.err
	}
	w, err := s.ownWebhook(c)
	if err != nil {
		return err
	}
	w, err = s.svc.ReplayWebhook(c.Request().Context(), w.ID, from)
	if err != nil {
		return err
	}
	countWrite("webhook", "replay")
	return c.JSON(http.StatusOK, webhookOut(w))
}

// Page size of the delivery log.
const (
	defaultDeliveryLimit = 50
	maxDeliveryLimit     = 500
)

// handleWebhookDeliveries reads a subscription's delivery log.
//
//	@ID				listWebhookDeliveries
//	@Summary		Zustellprotokoll / delivery log
//	@Description	Jeder Zustellversuch der letzten 30 Tage, neueste zuerst: Zeit, Statuscode, Dauer, Fehler, Anfang der Antwort. Every attempt of the last 30 days, newest first.
//	@Tags			webhooks
//	@Produce		json
//	@Param			id		path		string	true	"subscription id"	format(uuid)	example(3d5e7f90-1a2b-4c3d-8e4f-5a6b7c8d9e0f)
//	@Param			before	query		int		false	"a next_cursor: older attempts"	minimum(1)
//	@Param			limit	query		int		false	"page size"	minimum(1)	maximum(500)	default(50)
//	@Success		200		{object}	WebhookDeliveryList
//	@Failure		400		{object}	Problem
//	@Failure		401		{object}	Problem
//	@Failure		403		{object}	Problem
//	@Failure		404		{object}	Problem
//	@Failure		429		{object}	Problem
//	@Failure		500		{object}	Problem
//	@Failure		503		{object}	Problem
//	@Security		BearerAuth
//	@Router			/api/v1/webhooks/{id}/deliveries [get]
func (s *Server) handleWebhookDeliveries(c echo.Context) error {
	q := newQuery(c)
	q.known("before", "limit")
	limit := q.intRange("limit", defaultDeliveryLimit, 1, maxDeliveryLimit)
	var before int64
	if raw := q.v.Get("before"); raw != "" {
		n, ok := changeID(raw)
		if !ok || n < 1 {
			q.fail("before: erwartet einen next_cursor / expected a next_cursor")
		}
		before = n
	}
	if q.err != nil {
		return q.err
	}
	w, err := s.ownWebhook(c)
	if err != nil {
		return err
	}
	list, err := s.svc.ListWebhookDeliveries(c.Request().Context(), w.ID, before, limit)
	if err != nil {
		return err
	}
	out := WebhookDeliveryList{Items: make([]WebhookDelivery, len(list))}
	for i, d := range list {
		out.Items[i] = deliveryOut(d)
	}
	if len(list) == limit {
		next := strconv.FormatInt(list[len(list)-1].ID, 10)
		out.NextCursor = &next
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, out)
}

// handleWebhookPing sends a test event.
//
//	@ID				pingWebhook
//	@Summary		Webhook testen / send a test event
//	@Description	Sendet sofort ein signiertes Ereignis `webhook.ping` (`data: {webhook_id}`) und antwortet mit dem Versuch (auch wenn der Empfänger ihn ablehnt). Sends a signed webhook.ping event now and answers with the attempt (also when the receiver refused it).
//	@Tags			webhooks
//	@Produce		json
//	@Param			id	path		string	true	"subscription id"	format(uuid)	example(3d5e7f90-1a2b-4c3d-8e4f-5a6b7c8d9e0f)
//	@Success		200	{object}	WebhookDelivery
//	@Failure		400	{object}	Problem
//	@Failure		401	{object}	Problem
//	@Failure		403	{object}	Problem
//	@Failure		404	{object}	Problem
//	@Failure		429	{object}	Problem
//	@Failure		500	{object}	Problem
//	@Failure		503	{object}	Problem
//	@Security		BearerAuth
//	@Router			/api/v1/webhooks/{id}/ping [post]
func (s *Server) handleWebhookPing(c echo.Context) error {
	w, err := s.ownWebhook(c)
	if err != nil {
		return err
	}
	if s.opt.Webhooks == nil {
		return coop.Errorf(coop.EUnavailable, "Webhook-Zustellung ist aus / webhook delivery is off")
	}
	d, err := s.opt.Webhooks.Ping(c.Request().Context(), w)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, deliveryOut(d))
}

// handleWebhookRedeliver sends one change again.
//
//	@ID				redeliverWebhook
//	@Summary		Eine Änderung erneut zustellen / redeliver one event
//	@Description	Sendet die Änderung `change` sofort noch einmal, mit derselben `webhook-id` wie zuvor, außerhalb der Reihenfolge (die geordnete Zustellung läuft weiter wie bisher), und antwortet mit dem Versuch. 404, wenn die Änderung nicht (mehr) im Protokoll ist oder dieser Webhook sie nicht bekommt. Sends the change again now with the same webhook-id, outside the order, and answers with the attempt; 404 when the change is not in the log or not one this subscription gets.
//	@Tags			webhooks
//	@Produce		json
//	@Param			id			path		string	true	"subscription id"	format(uuid)	example(3d5e7f90-1a2b-4c3d-8e4f-5a6b7c8d9e0f)
//	@Param			change		query		int		true	"the id of the change to deliver again"	minimum(1)	example(1)
//	@Success		200			{object}	WebhookDelivery
//	@Failure		400			{object}	Problem
//	@Failure		401			{object}	Problem
//	@Failure		403			{object}	Problem
//	@Failure		404			{object}	Problem
//	@Failure		429			{object}	Problem
//	@Failure		500			{object}	Problem
//	@Failure		503			{object}	Problem
//	@Security		BearerAuth
//	@Router			/api/v1/webhooks/{id}/redeliver [post]
func (s *Server) handleWebhookRedeliver(c echo.Context) error {
	q := newQuery(c)
	q.known("change")
	id, ok := changeID(q.v.Get("change"))
	if !ok || id < 1 {
		q.fail("change: erwartet eine Änderungs-id (ganze Zahl ab 1) / expected a change id (an integer from 1)")
	}
	if q.err != nil {
		return q.err
	}
	w, err := s.ownWebhook(c)
	if err != nil {
		return err
	}
	if s.opt.Webhooks == nil {
		return coop.Errorf(coop.EUnavailable, "Webhook-Zustellung ist aus / webhook delivery is off")
	}
	d, err := s.opt.Webhooks.Redeliver(c.Request().Context(), w, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, deliveryOut(d))
}
