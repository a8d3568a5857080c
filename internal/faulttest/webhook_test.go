package faulttest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"syscall"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// hookLog is a receiver that records each delivery's change id, verifies its
// signature with the reference library and notices two deliveries at once.
type hookLog struct {
	mu       sync.Mutex
	wh       *standardwebhooks.Webhook
	ids      []int64
	badSigs  int
	inFlight int
	overlaps int
}

func (h *hookLog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	h.inFlight++
	if h.inFlight > 1 {
		h.overlaps++
	}
	if h.wh == nil || h.wh.Verify(body, r.Header) != nil {
		h.badSigs++
	}
	var p struct{ Data struct{ ID int64 } }
	_ = json.Unmarshal(body, &p)
	h.ids = append(h.ids, p.Data.ID)
	h.mu.Unlock()
	time.Sleep(2 * time.Millisecond) // long enough for a second deliverer to overlap
	h.mu.Lock()
	h.inFlight--
	h.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (h *hookLog) snapshot() []int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]int64(nil), h.ids...)
}

// TestKillWebhookDeliverer kills the instance that delivers a webhook (SIGKILL) in
// the middle of a burst of writes made on a second instance: the second takes the
// subscription over once the lease runs out, and every change arrives, in order, at
// least once; the two never deliver at the same time.
func TestKillWebhookDeliverer(t *testing.T) {
	dbURL := storetest.MustCreatePostgresURL(t)
	env := map[string]string{"IKZ_DATABASE_URL": dbURL, "IKZ_WEBHOOK_ALLOW_HTTP": "true",
		"IKZ_WEBHOOK_ALLOW_PRIVATE": "true", "IKZ_WEBHOOK_TIMEOUT": "2s"}
	rc := &hookLog{}
	receiver := httptest.NewServer(rc)
	t.Cleanup(receiver.Close)
	a := startService(t, env)
	admin := mustToken(t, dbURL, "admin")
	client := &http.Client{Timeout: 10 * time.Second}
	o := call(client, "POST", a.base+"/api/v1/webhooks", admin, map[string]any{"url": receiver.URL, "events": []string{"partner.created"}})
	if o.status != http.StatusCreated {
		t.Fatalf("create webhook: %s", o)
	}
	var hook struct{ Secret string }
	mustJSONNoFatal(t, o, &hook)
	wh, err := standardwebhooks.NewWebhook(hook.Secret)
	if err != nil {
		t.Fatal(err)
	}
	rc.mu.Lock()
	rc.wh = wh
	rc.mu.Unlock()
	time.Sleep(time.Second) // a claims it (it polls every 250 ms)
	b := startService(t, env)

	const n = 300
	written := make(chan struct{})
	go func() {
		defer close(written)
		for i := range n {
			o := call(client, "POST", b.base+"/api/v1/partners", admin, map[string]any{
				"slug": fmt.Sprintf("kill-hook-%d", i), "name": fmt.Sprintf("Partner %d", i), "type": "company"})
			if o.status != http.StatusCreated {
				t.Errorf("create partner %d: %s", i, o)
				return
			}
		}
	}()
	deadline := time.Now().Add(30 * time.Second)
	for len(rc.snapshot()) < 50 {
		if time.Now().After(deadline) {
			t.Fatalf("only %d deliveries before the kill", len(rc.snapshot()))
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := a.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-written
	before := len(rc.snapshot())

	// every partner created, from the feed
	var want []int64
	after := 0
	for {
		o := call(client, "GET", fmt.Sprintf("%s/api/v1/changes?resource_type=partner&limit=1000&after=%d", b.base, after), admin, nil)
		var page struct {
			Items []struct {
				ID     int64
				Action string
			}
		}
		mustJSONNoFatal(t, o, &page)
		for _, it := range page.Items {
			if it.Action == "create" {
				want = append(want, it.ID)
			}
			after = int(it.ID)
		}
		if len(page.Items) == 0 {
			break
		}
	}
	want = want[len(want)-n:] // the seed's partners came before the subscription
	deadline = time.Now().Add(60 * time.Second)
	for {
		got := rc.snapshot()
		if len(got) > 0 && got[len(got)-1] == want[len(want)-1] {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the kill: %d deliveries, the last %v, want %d", len(got), got[max(0, len(got)-3):], want[len(want)-1])
		}
		time.Sleep(20 * time.Millisecond)
	}
	got := rc.snapshot()
	var distinct []int64
	for i, id := range got {
		if i > 0 && id < got[i-1] {
			t.Fatalf("change %d delivered after %d", id, got[i-1])
		}
		if i == 0 || id != got[i-1] {
			distinct = append(distinct, id)
		}
	}
	if fmt.Sprint(distinct) != fmt.Sprint(want) {
		t.Fatalf("delivered %d distinct changes, want the %d created, each in order", len(distinct), len(want))
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.overlaps > 0 || rc.badSigs > 0 {
		t.Errorf("%d deliveries overlapped, %d signatures did not verify", rc.overlaps, rc.badSigs)
	}
	t.Logf("%d deliveries of %d changes (%d before the kill was noticed)", len(got), n, before)
}
