package store

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/sqldb"
)

// WebhookService keeps webhook subscriptions, their delivery state and log
// (migration 00020). Its writes do not touch the directory, so they take no part in
// the directory's write sequence (base.tx) and write no change-log entries.
type WebhookService struct{ *base }

// Limits of a subscription's fields.
const (
	maxWebhookURL         = 2000
	maxWebhookDescription = 500
	maxWebhookEvents      = 50
	// maxWebhooks bounds the subscriptions (each is a worker, a lease and a metric
	// label on the instance that delivers it).
	maxWebhooks = 1000
)

type webhookRow struct {
	ID                  string `gorm:"primaryKey"`
	URL                 string
	Description         string
	Events              string
	PartnerID           *string
	CooperationID       *string
	ScopePartners       string
	Role                string
	Active              bool
	Status              string
	DisabledReason      string
	Secret              string
	PreviousSecret      string
	PreviousSecretUntil *time.Time
	OwnerID             string
	OwnerName           string
	Cursor              int64
	Attempt             int
	NextAttemptAt       *time.Time
	LeaseOwner          string
	LeaseUntil          *time.Time
	Version             int
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

func (webhookRow) TableName() string { return "webhooks" }

type webhookDeliveryRow struct {
	ID         int64 `gorm:"primaryKey;autoIncrement"`
	WebhookID  string
	ChangeID   int64
	MessageID  string
	EventType  string
	Attempt    int
	Trigger    string
	At         time.Time
	StatusCode *int
	DurationMS int `gorm:"column:duration_ms"`
	Error      string
	Excerpt    string
}

func (webhookDeliveryRow) TableName() string { return "webhook_deliveries" }

// newWebhookSecret is a Standard Webhooks secret: whsec_ and 32 random bytes in
// base64.
func newWebhookSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "whsec_" + base64.StdEncoding.EncodeToString(b), nil
}

func webhookNotFound(id string) error {
	return coop.Errorf(coop.ENotFound, "Webhook %q nicht gefunden / not found", id)
}

// CreateWebhook validates d and stores a new subscription that starts at the current
// end of the change log; the secret is returned once, here. The URL's safety and the
// caller's rights are the HTTP layer's. Errors: EValidation.
func (s *WebhookService) CreateWebhook(ctx context.Context, d coop.WebhookDraft, owner coop.Actor, scope []string) (coop.Webhook, string, error) {
	if d.URL == nil {
		d.URL = new(string)
	}
	if d.Role == nil {
		role := "reader"
		d.Role = &role
	}
	if d.Active == nil {
		active := true
		d.Active = &active
	}
	secret, err := newWebhookSecret()
	if err != nil {
		return coop.Webhook{}, "", err
	}
	// from the feed's current position: a new subscription gets what happens from now
	// on (replay?from= for the past)
	latest, err := (&ChangeService{s.base}).LatestChangeID(ctx)
	if err != nil {
		return coop.Webhook{}, "", err
	}
	now := s.now()
	row := webhookRow{ID: newID(), Events: "[]", Cursor: latest, ScopePartners: jsonText(scope), Status: coop.WebhookActive,
		Secret: secret, OwnerID: owner.ID, OwnerName: owner.Name, Version: 1, CreatedAt: now, UpdatedAt: now}
	err = s.core.Tx(ctx, func(tx *gorm.DB) error {
		if err := applyWebhookDraft(tx, &row, d); err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&webhookRow{}).Count(&n).Error; err != nil {
			return err
		}
		if n >= maxWebhooks {
			return coop.Errorf(coop.EConflict, "Höchstens %d Webhooks / at most %d webhook subscriptions", maxWebhooks, maxWebhooks)
		}
		return tx.Create(&row).Error
	})
	if err != nil {
		return coop.Webhook{}, "", err
	}
	w, err := s.GetWebhook(ctx, row.ID)
	return w, secret, err
}

// applyWebhookDraft validates the fields d sets and writes them into row.
func applyWebhookDraft(tx *gorm.DB, row *webhookRow, d coop.WebhookDraft) error {
	var v coop.Violations
	if d.URL != nil {
		u := strings.TrimSpace(*d.URL)
		switch {
		case u == "":
			v.Add("url", "required", "Pflichtfeld: die https-Adresse des Empfängers")
		case len(u) > maxWebhookURL:
			v.Add("url", "max_length", "Höchstens %d Zeichen", maxWebhookURL)
		}
		row.URL = u
	}
	if d.Description != nil {
		switch {
		case utf8.RuneCountInString(*d.Description) > maxWebhookDescription:
			v.Add("description", "max_length", "Höchstens %d Zeichen", maxWebhookDescription)
		case coop.TextProblem(*d.Description, false) != "":
			p := coop.TextProblem(*d.Description, false)
			v.Add("description", p, "%s", coop.TextMessage(p))
		}
		row.Description = *d.Description
	}
	if d.Events != nil {
		events := *d.Events
		if len(events) > maxWebhookEvents {
			v.Add("events", "max_items", "Höchstens %d Ereignistypen", maxWebhookEvents)
		}
		seen := map[string]bool{}
		var list []string
		for i, e := range events {
			if !coop.ValidWebhookEvent(e) {
				v.Add("events["+strconv.Itoa(i)+"]", "enum", "Unbekannter Ereignistyp; erlaubt: *, partner.*, cooperation.*, project.*, solution.* und %s", strings.Join(coop.WebhookEventTypes(), ", "))
				continue
			}
			if !seen[e] {
				seen[e] = true
				list = append(list, e)
			}
		}
		row.Events = jsonText(list)
	}
	if d.Role != nil {
		switch *d.Role {
		case "reader", "controlling":
			row.Role = *d.Role
		default:
			v.Add("role", "enum", "Eine von reader, controlling")
		}
	}
	if d.Active != nil {
		row.Active = *d.Active
		switch {
		case !row.Active:
			row.Status = coop.WebhookDisabled
		case row.Status == coop.WebhookDisabled:
			// switched on again: from where it stopped, with a fresh schedule
			row.Status, row.DisabledReason, row.Attempt, row.NextAttemptAt = coop.WebhookActive, "", 0, nil
		}
	}
	for _, ref := range []struct {
		field, table, label string
		in                  *string
		out                 **string
	}{{"partner", "partners", "Partner", d.Partner, &row.PartnerID}, {"cooperation", "cooperations", "Kooperation", d.Cooperation, &row.CooperationID}} {
		switch {
		case ref.in == nil:
		case *ref.in == "":
			*ref.out = nil
		case coop.TextProblem(*ref.in, true) != "":
			p := coop.TextProblem(*ref.in, true)
			v.Add(ref.field, p, "%s", coop.TextMessage(p))
		default:
			ids := resolveIDs(tx, ref.table, []string{*ref.in}, []string{ref.field}, &v, ref.label)
			if len(ids) == 1 && ids[0] != "" {
				*ref.out = &ids[0]
			}
		}
	}
	return v.Err()
}

// ListWebhooks returns the subscriptions, oldest first: every one for ownerID "", else
// the owner's.
func (s *WebhookService) ListWebhooks(ctx context.Context, ownerID string) ([]coop.Webhook, error) {
	var rows []webhookRow
	err := s.session(coop.WithFreshReads(ctx), func(q *gorm.DB) error {
		if ownerID != "" {
			q = q.Where("owner_id = ?", ownerID)
		}
		return q.Order("created_at, id").Limit(1000).Find(&rows).Error
	})
	if err != nil {
		return nil, err
	}
	return s.webhooksOut(ctx, rows)
}

// GetWebhook returns one subscription. Errors: ENotFound.
func (s *WebhookService) GetWebhook(ctx context.Context, id string) (coop.Webhook, error) {
	row, err := s.webhookRow(ctx, id)
	if err != nil {
		return coop.Webhook{}, err
	}
	out, err := s.webhooksOut(ctx, []webhookRow{row})
	if err != nil {
		return coop.Webhook{}, err
	}
	return out[0], nil
}

func (s *WebhookService) webhookRow(ctx context.Context, id string) (webhookRow, error) {
	if !isUUID(id) {
		return webhookRow{}, webhookNotFound(id)
	}
	var rows []webhookRow
	err := s.session(coop.WithFreshReads(ctx), func(q *gorm.DB) error {
		return q.Where("id = ?", id).Limit(1).Find(&rows).Error
	})
	if err != nil {
		return webhookRow{}, err
	}
	if len(rows) == 0 {
		return webhookRow{}, webhookNotFound(id)
	}
	return rows[0], nil
}

// webhooksOut turns rows into subscriptions with their partner and cooperation refs.
func (s *WebhookService) webhooksOut(ctx context.Context, rows []webhookRow) ([]coop.Webhook, error) {
	refs := map[string]coop.Ref{}
	var partners, coops []string
	for _, r := range rows {
		if r.PartnerID != nil {
			partners = append(partners, *r.PartnerID)
		}
		if r.CooperationID != nil {
			coops = append(coops, *r.CooperationID)
		}
	}
	if len(partners)+len(coops) > 0 {
		err := s.session(ctx, func(q *gorm.DB) error {
			type ref struct{ ID, Slug, Name string }
			var list []ref
			if len(partners) > 0 {
				if err := q.Table("partners").Select("id, slug, name").Where("id IN ?", partners).Scan(&list).Error; err != nil {
					return err
				}
			}
			if len(coops) > 0 {
				var more []ref
				if err := q.Table("cooperations").Select("id, slug, title AS name").Where("id IN ?", coops).Scan(&more).Error; err != nil {
					return err
				}
				list = append(list, more...)
			}
			for _, r := range list {
				refs[r.ID] = coop.Ref{ID: r.ID, Slug: r.Slug, Name: r.Name}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	out := make([]coop.Webhook, len(rows))
	for i, r := range rows {
		w := coop.Webhook{ID: r.ID, URL: r.URL, Description: r.Description, Events: fromJSONText[string](r.Events),
			ScopePartners: fromJSONText[string](r.ScopePartners), Role: r.Role, Active: r.Active, Status: r.Status,
			DisabledReason: r.DisabledReason, OwnerID: r.OwnerID, OwnerName: r.OwnerName, Cursor: r.Cursor,
			Attempt: r.Attempt, NextAttemptAt: utcPtr(r.NextAttemptAt), Version: r.Version,
			CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
		if r.PreviousSecret != "" && r.PreviousSecretUntil != nil && r.PreviousSecretUntil.After(s.now()) {
			w.PreviousSecretUntil = utcPtr(r.PreviousSecretUntil)
		}
		if r.PartnerID != nil {
			ref := refs[*r.PartnerID]
			ref.ID = *r.PartnerID
			w.Partner = &ref
		}
		if r.CooperationID != nil {
			ref := refs[*r.CooperationID]
			ref.ID = *r.CooperationID
			w.Cooperation = &ref
		}
		out[i] = w
	}
	return out, nil
}

// UpdateWebhook changes the fields d sets. Errors: ENotFound, EValidation.
func (s *WebhookService) UpdateWebhook(ctx context.Context, id string, d coop.WebhookDraft) (coop.Webhook, error) {
	if !isUUID(id) {
		return coop.Webhook{}, webhookNotFound(id)
	}
	err := s.core.Tx(ctx, func(tx *gorm.DB) error {
		var row webhookRow
		if err := tx.Where("id = ?", id).Limit(1).Find(&row).Error; err != nil {
			return err
		}
		if row.ID == "" {
			return webhookNotFound(id)
		}
		if err := applyWebhookDraft(tx, &row, d); err != nil {
			return err
		}
		row.Version++
		row.UpdatedAt = s.now()
		return tx.Model(&webhookRow{}).Where("id = ?", id).Select("url", "description", "events", "partner_id",
			"cooperation_id", "role", "active", "status", "disabled_reason", "attempt", "next_attempt_at",
			"version", "updated_at").Updates(&row).Error
	})
	if err != nil {
		return coop.Webhook{}, err
	}
	return s.GetWebhook(ctx, id)
}

// DeleteWebhook removes a subscription and its delivery log. Errors: ENotFound.
func (s *WebhookService) DeleteWebhook(ctx context.Context, id string) error {
	if !isUUID(id) {
		return webhookNotFound(id)
	}
	return s.core.Tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("webhook_id = ?", id).Delete(&webhookDeliveryRow{}).Error; err != nil {
			return err
		}
		res := tx.Where("id = ?", id).Delete(&webhookRow{})
		if res.Error == nil && res.RowsAffected == 0 {
			return webhookNotFound(id)
		}
		return res.Error
	})
}

// RotateWebhookSecret makes a new secret; the old one signs as well for grace.
// Errors: ENotFound.
func (s *WebhookService) RotateWebhookSecret(ctx context.Context, id string, grace time.Duration) (coop.Webhook, string, error) {
	secret, err := newWebhookSecret()
	if err != nil {
		return coop.Webhook{}, "", err
	}
	if !isUUID(id) {
		return coop.Webhook{}, "", webhookNotFound(id)
	}
	now := s.now()
	until := now.Add(grace)
	err = s.core.Tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&webhookRow{}).Where("id = ?", id).Updates(map[string]any{
			"previous_secret": gorm.Expr("secret"), "previous_secret_until": until, "secret": secret,
			"version": gorm.Expr("version + 1"), "updated_at": now})
		if res.Error == nil && res.RowsAffected == 0 {
			return webhookNotFound(id)
		}
		return res.Error
	})
	if err != nil {
		return coop.Webhook{}, "", err
	}
	w, err := s.GetWebhook(ctx, id)
	return w, secret, err
}

// ReplayWebhook delivers again every change from `from` on (in order, as new):
// the cursor goes back to from-1, and a disabled subscription is switched on.
// Errors: ENotFound.
func (s *WebhookService) ReplayWebhook(ctx context.Context, id string, from int64) (coop.Webhook, error) {
	if !isUUID(id) {
		return coop.Webhook{}, webhookNotFound(id)
	}
	err := s.core.Tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&webhookRow{}).Where("id = ?", id).Updates(map[string]any{
			"cursor": max(from-1, 0), "attempt": 0, "next_attempt_at": nil, "active": true,
			"status": coop.WebhookActive, "disabled_reason": "", "version": gorm.Expr("version + 1"), "updated_at": s.now()})
		if res.Error == nil && res.RowsAffected == 0 {
			return webhookNotFound(id)
		}
		return res.Error
	})
	if err != nil {
		return coop.Webhook{}, err
	}
	return s.GetWebhook(ctx, id)
}

// ListWebhookDeliveries returns a subscription's attempts, newest first, before the
// given delivery id (0: from the newest). Errors: ENotFound.
func (s *WebhookService) ListWebhookDeliveries(ctx context.Context, id string, before int64, limit int) ([]coop.WebhookDelivery, error) {
	if _, err := s.webhookRow(ctx, id); err != nil {
		return nil, err
	}
	var rows []webhookDeliveryRow
	err := s.session(coop.WithFreshReads(ctx), func(q *gorm.DB) error {
		q = q.Where("webhook_id = ?", id)
		if before > 0 {
			q = q.Where("id < ?", before)
		}
		return q.Order("id DESC").Limit(limit).Find(&rows).Error
	})
	if err != nil {
		return nil, err
	}
	out := make([]coop.WebhookDelivery, len(rows))
	for i, r := range rows {
		out[i] = coop.WebhookDelivery{ID: r.ID, WebhookID: r.WebhookID, ChangeID: r.ChangeID, MessageID: r.MessageID,
			EventType: r.EventType, Attempt: r.Attempt, Trigger: r.Trigger, At: r.At.UTC(), StatusCode: r.StatusCode,
			DurationMS: r.DurationMS, Error: r.Error, Excerpt: r.Excerpt}
	}
	return out, nil
}

// WebhookSecrets returns what signs a subscription's deliveries now. Errors: ENotFound.
func (s *WebhookService) WebhookSecrets(ctx context.Context, id string) (coop.WebhookSecrets, error) {
	row, err := s.webhookRow(ctx, id)
	if err != nil {
		return coop.WebhookSecrets{}, err
	}
	out := coop.WebhookSecrets{Current: row.Secret}
	if row.PreviousSecret != "" && row.PreviousSecretUntil != nil && row.PreviousSecretUntil.After(s.now()) {
		out.Previous, out.PreviousUntil = row.PreviousSecret, utcPtr(row.PreviousSecretUntil)
	}
	return out, nil
}

// RecordWebhookDelivery logs an attempt outside the ordered delivery (a ping, a
// redelivery).
func (s *WebhookService) RecordWebhookDelivery(ctx context.Context, d coop.WebhookDelivery) error {
	return s.core.Tx(ctx, func(tx *gorm.DB) error { return tx.Create(deliveryRowOf(d)).Error })
}

func deliveryRowOf(d coop.WebhookDelivery) *webhookDeliveryRow {
	return &webhookDeliveryRow{WebhookID: d.WebhookID, ChangeID: d.ChangeID, MessageID: d.MessageID,
		EventType: d.EventType, Attempt: d.Attempt, Trigger: d.Trigger, At: d.At.UTC(), StatusCode: d.StatusCode,
		DurationMS: d.DurationMS, Error: d.Error, Excerpt: d.Excerpt}
}

// ClaimWebhooks takes the lease of up to max active subscriptions that no other
// instance holds (free, expired, or owner's own) until `until`. Each claim is one
// conditional UPDATE, so two instances never both hold one.
func (s *WebhookService) ClaimWebhooks(ctx context.Context, owner string, until time.Time, max int) ([]coop.Webhook, error) {
	now := s.now()
	var ids []string
	err := s.session(coop.WithFreshReads(ctx), func(q *gorm.DB) error {
		return q.Model(&webhookRow{}).Where("active AND (lease_owner = ? OR lease_owner = '' OR lease_until IS NULL OR lease_until < ?)", owner, now).
			Order("id").Limit(max).Pluck("id", &ids).Error
	})
	if err != nil {
		return nil, err
	}
	var claimed []webhookRow
	for _, id := range ids {
		err := s.core.Tx(ctx, func(tx *gorm.DB) error {
			res := tx.Model(&webhookRow{}).
				Where("id = ? AND active AND (lease_owner = ? OR lease_owner = '' OR lease_until IS NULL OR lease_until < ?)", id, owner, now).
				Updates(map[string]any{"lease_owner": owner, "lease_until": until})
			if res.Error != nil || res.RowsAffected == 0 {
				return res.Error
			}
			var row webhookRow
			if err := tx.Where("id = ?", id).Find(&row).Error; err != nil {
				return err
			}
			claimed = append(claimed, row)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return s.webhooksOut(ctx, claimed)
}

// RenewWebhookLease extends owner's lease on an active subscription.
func (s *WebhookService) RenewWebhookLease(ctx context.Context, id, owner string, until time.Time) (bool, error) {
	return s.fenced(ctx, id, owner, true, map[string]any{"lease_until": until})
}

// ReleaseWebhookLease gives the lease up (at shutdown, or when switched off).
func (s *WebhookService) ReleaseWebhookLease(ctx context.Context, id, owner string) error {
	_, err := s.fenced(ctx, id, owner, false, map[string]any{"lease_owner": "", "lease_until": nil})
	return err
}

// AdvanceWebhook moves the cursor from `from` to `to` past changes the subscription
// does not want; a replay meanwhile (the cursor no longer from) wins.
func (s *WebhookService) AdvanceWebhook(ctx context.Context, id, owner string, from, to int64) (bool, error) {
	var ok bool
	err := s.core.Tx(ctx, func(tx *gorm.DB) error {
		if err := s.asyncCommit(tx); err != nil {
			return err
		}
		res := tx.Model(&webhookRow{}).Where("id = ? AND lease_owner = ? AND cursor = ? AND active", id, owner, from).
			Updates(map[string]any{"cursor": to, "attempt": 0, "next_attempt_at": nil})
		ok = res.RowsAffected == 1
		return res.Error
	})
	return ok, err
}

// RecordWebhookOutcome logs an attempt and sets the delivery state after it, only
// while owner holds the lease.
func (s *WebhookService) RecordWebhookOutcome(ctx context.Context, id, owner string, o coop.WebhookOutcome) (bool, error) {
	var ok bool
	err := s.core.Tx(ctx, func(tx *gorm.DB) error {
		if err := s.asyncCommit(tx); err != nil {
			return err
		}
		set := map[string]any{"cursor": o.Cursor, "attempt": o.Attempt, "next_attempt_at": o.NextAttemptAt, "status": o.Status}
		if o.Status == coop.WebhookDisabled {
			set["active"], set["disabled_reason"] = false, o.Reason
		}
		// fenced by the lease and by the cursor the attempt began at (a replay meanwhile wins)
		res := tx.Model(&webhookRow{}).Where("id = ? AND lease_owner = ? AND cursor = ?", id, owner, o.From).Updates(set)
		if res.Error != nil {
			return res.Error
		}
		if ok = res.RowsAffected == 1; !ok {
			return nil
		}
		return tx.Create(deliveryRowOf(o.Delivery)).Error
	})
	return ok, err
}

// fenced updates a subscription only while owner holds its lease (and, when active,
// while it is switched on).
func (s *WebhookService) fenced(ctx context.Context, id, owner string, active bool, set map[string]any) (bool, error) {
	var ok bool
	err := s.core.Tx(ctx, func(tx *gorm.DB) error {
		q := tx.Model(&webhookRow{}).Where("id = ? AND lease_owner = ?", id, owner)
		if active {
			q = q.Where("active")
		}
		res := q.Updates(set)
		ok = res.RowsAffected == 1
		return res.Error
	})
	return ok, err
}

// WebhookResourceScope is whom a change's resource concerns now: the partners that
// take part in it (a partner itself; a cooperation's members; a project's
// participants; a solution's developers) and its cooperation (a cooperation itself,
// a project's).
func (s *WebhookService) WebhookResourceScope(ctx context.Context, resourceType, resourceID string) ([]string, string, error) {
	var partners []string
	var cooperation string
	err := s.session(ctx, func(q *gorm.DB) error {
		switch resourceType {
		case coop.TypePartner:
			partners = []string{resourceID}
		case coop.TypeCooperation:
			cooperation = resourceID
			return q.Table("cooperation_members").Where("cooperation_id = ?", resourceID).Pluck("partner_id", &partners).Error
		case coop.TypeProject:
			var c []string
			if err := q.Table("projects").Where("id = ?", resourceID).Pluck("cooperation_id", &c).Error; err != nil {
				return err
			}
			if len(c) == 1 {
				cooperation = c[0]
			}
			return q.Table("project_participants").Where("project_id = ?", resourceID).Pluck("partner_id", &partners).Error
		case coop.TypeSolution:
			return q.Table("solution_developers").Where("solution_id = ?", resourceID).Pluck("partner_id", &partners).Error
		}
		return nil
	})
	return partners, cooperation, err
}

// asyncCommit lets a transaction of delivery bookkeeping commit without waiting for
// the WAL flush (PostgreSQL): should the database crash right after, the cursor is a
// few deliveries behind and those are sent again, which at-least-once delivery allows
// (receivers drop repeats by webhook-id). It saves a disk flush per delivery.
func (s *WebhookService) asyncCommit(tx *gorm.DB) error {
	if s.core.Dialect() != sqldb.Postgres {
		return nil
	}
	return tx.Exec("SET LOCAL synchronous_commit = off").Error
}

// PruneWebhookDeliveries deletes delivery-log entries older than olderThan and returns
// how many went.
func (s *WebhookService) PruneWebhookDeliveries(ctx context.Context, olderThan time.Time) (int64, error) {
	var n int64
	err := s.core.Tx(ctx, func(tx *gorm.DB) error {
		res := tx.Where("at < ?", olderThan.UTC()).Delete(&webhookDeliveryRow{})
		n = res.RowsAffected
		return res.Error
	})
	return n, err
}
