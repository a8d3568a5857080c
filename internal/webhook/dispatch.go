package webhook

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// Store is what the dispatcher needs of the database: the subscriptions and the
// feed's reader (FindChanges), the same the change feed and stream read through.
type Store interface {
	coop.WebhookService
	FindChanges(ctx context.Context, f coop.ChangeFilter) ([]coop.Change, error)
}

// View is a change as a role sees it and whether it is shown at all: the feed's one
// visibility rule (httpapi.ChangeView).
type View func(ch coop.Change, finance bool) (any, bool)

// DefaultSchedule is Svix's retry schedule (the authors of Standard Webhooks).
var DefaultSchedule = []time.Duration{5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour,
	5 * time.Hour, 10 * time.Hour, 10 * time.Hour}

// DeliveryLogRetention is how long the delivery log keeps an attempt.
const DeliveryLogRetention = 30 * 24 * time.Hour

// Options configure the dispatcher.
type Options struct {
	Owner       string          // this instance's name in the leases; default random
	Schedule    []time.Duration // waits before each retry; default DefaultSchedule
	Timeout     time.Duration   // per attempt; default 10 s
	Concurrency int             // deliveries in flight at once; default 16
	Lease       time.Duration   // how long a claim holds without renewal; default 10 s
	Poll        time.Duration   // how often new changes and subscriptions are looked for; default 250 ms
	Safety      Safety
	View        View
	Logger      *slog.Logger
}

// Dispatcher delivers the change log to the subscriptions whose lease it holds.
type Dispatcher struct {
	st     Store
	o      Options
	client *http.Client
	sem    chan struct{}
	log    *slog.Logger

	mu       sync.Mutex
	running  map[string]*worker
	wake     chan struct{}
	lastWarn time.Time // of a failed claim: logged once a minute at most
}

// New returns a dispatcher; Run starts it.
func New(st Store, o Options) *Dispatcher {
	if o.Owner == "" {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		o.Owner = "ikz-" + hex.EncodeToString(b)
	}
	if len(o.Schedule) == 0 {
		o.Schedule = DefaultSchedule
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 16
	}
	if o.Lease <= 0 {
		o.Lease = 10 * time.Second
	}
	if o.Lease < 2*o.Timeout {
		o.Lease = 2 * o.Timeout // a delivery must end well within the lease it began in
	}
	if o.Poll <= 0 {
		o.Poll = 250 * time.Millisecond
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return &Dispatcher{st: st, o: o, client: o.Safety.NewClient(o.Timeout), sem: make(chan struct{}, o.Concurrency),
		log: o.Logger, running: map[string]*worker{}, wake: make(chan struct{}, 1)}
}

// Owner is this instance's name in the leases.
func (d *Dispatcher) Owner() string { return d.o.Owner }

// Wake makes the dispatcher look for new changes now (after a write of this
// instance) instead of at the next poll.
func (d *Dispatcher) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// worker delivers one subscription while this instance holds its lease.
type worker struct {
	id         string
	leaseUntil time.Time // as far as this instance knows; guarded by Dispatcher.mu
	wake       chan struct{}
}

// Run claims subscriptions and delivers them until ctx ends; then it gives its
// leases back, so that another instance takes over at once.
func (d *Dispatcher) Run(ctx context.Context) {
	var wg sync.WaitGroup
	defer wg.Wait()
	t := time.NewTicker(d.o.Poll)
	defer t.Stop()
	var pruned time.Time
	for {
		d.claim(ctx, &wg)
		if time.Since(pruned) > time.Hour {
			// every instance may prune: the delete is idempotent
			pruned = time.Now()
			if _, err := d.st.PruneWebhookDeliveries(ctx, pruned.Add(-DeliveryLogRetention)); err != nil && ctx.Err() == nil {
				d.log.Warn("webhooks: pruning the delivery log", "err", err.Error())
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-d.wake:
			d.mu.Lock()
			for _, w := range d.running {
				select {
				case w.wake <- struct{}{}:
				default:
				}
			}
			d.mu.Unlock()
		}
	}
}

// claim takes or renews leases and starts a worker for each new one.
func (d *Dispatcher) claim(ctx context.Context, wg *sync.WaitGroup) {
	until := time.Now().Add(d.o.Lease)
	list, err := d.st.ClaimWebhooks(ctx, d.o.Owner, until, 1000)
	if err != nil {
		if ctx.Err() == nil && time.Since(d.lastWarn) > time.Minute {
			d.lastWarn = time.Now()
			d.log.Warn("webhooks: claiming subscriptions", "err", err.Error())
		}
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, w := range list {
		if wk, ok := d.running[w.ID]; ok {
			wk.leaseUntil = until
			continue
		}
		wk := &worker{id: w.ID, leaseUntil: until, wake: make(chan struct{}, 1)}
		d.running[w.ID] = wk
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.work(ctx, wk)
		}()
	}
}

// leaseLeft is how long this instance may still act for the subscription.
func (d *Dispatcher) leaseLeft(wk *worker) time.Duration {
	d.mu.Lock()
	defer d.mu.Unlock()
	return time.Until(wk.leaseUntil)
}

// work delivers one subscription until its lease is lost, it is switched off or
// deleted, or ctx ends.
func (d *Dispatcher) work(ctx context.Context, wk *worker) {
	defer func() {
		d.mu.Lock()
		delete(d.running, wk.id)
		d.mu.Unlock()
		pending.DeleteLabelValues(wk.id)
		oldest.DeleteLabelValues(wk.id)
		// a fresh context: at shutdown the lease goes back too
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		_ = d.st.ReleaseWebhookLease(rctx, wk.id, d.o.Owner)
	}()
	for ctx.Err() == nil {
		wait, ok := d.step(ctx, wk)
		if !ok {
			return
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-t.C:
		case <-wk.wake:
		}
		t.Stop()
	}
}

// step delivers what is due and says how long to wait before the next step; false
// when this instance no longer delivers the subscription.
func (d *Dispatcher) step(ctx context.Context, wk *worker) (time.Duration, bool) {
	if d.leaseLeft(wk) <= 0 {
		return 0, false
	}
	w, err := d.st.GetWebhook(ctx, wk.id)
	if err != nil {
		return d.o.Poll, coop.ErrorCode(err) != coop.ENotFound && ctx.Err() == nil
	}
	if !w.Active {
		return 0, false
	}
	now := time.Now()
	if w.NextAttemptAt != nil && w.NextAttemptAt.After(now) {
		return min(w.NextAttemptAt.Sub(now), d.o.Poll*4), true
	}
	secrets, err := d.st.WebhookSecrets(ctx, w.ID)
	if err != nil {
		return d.o.Poll, ctx.Err() == nil
	}
	const page = 100
	for ctx.Err() == nil {
		list, err := d.st.FindChanges(ctx, coop.ChangeFilter{After: w.Cursor, Limit: page})
		if err != nil {
			return d.o.Poll, ctx.Err() == nil
		}
		if len(list) > 0 {
			pending.WithLabelValues(w.ID).Set(float64(list[len(list)-1].ID - w.Cursor))
			oldest.WithLabelValues(w.ID).Set(time.Since(list[0].At).Seconds())
		} else {
			pending.WithLabelValues(w.ID).Set(0)
			oldest.WithLabelValues(w.ID).Set(0)
		}
		skipTo := w.Cursor
		for _, ch := range list {
			payload, wanted, err := d.wanted(ctx, w, ch)
			if err != nil {
				return d.o.Poll, ctx.Err() == nil
			}
			if !wanted {
				skipTo = ch.ID
				continue
			}
			if skipTo != w.Cursor {
				if ok, err := d.st.AdvanceWebhook(ctx, w.ID, d.o.Owner, w.Cursor, skipTo); err != nil || !ok {
					return d.o.Poll, err == nil && ok
				}
				w.Cursor = skipTo
			}
			if d.leaseLeft(wk) < d.o.Timeout+time.Second {
				return d.o.Poll, true // the renewal comes with the next claim
			}
			del := d.send(ctx, w, secrets, ch, payload, w.Attempt+1, "delivery")
			o := coop.WebhookOutcome{Delivery: del, From: w.Cursor, Cursor: w.Cursor, Status: coop.WebhookActive}
			delivered := del.Error == "" && del.StatusCode != nil && *del.StatusCode/100 == 2
			switch {
			case delivered:
				o.Cursor = ch.ID
			case w.Attempt+1 > len(d.o.Schedule):
				o.Attempt, o.Status = w.Attempt+1, coop.WebhookDisabled
				o.Reason = fmt.Sprintf("nach %d Versuchen an Änderung %d aufgegeben / gave up after %d attempts at change %d: %s",
					o.Attempt, ch.ID, o.Attempt, ch.ID, failure(del))
			default:
				o.Attempt, o.Status = w.Attempt+1, coop.WebhookFailing
				next := time.Now().Add(jitter(d.o.Schedule[w.Attempt]))
				o.NextAttemptAt = &next
			}
			ok, err := d.st.RecordWebhookOutcome(ctx, w.ID, d.o.Owner, o)
			if err != nil || !ok {
				return d.o.Poll, err == nil && ok
			}
			if !delivered {
				return d.o.Poll, o.Status != coop.WebhookDisabled
			}
			w.Cursor, w.Attempt = ch.ID, 0
			skipTo = ch.ID
		}
		if skipTo != w.Cursor {
			if ok, err := d.st.AdvanceWebhook(ctx, w.ID, d.o.Owner, w.Cursor, skipTo); err != nil || !ok {
				return d.o.Poll, err == nil && ok
			}
			w.Cursor = skipTo
		}
		if len(list) < page {
			return d.o.Poll, true
		}
	}
	return 0, false
}

// wanted returns the payload of a change for the subscription, and whether it is
// delivered at all: its event type, the partner and cooperation filters, an editor's
// partners, and the role's view (a change of nothing but finance is not shown to a
// reader).
func (d *Dispatcher) wanted(ctx context.Context, w coop.Webhook, ch coop.Change) ([]byte, bool, error) {
	typ := coop.WebhookEventType(ch)
	if !coop.WebhookWants(w.Events, typ) {
		return nil, false, nil
	}
	if w.Partner != nil || w.Cooperation != nil || len(w.ScopePartners) > 0 {
		partners, cooperation, err := d.st.WebhookResourceScope(ctx, ch.ResourceType, ch.ResourceID)
		if err != nil {
			return nil, false, err
		}
		if w.Partner != nil && !slices.Contains(partners, w.Partner.ID) {
			return nil, false, nil
		}
		if w.Cooperation != nil && cooperation != w.Cooperation.ID {
			return nil, false, nil
		}
		if len(w.ScopePartners) > 0 && !slices.ContainsFunc(partners, func(p string) bool { return slices.Contains(w.ScopePartners, p) }) {
			return nil, false, nil
		}
	}
	data, shown := d.o.View(ch, w.Role == "controlling")
	if !shown {
		return nil, false, nil
	}
	body, err := json.Marshal(Payload{Type: typ, Timestamp: ch.At.UTC(), Data: data})
	return body, err == nil, err
}

// Payload is the body of a delivery.
type Payload struct {
	Type      string    `json:"type"`
	Timestamp time.Time `json:"timestamp"`
	Data      any       `json:"data"`
}

// MessageID is the webhook-id of a change's deliveries: the same for every attempt
// and every redelivery, so that a receiver can drop duplicates.
func MessageID(changeID int64) string { return "chg_" + strconv.FormatInt(changeID, 10) }

// Bounds of what is kept of an answer.
const (
	excerptBytes = 512
	drainBytes   = 64 << 10
)

// send makes one attempt and returns it as the log records it.
func (d *Dispatcher) send(ctx context.Context, w coop.Webhook, secrets coop.WebhookSecrets, ch coop.Change, body []byte, attempt int, trigger string) coop.WebhookDelivery {
	msgID := MessageID(ch.ID)
	typ := coop.WebhookEventType(ch)
	if ch.ID == 0 {
		b := make([]byte, 12)
		_, _ = rand.Read(b)
		msgID, typ = "ping_"+hex.EncodeToString(b), "webhook.ping"
	}
	del := coop.WebhookDelivery{WebhookID: w.ID, ChangeID: ch.ID, MessageID: msgID, EventType: typ, Attempt: attempt,
		Trigger: trigger, At: time.Now().UTC()}
	select {
	case d.sem <- struct{}{}:
		defer func() { <-d.sem }()
	case <-ctx.Done():
		del.Error = "abgebrochen / cancelled"
		return del
	}
	start := time.Now()
	defer func() {
		del.DurationMS = int(time.Since(start) / time.Millisecond)
		result := "delivered"
		if del.Error != "" || del.StatusCode == nil || *del.StatusCode/100 != 2 {
			result = "failed"
		}
		deliveries.WithLabelValues(result).Inc()
		deliveryTime.Observe(time.Since(start).Seconds())
	}()
	sig, err := Signature(secrets, start, msgID, start, body)
	if err != nil {
		del.Error = err.Error()
		return del
	}
	rctx, cancel := context.WithTimeout(ctx, d.o.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		del.Error = "URL: " + err.Error()
		return del
	}
	h := req.Header
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", "IKZ-Verzeichnis-Webhooks/1")
	h.Set("webhook-id", msgID)
	h.Set("webhook-timestamp", strconv.FormatInt(start.Unix(), 10))
	h.Set("webhook-signature", sig)
	res, err := d.client.Do(req)
	if err != nil {
		del.Error = describe(err)
		return del
	}
	defer res.Body.Close()
	code := res.StatusCode
	del.StatusCode = &code
	head, _ := io.ReadAll(io.LimitReader(res.Body, excerptBytes))
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, drainBytes)) // lets the connection be reused
	del.Excerpt = excerpt(head)
	if code/100 != 2 {
		del.Error = "HTTP " + strconv.Itoa(code)
		if code/100 == 3 {
			del.Error += " (Weiterleitungen werden nicht verfolgt / redirects are not followed)"
		}
	}
	return del
}

// describe is a delivery error as the log shows it: the kind of failure, without the
// request's URL (which may carry a token in its query).
func describe(err error) string {
	switch {
	case errors.Is(err, ErrAddressRefused):
		return ErrAddressRefused.Error()
	case errors.Is(err, context.DeadlineExceeded):
		return "Zeitüberschreitung / timeout"
	}
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) && ue.Unwrap() != nil {
		err = ue.Unwrap()
	}
	return clip(err.Error(), 300)
}

// excerpt is the beginning of an answer as valid UTF-8 text without control
// characters (the log shows it).
func excerpt(b []byte) string {
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f {
			return -1
		}
		return r
	}, s)
	return clip(s, 200)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func failure(del coop.WebhookDelivery) string {
	if del.Error != "" {
		return del.Error
	}
	return "HTTP " + strconv.Itoa(*del.StatusCode)
}

// jitter spreads a wait by ±10 %, so that the retries of many subscriptions after an
// outage do not arrive at once.
func jitter(d time.Duration) time.Duration {
	span := int64(d) / 5
	if span <= 0 {
		return d
	}
	n, err := rand.Int(rand.Reader, big.NewInt(span))
	if err != nil {
		return d
	}
	return d - time.Duration(span/2) + time.Duration(n.Int64())
}

// Ping sends a webhook.ping event now (not in the order of the log) and records it.
func (d *Dispatcher) Ping(ctx context.Context, w coop.Webhook) (coop.WebhookDelivery, error) {
	body, err := json.Marshal(Payload{Type: "webhook.ping", Timestamp: time.Now().UTC().Truncate(time.Second),
		Data: map[string]string{"webhook_id": w.ID}})
	if err != nil {
		return coop.WebhookDelivery{}, err
	}
	return d.once(ctx, w, coop.Change{}, body, "ping")
}

// Redeliver sends one change again now, with its webhook-id, outside the order (the
// ordered delivery goes on as it was) and records it. Errors: ENotFound when the
// change is not in the log or not one the subscription gets.
func (d *Dispatcher) Redeliver(ctx context.Context, w coop.Webhook, changeID int64) (coop.WebhookDelivery, error) {
	list, err := d.st.FindChanges(ctx, coop.ChangeFilter{After: changeID - 1, Limit: 1})
	if err != nil {
		return coop.WebhookDelivery{}, err
	}
	if len(list) == 0 || list[0].ID != changeID {
		return coop.WebhookDelivery{}, coop.Errorf(coop.ENotFound, "Änderung %d nicht im Protokoll / change %[1]d not in the log", changeID)
	}
	body, wanted, err := d.wanted(ctx, w, list[0])
	if err != nil {
		return coop.WebhookDelivery{}, err
	}
	if !wanted {
		return coop.WebhookDelivery{}, coop.Errorf(coop.ENotFound, "Änderung %d ist keine dieses Webhooks (Ereignistyp, Filter oder Sicht) / change %[1]d is not one of this webhook (event type, filter or view)", changeID)
	}
	return d.once(ctx, w, list[0], body, "redeliver")
}

func (d *Dispatcher) once(ctx context.Context, w coop.Webhook, ch coop.Change, body []byte, trigger string) (coop.WebhookDelivery, error) {
	secrets, err := d.st.WebhookSecrets(ctx, w.ID)
	if err != nil {
		return coop.WebhookDelivery{}, err
	}
	del := d.send(ctx, w, secrets, ch, body, 1, trigger)
	if err := d.st.RecordWebhookDelivery(context.WithoutCancel(ctx), del); err != nil {
		return coop.WebhookDelivery{}, err
	}
	return del, nil
}
