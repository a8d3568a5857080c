package webhook_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/webhook"
)

// receipt is one request a receiver got.
type receipt struct {
	msgID    string
	changeID int64
	acked    bool // answered 2xx in time
}

// receiver is a real HTTP receiver on loopback that verifies every signature with
// the Standard Webhooks reference library and can fail on purpose.
type receiver struct {
	t       *testing.T
	mu      sync.Mutex
	secrets []string // any of them must verify
	got     []receipt
	seen    map[int64]int // attempts per change
	fail    func(changeID int64, attempt int) string
	badSigs int
}

func newReceiver(t *testing.T, fail func(int64, int) string) *receiver {
	return &receiver{t: t, seen: map[int64]int{}, fail: fail}
}

func (rc *receiver) setSecrets(s ...string) {
	rc.mu.Lock()
	rc.secrets = s
	rc.mu.Unlock()
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	verified := false
	for _, s := range rc.secrets {
		wh, err := standardwebhooks.NewWebhook(s)
		if err == nil && wh.Verify(body, r.Header) == nil {
			verified = true
		}
	}
	if !verified {
		rc.badSigs++
	}
	var p struct {
		Type string
		Data struct{ ID int64 }
	}
	_ = json.Unmarshal(body, &p)
	id := p.Data.ID
	if p.Type != "webhook.ping" && r.Header.Get("webhook-id") != webhook.MessageID(id) {
		rc.t.Errorf("webhook-id %q for change %d", r.Header.Get("webhook-id"), id)
	}
	rc.seen[id]++
	attempt := rc.seen[id]
	action := ""
	if rc.fail != nil {
		action = rc.fail(id, attempt)
	}
	i := len(rc.got)
	rc.got = append(rc.got, receipt{msgID: r.Header.Get("webhook-id"), changeID: id})
	rc.mu.Unlock()
	switch action {
	case "500":
		http.Error(w, "kaputt", http.StatusInternalServerError)
		return
	case "slow":
		time.Sleep(600 * time.Millisecond) // beyond the timeout: the sender gives up
	case "close":
		hj, _ := w.(http.Hijacker)
		conn, _, _ := hj.Hijack()
		conn.Close()
		return
	}
	if action == "" {
		rc.mu.Lock()
		rc.got[i].acked = true
		rc.mu.Unlock()
	}
	w.WriteHeader(http.StatusNoContent)
}

func (rc *receiver) receipts() []receipt {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]receipt(nil), rc.got...)
}

// testDispatcher runs a dispatcher with a fast schedule until the test ends.
func testDispatcher(t testing.TB, db *store.DB, o webhook.Options) *webhook.Dispatcher {
	if o.Schedule == nil {
		o.Schedule = []time.Duration{20 * time.Millisecond, 20 * time.Millisecond, 20 * time.Millisecond, 20 * time.Millisecond}
	}
	if o.Timeout == 0 {
		o.Timeout = 300 * time.Millisecond
	}
	o.Poll = 20 * time.Millisecond
	o.Safety = webhook.Safety{AllowHTTP: true, AllowPrivate: true}
	o.View = httpapi.ChangeView
	o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	d := webhook.New(db, o)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); d.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return d
}

func waitFor(t *testing.T, what string, limit time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", limit, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestDeliveryOrder: 1,000 changes reach a receiver in change order, each at least
// once, every signature verified by the reference library, though the receiver is at
// first not there (connection refused), and then answers some first attempts with
// 500, too late, or by closing the connection.
func TestDeliveryOrder(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := coop.WithActor(context.Background(), coop.System)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close() // refused until the receiver starts
		url := "http://" + addr + "/hook"
		w, secret, err := db.CreateWebhook(ctx, coop.WebhookDraft{URL: &url, Events: &[]string{"partner.created"}}, coop.System, nil)
		if err != nil {
			t.Fatal(err)
		}
		rc := newReceiver(t, func(id int64, attempt int) string {
			if attempt > 1 {
				return ""
			}
			switch {
			case id%97 == 0:
				return "500"
			case id%131 == 0:
				return "slow"
			case id%173 == 0:
				return "close"
			}
			return ""
		})
		rc.setSecrets(secret)
		testDispatcher(t, db, webhook.Options{Schedule: []time.Duration{20 * time.Millisecond, 20 * time.Millisecond,
			20 * time.Millisecond, 20 * time.Millisecond, 20 * time.Millisecond, 20 * time.Millisecond, 20 * time.Millisecond,
			20 * time.Millisecond, 20 * time.Millisecond, 20 * time.Millisecond, 20 * time.Millisecond, 20 * time.Millisecond,
			20 * time.Millisecond, 20 * time.Millisecond, 20 * time.Millisecond, 20 * time.Millisecond}})

		const n = 1000
		var ids []int64
		for i := range n {
			if _, err := db.CreatePartner(ctx, coop.PartnerDraft{Slug: fmt.Sprintf("p-%d", i), Name: fmt.Sprintf("Partner %d", i), Type: "company"}); err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				// the receiver is not there yet: the first attempts are refused
				waitFor(t, "a refused attempt", 10*time.Second, func() bool {
					log, _ := db.ListWebhookDeliveries(ctx, w.ID, 0, 1)
					return len(log) == 1 && log[0].StatusCode == nil && log[0].Error != ""
				})
				srv := httptest.NewUnstartedServer(rc)
				if srv.Listener, err = net.Listen("tcp", addr); err != nil {
					t.Fatal(err)
				}
				srv.Start()
				t.Cleanup(srv.Close)
			}
		}
		changes, err := db.FindChanges(ctx, coop.ChangeFilter{Limit: coop.ChangeMaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range changes {
			ids = append(ids, ch.ID)
		}
		if len(ids) != n {
			t.Fatalf("%d changes, want %d", len(ids), n)
		}
		last := ids[len(ids)-1]
		waitFor(t, "the last change acknowledged", 3*time.Minute, func() bool {
			got := rc.receipts()
			return len(got) > 0 && got[len(got)-1].changeID == last && got[len(got)-1].acked
		})

		got := rc.receipts()
		var acked []int64
		failures := 0
		for i, r := range got {
			if i > 0 && r.changeID < got[i-1].changeID {
				t.Fatalf("change %d arrived after %d", r.changeID, got[i-1].changeID)
			}
			if i > 0 && !got[i-1].acked && r.changeID != got[i-1].changeID {
				t.Fatalf("change %d arrived though %d was not acknowledged", r.changeID, got[i-1].changeID)
			}
			if r.acked {
				acked = append(acked, r.changeID)
			} else {
				failures++
			}
		}
		if fmt.Sprint(acked) != fmt.Sprint(ids) {
			t.Fatalf("acknowledged %d changes, want each of %d once, in order", len(acked), len(ids))
		}
		if failures < 20 {
			t.Errorf("only %d failed attempts reached the receiver", failures)
		}
		if rc.badSigs > 0 {
			t.Errorf("%d signatures did not verify", rc.badSigs)
		}
		// the receiver's 2xx comes before the dispatcher records it: wait for the record
		var hook coop.Webhook
		waitFor(t, "the cursor at the last change", time.Minute, func() bool {
			h, err := db.GetWebhook(ctx, w.ID)
			if err != nil {
				t.Fatal(err)
			}
			hook = h
			return h.Cursor == last
		})
		if hook.Status != coop.WebhookActive || hook.Attempt != 0 {
			t.Errorf("after the burst: %+v", hook)
		}
		log, _ := db.ListWebhookDeliveries(ctx, w.ID, 0, 500)
		var timeouts, status500 int
		for _, d := range log {
			if d.Error == "Zeitüberschreitung / timeout" {
				timeouts++
			}
			if d.StatusCode != nil && *d.StatusCode == 500 {
				status500++
			}
		}
		if timeouts == 0 || status500 == 0 {
			t.Errorf("delivery log: %d timeouts, %d answers 500", timeouts, status500)
		}
		t.Logf("%d requests for %d changes", len(got), n)
	})
}

// TestDisabledAfterSchedule: a receiver that always fails disables its subscription
// with the reason after the schedule, and holds back no other subscription.
func TestDisabledAfterSchedule(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := coop.WithActor(context.Background(), coop.System)
		bad := newReceiver(t, func(int64, int) string { return "500" })
		good := newReceiver(t, nil)
		badSrv, goodSrv := httptest.NewServer(bad), httptest.NewServer(good)
		t.Cleanup(badSrv.Close)
		t.Cleanup(goodSrv.Close)
		var ids []string
		for _, rc := range []struct {
			rc  *receiver
			url string
		}{{bad, badSrv.URL}, {good, goodSrv.URL}} {
			w, secret, err := db.CreateWebhook(ctx, coop.WebhookDraft{URL: &rc.url}, coop.System, nil)
			if err != nil {
				t.Fatal(err)
			}
			rc.rc.setSecrets(secret)
			ids = append(ids, w.ID)
		}
		testDispatcher(t, db, webhook.Options{Schedule: []time.Duration{10 * time.Millisecond, 10 * time.Millisecond, 10 * time.Millisecond}})
		for i := range 5 {
			if _, err := db.CreatePartner(ctx, coop.PartnerDraft{Slug: "q-" + strconv.Itoa(i), Name: "Q " + strconv.Itoa(i), Type: "company"}); err != nil {
				t.Fatal(err)
			}
		}
		waitFor(t, "the good receiver gets all 5", 20*time.Second, func() bool { return len(good.receipts()) == 5 })
		waitFor(t, "the bad subscription disabled", 20*time.Second, func() bool {
			w, _ := db.GetWebhook(ctx, ids[0])
			return w.Status == coop.WebhookDisabled
		})
		w, _ := db.GetWebhook(ctx, ids[0])
		if w.Active || w.DisabledReason == "" || w.Attempt != 4 {
			t.Errorf("disabled: %+v", w)
		}
		if got := bad.receipts(); len(got) != 4 || got[3].changeID != got[0].changeID {
			t.Errorf("the failing receiver got %v, want 4 attempts at the first change", got)
		}
	})
}

// TestRefusedAddresses: without IKZ_WEBHOOK_ALLOW_PRIVATE nothing is sent to
// loopback, private, link-local or metadata addresses, also not by a name that
// resolves to one (checked on the address connected to); redirects are not followed.
func TestRefusedAddresses(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := coop.WithActor(context.Background(), coop.System)
		rc := newReceiver(t, nil)
		srv := httptest.NewServer(rc)
		t.Cleanup(srv.Close)
		port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
		d := webhook.New(db, webhook.Options{Safety: webhook.Safety{AllowHTTP: true}, View: httpapi.ChangeView, Timeout: 2 * time.Second})
		for _, url := range []string{"http://127.0.0.1:" + port + "/", "http://[::1]:" + port + "/", "http://localhost:" + port + "/",
			"http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://[::ffff:127.0.0.1]:" + port + "/", "http://0.0.0.0:" + port + "/"} {
			// stored directly: the API refuses these literally already (TestWebhookSubscriptions)
			w, secret, err := db.CreateWebhook(ctx, coop.WebhookDraft{URL: &url}, coop.System, nil)
			if err != nil {
				t.Fatal(err)
			}
			rc.setSecrets(secret)
			del, err := d.Ping(ctx, w)
			if err != nil {
				t.Fatal(err)
			}
			if del.StatusCode != nil || del.Error != webhook.ErrAddressRefused.Error() {
				t.Errorf("%s: %+v", url, del)
			}
		}
		if got := rc.receipts(); len(got) != 0 {
			t.Errorf("the receiver on loopback got %d requests", len(got))
		}

		// with the setting: delivered; a redirect is not followed
		open := webhook.New(db, webhook.Options{Safety: webhook.Safety{AllowHTTP: true, AllowPrivate: true}, View: httpapi.ChangeView})
		redirect := httptest.NewServer(http.RedirectHandler(srv.URL, http.StatusFound))
		t.Cleanup(redirect.Close)
		for url, want := range map[string]int{srv.URL: 204, redirect.URL: 302} {
			w, secret, err := db.CreateWebhook(ctx, coop.WebhookDraft{URL: &url}, coop.System, nil)
			if err != nil {
				t.Fatal(err)
			}
			rc.setSecrets(secret)
			del, err := open.Ping(ctx, w)
			if err != nil || del.StatusCode == nil || *del.StatusCode != want || (want == 302) != (del.Error != "") {
				t.Errorf("%s: %+v %v", url, del, err)
			}
		}
		if got := rc.receipts(); len(got) != 1 || rc.badSigs != 0 {
			t.Errorf("receiver got %d requests (%d bad signatures), want the one ping", len(got), rc.badSigs)
		}
	})
}

// TestDeliveryLogPruned: the dispatcher deletes attempts older than
// DeliveryLogRetention when it starts (and hourly), and keeps the newer ones.
func TestDeliveryLogPruned(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := coop.WithActor(context.Background(), coop.System)
		url := "https://portal.example.org/hook"
		w, _, err := db.CreateWebhook(ctx, coop.WebhookDraft{URL: &url}, coop.System, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, age := range []time.Duration{webhook.DeliveryLogRetention + time.Hour, time.Hour} {
			if err := db.RecordWebhookDelivery(ctx, coop.WebhookDelivery{WebhookID: w.ID, MessageID: "ping_x", EventType: "webhook.ping",
				Attempt: 1, Trigger: "ping", At: time.Now().Add(-age), Error: "x"}); err != nil {
				t.Fatal(err)
			}
		}
		testDispatcher(t, db, webhook.Options{})
		waitFor(t, "the old attempt pruned", 10*time.Second, func() bool {
			log, _ := db.ListWebhookDeliveries(ctx, w.ID, 0, 10)
			return len(log) == 1 && time.Since(log[0].At) < 2*time.Hour
		})
	})
}
