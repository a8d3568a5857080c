package coop

import (
	"context"
	"strings"
	"time"
)

// Webhook statuses: active delivers; failing retries an event on the schedule;
// disabled gave up after the schedule (or was switched off: active false).
const (
	WebhookActive   = "active"
	WebhookFailing  = "failing"
	WebhookDisabled = "disabled"
)

// Webhook is a subscription to the change log, delivered to a URL.
type Webhook struct {
	ID          string
	URL         string
	Description string
	Events      []string // event types (WebhookEventTypes) or "kind.*"; empty = all
	Partner     *Ref     // only changes of resources this partner takes part in
	Cooperation *Ref     // only changes of this cooperation and its projects
	// ScopePartners bind the subscription of an editor bound to partners to the
	// resources those partners take part in (ids).
	ScopePartners  []string
	Role           string // whose view the payloads have: reader or controlling
	Active         bool
	Status         string
	DisabledReason string
	OwnerID        string // the actor that created it
	OwnerName      string
	Cursor         int64 // the last change delivered or passed over
	Attempt        int   // failed attempts at the change after Cursor
	NextAttemptAt  *time.Time
	// PreviousSecretUntil: after a rotation the old secret signs too until then.
	PreviousSecretUntil *time.Time
	Version             int
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// WebhookDraft asks for a new subscription (or, with nil fields left alone, a change
// of one).
type WebhookDraft struct {
	URL         *string
	Description *string
	Events      *[]string
	Partner     *string // id or slug; "" clears
	Cooperation *string
	Role        *string
	Active      *bool
}

// WebhookDelivery is one attempt to deliver a change (or a ping).
type WebhookDelivery struct {
	ID         int64
	WebhookID  string
	ChangeID   int64
	MessageID  string // the webhook-id header: the same for every attempt at a change
	EventType  string
	Attempt    int
	Trigger    string // delivery, redeliver, ping
	At         time.Time
	StatusCode *int
	DurationMS int
	Error      string
	Excerpt    string
}

// WebhookSecrets are what signs a subscription's deliveries.
type WebhookSecrets struct {
	Current       string
	Previous      string // signs as well until PreviousUntil
	PreviousUntil *time.Time
}

// WebhookOutcome is the result of one delivery attempt as the dispatcher records it:
// the attempt, and the subscription's delivery state after it.
type WebhookOutcome struct {
	Delivery      WebhookDelivery
	From          int64 // the cursor when the attempt began
	Cursor        int64 // the new cursor (unchanged when the attempt failed)
	Attempt       int
	NextAttemptAt *time.Time
	Status        string
	Reason        string // the disabled reason
}

// WebhookService keeps subscriptions, their delivery state and log. The claims are
// fenced by the lease: an instance whose lease went to another changes nothing.
type WebhookService interface {
	CreateWebhook(ctx context.Context, d WebhookDraft, owner Actor, scope []string) (w Webhook, secret string, err error)
	ListWebhooks(ctx context.Context, ownerID string) ([]Webhook, error)
	GetWebhook(ctx context.Context, id string) (Webhook, error)
	UpdateWebhook(ctx context.Context, id string, d WebhookDraft) (Webhook, error)
	DeleteWebhook(ctx context.Context, id string) error
	RotateWebhookSecret(ctx context.Context, id string, grace time.Duration) (w Webhook, secret string, err error)
	ReplayWebhook(ctx context.Context, id string, from int64) (Webhook, error)
	ListWebhookDeliveries(ctx context.Context, id string, before int64, limit int) ([]WebhookDelivery, error)
	WebhookSecrets(ctx context.Context, id string) (WebhookSecrets, error)
	RecordWebhookDelivery(ctx context.Context, d WebhookDelivery) error
	PruneWebhookDeliveries(ctx context.Context, olderThan time.Time) (int64, error)

	// ClaimWebhooks takes (or renews) the lease until `until` on up to max active
	// subscriptions whose lease is free, expired or owner's own, and returns them.
	ClaimWebhooks(ctx context.Context, owner string, until time.Time, max int) ([]Webhook, error)
	// RenewWebhookLease extends owner's lease; false when it is no longer owner's.
	RenewWebhookLease(ctx context.Context, id, owner string, until time.Time) (bool, error)
	ReleaseWebhookLease(ctx context.Context, id, owner string) error
	// AdvanceWebhook moves the cursor past changes the subscription does not want.
	AdvanceWebhook(ctx context.Context, id, owner string, from, to int64) (bool, error)
	// RecordWebhookOutcome logs an attempt and sets the delivery state after it.
	RecordWebhookOutcome(ctx context.Context, id, owner string, o WebhookOutcome) (bool, error)
	// WebhookResourceScope is whom a change's resource concerns now: the partners
	// taking part in it and its cooperation (for the partner and cooperation filters).
	WebhookResourceScope(ctx context.Context, resourceType, resourceID string) (partners []string, cooperation string, err error)
}

// Webhook event types: a change's resource type and what happened to it.
var webhookActions = map[string]string{
	ActionCreate: "created", ActionUpdate: "updated", ActionDelete: "deleted",
	ActionRestore: "restored", ActionTransition: "status_changed",
}

// WebhookEventType is the event type of a change, e.g. project.status_changed.
func WebhookEventType(ch Change) string {
	return ch.ResourceType + "." + webhookActions[ch.Action]
}

// WebhookEventTypes are every event type a subscription may name (besides
// "kind.*" and "*").
func WebhookEventTypes() []string {
	var out []string
	for _, t := range []string{TypePartner, TypeCooperation, TypeProject, TypeSolution} {
		for _, a := range []string{"created", "updated", "deleted", "restored", "status_changed"} {
			if a == "status_changed" && (t == TypePartner || t == TypeSolution) {
				continue // only cooperations and projects have a status
			}
			out = append(out, t+"."+a)
		}
	}
	return out
}

// ValidWebhookEvent reports whether name is an event type, "kind.*" or "*".
func ValidWebhookEvent(name string) bool {
	if name == "*" {
		return true
	}
	if kind, ok := strings.CutSuffix(name, ".*"); ok {
		switch kind {
		case TypePartner, TypeCooperation, TypeProject, TypeSolution:
			return true
		}
		return false
	}
	for _, t := range WebhookEventTypes() {
		if t == name {
			return true
		}
	}
	return false
}

// WebhookWants reports whether a subscription with these events wants the event
// type (no events: all).
func WebhookWants(events []string, eventType string) bool {
	if len(events) == 0 {
		return true
	}
	kind, _, _ := strings.Cut(eventType, ".")
	for _, e := range events {
		if e == "*" || e == eventType || e == kind+".*" {
			return true
		}
	}
	return false
}
