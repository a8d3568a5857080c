package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/webhook"
)

// hookMessage is one delivery as a receiver got it.
type hookMessage struct {
	id       string
	verified []bool // per secret the receiver knows
	body     struct {
		Type string
		Data feedItem
	}
}

// hookReceiver is a real receiver on loopback that checks each delivery's signature
// against each of its secrets with the Standard Webhooks reference library.
type hookReceiver struct {
	mu      sync.Mutex
	secrets []string
	got     []hookMessage
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	m := hookMessage{id: r.Header.Get("webhook-id")}
	for _, s := range h.secrets {
		wh, err := standardwebhooks.NewWebhook(s)
		m.verified = append(m.verified, err == nil && wh.Verify(raw, r.Header) == nil)
	}
	_ = json.Unmarshal(raw, &m.body)
	h.got = append(h.got, m)
	w.WriteHeader(http.StatusOK)
}

func (h *hookReceiver) messages() []hookMessage {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]hookMessage(nil), h.got...)
}

// forEachAPIWithHooks runs fn on both databases with the API and a running
// dispatcher that may deliver to loopback.
func forEachAPIWithHooks(t *testing.T, fn func(t *testing.T, e *apiEnv)) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		safety := webhook.Safety{AllowHTTP: true, AllowPrivate: true}
		d := webhook.New(db, webhook.Options{Safety: safety, View: httpapi.ChangeView, Poll: 20 * time.Millisecond,
			Timeout: time.Second, Schedule: []time.Duration{20 * time.Millisecond},
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		e := mustAPI(t, db, httpapi.Options{PublicRead: true, WebhookSafety: safety, Webhooks: d})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); d.Run(ctx) }()
		t.Cleanup(func() { cancel(); <-done })
		fn(t, e)
	})
}

func waitUntil(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("waited in vain for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestWebhookViews: a reader's subscription never carries finance (and does not get a
// change of nothing but finance); a controlling one does; both verified by the
// reference library, before and during a secret rotation; a redelivery keeps the
// webhook-id; a ping arrives signed.
func TestWebhookViews(t *testing.T) {
	forEachAPIWithHooks(t, func(t *testing.T, e *apiEnv) {
		reader, controlling := &hookReceiver{}, &hookReceiver{}
		rs, cs := httptest.NewServer(reader), httptest.NewServer(controlling)
		t.Cleanup(rs.Close)
		t.Cleanup(cs.Close)
		sub := func(url, role string, rc *hookReceiver) string {
			r := e.do("POST", "/api/v1/webhooks", req{as: "admin", body: map[string]any{"url": url, "role": role, "events": []string{"project.*"}}})
			mustStatus(t, r, 201)
			rc.mu.Lock()
			rc.secrets = []string{r.Obj(t)["secret"].(string)}
			rc.mu.Unlock()
			return r.Obj(t)["id"].(string)
		}
		readerID := sub(rs.URL, "reader", reader)
		sub(cs.URL, "controlling", controlling)

		p := e.mustCreate(t, "/api/v1/projects", "admin", projectBody("mit-geld", map[string]any{"finance": map[string]any{"budget_planned": "100.00"}}))
		id := p["id"].(string)
		mustStatus(t, e.do("PATCH", "/api/v1/projects/"+id, req{as: "admin", body: map[string]any{"finance": map[string]any{"cost_actual": "5.00"}}}), 200)
		mustStatus(t, e.do("PATCH", "/api/v1/projects/"+id, req{as: "admin", body: map[string]any{"title": "Neu", "finance": map[string]any{"cost_actual": "6.00"}}}), 200)
		waitUntil(t, "three deliveries to controlling", func() bool { return len(controlling.messages()) == 3 })
		waitUntil(t, "two deliveries to the reader", func() bool { return len(reader.messages()) == 2 })
		for _, m := range controlling.messages() {
			if !m.verified[0] {
				t.Errorf("controlling: signature of %s does not verify", m.id)
			}
		}
		if _, money := controlling.messages()[1].body.Data.Changes["finance"]; !money {
			t.Errorf("controlling gets no finance: %+v", controlling.messages()[1].body)
		}
		for _, m := range reader.messages() {
			if !m.verified[0] {
				t.Errorf("reader: signature of %s does not verify", m.id)
			}
			if _, money := m.body.Data.Changes["finance"]; money {
				t.Errorf("a reader's subscription carries finance: %+v", m.body)
			}
			if m.id != "chg_"+itoa64(m.body.Data.ID) {
				t.Errorf("webhook-id %s for change %d", m.id, m.body.Data.ID)
			}
		}
		if got := reader.messages(); got[0].body.Type != "project.created" || got[1].body.Type != "project.updated" || got[1].body.Data.Changes["title"].New != "Neu" {
			t.Errorf("reader got %+v", got)
		}

		// rotation: during the grace period both secrets sign
		old := reader.secrets[0]
		rot := e.do("POST", "/api/v1/webhooks/"+readerID+"/rotate-secret", req{as: "admin"})
		mustStatus(t, rot, 200)
		reader.mu.Lock()
		reader.secrets = []string{old, rot.Obj(t)["secret"].(string)}
		reader.mu.Unlock()
		mustStatus(t, e.do("PATCH", "/api/v1/projects/"+id, req{as: "admin", body: map[string]any{"title": "Neuer"}}), 200)
		waitUntil(t, "a delivery after the rotation", func() bool { return len(reader.messages()) == 3 })
		if m := reader.messages()[2]; !m.verified[0] || !m.verified[1] {
			t.Errorf("during the grace period: verified with old %v, new %v", m.verified[0], m.verified[1])
		}
		// with no grace, only the new one
		rot = e.do("POST", "/api/v1/webhooks/"+readerID+"/rotate-secret?grace_seconds=0", req{as: "admin"})
		mustStatus(t, rot, 200)
		prev := reader.secrets[1]
		reader.mu.Lock()
		reader.secrets = []string{prev, rot.Obj(t)["secret"].(string)}
		reader.mu.Unlock()

		// redelivery: the same webhook-id as the first delivery, logged
		first := reader.messages()[0]
		r := e.do("POST", "/api/v1/webhooks/"+readerID+"/redeliver?change="+itoa64(first.body.Data.ID), req{as: "admin"})
		mustStatus(t, r, 200)
		if o := r.Obj(t); o["message_id"] != first.id || o["trigger"] != "redeliver" || o["status_code"] != float64(200) {
			t.Errorf("redelivered: %v", o)
		}
		again := reader.messages()[3]
		if again.id != first.id || again.body.Data.ID != first.body.Data.ID || again.verified[0] || !again.verified[1] {
			t.Errorf("redelivery: id %s (first %s), verified old %v new %v", again.id, first.id, again.verified[0], again.verified[1])
		}
		// a change it does not get (finance only) is 404
		fin := controlling.messages()[1].body.Data.ID
		mustStatus(t, e.do("POST", "/api/v1/webhooks/"+readerID+"/redeliver?change="+itoa64(fin), req{as: "admin"}), 404)

		ping := e.do("POST", "/api/v1/webhooks/"+readerID+"/ping", req{as: "admin"})
		mustStatus(t, ping, 200)
		if o := ping.Obj(t); o["trigger"] != "ping" || o["status_code"] != float64(200) || !strings.HasPrefix(o["message_id"].(string), "ping_") {
			t.Errorf("ping: %v", o)
		}
		if m := reader.messages()[4]; m.body.Type != "webhook.ping" || !m.verified[1] {
			t.Errorf("ping arrived as %+v", m)
		}
		log := e.get("/api/v1/webhooks/"+readerID+"/deliveries?limit=2", "admin")
		mustStatus(t, log, 200)
		items := log.Obj(t)["items"].([]any)
		if len(items) != 2 || items[0].(map[string]any)["trigger"] != "ping" || items[1].(map[string]any)["trigger"] != "redeliver" || log.Obj(t)["next_cursor"] == nil {
			t.Errorf("delivery log: %s", log.Body)
		}
	})
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// TestWebhookEditorScope: the subscription of an editor bound to partners gets the
// changes of its partners' resources only; a partner filter narrows any subscription
// (and a merge patch with null widens it again).
func TestWebhookEditorScope(t *testing.T) {
	forEachAPIWithHooks(t, func(t *testing.T, e *apiEnv) {
		bound, filtered := &hookReceiver{}, &hookReceiver{}
		bs, fs := httptest.NewServer(bound), httptest.NewServer(filtered)
		t.Cleanup(bs.Close)
		t.Cleanup(fs.Close)
		mustStatus(t, e.do("POST", "/api/v1/webhooks", req{as: "editor-citeq", body: map[string]any{"url": bs.URL, "events": []string{"project.created"}}}), 201)
		f := e.do("POST", "/api/v1/webhooks", req{as: "admin", body: map[string]any{"url": fs.URL, "events": []string{"project.created"}, "partner": "lwl"}})
		mustStatus(t, f, 201)
		e.mustCreate(t, "/api/v1/projects", "admin", projectBody("von-citeq", nil))
		e.mustCreate(t, "/api/v1/projects", "admin", projectBody("von-lwl", map[string]any{
			"participants": []any{map[string]any{"partner": "lwl", "role": "lead"}}}))
		waitUntil(t, "a delivery to each", func() bool { return len(bound.messages()) == 1 && len(filtered.messages()) == 1 })
		time.Sleep(300 * time.Millisecond) // and no more
		if m := bound.messages(); len(m) != 1 || !strings.Contains(string(mustJSON(m[0].body.Data.Changes["slug"].New)), "von-citeq") {
			t.Errorf("the citeq editor's subscription got %+v", m)
		}
		if m := filtered.messages(); len(m) != 1 || !strings.Contains(string(mustJSON(m[0].body.Data.Changes["slug"].New)), "von-lwl") {
			t.Errorf("the lwl-filtered subscription got %+v", m)
		}
		p := e.do("PATCH", "/api/v1/webhooks/"+f.Obj(t)["id"].(string), req{as: "admin", ctype: "application/merge-patch+json", body: map[string]any{"partner": nil}})
		mustStatus(t, p, 200)
		if p.Obj(t)["partner"] != nil {
			t.Errorf("partner: null did not clear the filter: %s", p.Body)
		}
		e.mustCreate(t, "/api/v1/projects", "admin", projectBody("von-citeq-2", nil))
		waitUntil(t, "the widened subscription gets citeq's project", func() bool { return len(filtered.messages()) == 2 })
	})
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
