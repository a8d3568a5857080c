package faulttest_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// TestDatabaseGoesAway takes PostgreSQL away from the service under load — first it
// stops answering (the proxy drops every byte), then it is gone (the proxy refuses
// and closes connections) — and brings it back: meanwhile every request is a 503
// problem+json with Retry-After (never a 500, never later than the request timeout)
// and /readyz is 503; within 5 s of the database's return everything answers 200
// again, without a restart.
func TestDatabaseGoesAway(t *testing.T) {
	const (
		requestTimeout = 2 * time.Second
		slack          = time.Second // scheduling, the error answer itself
		recovery       = 5 * time.Second
	)
	dbURL := storetest.MustCreatePostgresURL(t)
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	px := startProxy(t, u.Host)
	viaProxy := *u
	viaProxy.Host = px.addr
	svc := startService(t, map[string]string{
		"IKZ_DATABASE_URL":    viaProxy.String(),
		"IKZ_REQUEST_TIMEOUT": requestTimeout.String(),
		"IKZ_DB_MAX_CONNS":    "8",
	})
	token := mustToken(t, dbURL, "editor")
	probe := &http.Client{Timeout: 10 * time.Second}

	ld := startLoad(svc.base, token, "ausfall", 4, 2, 10*time.Second)
	ld.waitForSuccess(t, 30*time.Second, "list", "create")

	downAt := time.Now() // before the stall: answers to it may arrive while Stall returns
	px.Stall()
	// After one request timeout nothing that began before the stall is still running.
	time.Sleep(requestTimeout + 300*time.Millisecond)
	mustNotReady(t, probe, svc.base, "not answering", requestTimeout+slack)
	cutAt := time.Now()
	px.Cut()
	time.Sleep(500 * time.Millisecond)
	mustNotReady(t, probe, svc.base, "gone", requestTimeout+slack)
	time.Sleep(500 * time.Millisecond)

	px.Restore()
	restoredAt := time.Now()
	var readyAfter time.Duration
	for {
		o := call(probe, "GET", svc.base+"/readyz", "", nil)
		if o.status == http.StatusOK {
			readyAfter = time.Since(restoredAt)
			break
		}
		if time.Since(restoredAt) > recovery {
			t.Errorf("/readyz not 200 within %s of the database's return: %s", recovery, o)
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(time.Until(restoredAt.Add(recovery + time.Second)))
	outcomes := ld.stop()

	var (
		lastFailure                     time.Time
		stalled, down503, after, before = map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	)
	for _, o := range outcomes {
		if d := o.end.Sub(o.start); d > requestTimeout+slack {
			t.Errorf("request hung beyond the request timeout (%s): %s", requestTimeout, o)
		}
		switch {
		case o.end.Before(downAt) && !o.ok():
			t.Errorf("failed before the database went away: %s", o)
		case o.end.Before(downAt):
			before[o.op]++
		case !o.ok() && (o.status != http.StatusServiceUnavailable || o.ctype != "application/problem+json" || o.retryAfter == ""):
			t.Errorf("want 2xx or 503 problem+json with Retry-After: %s (Retry-After %q)", o, o.retryAfter)
		case !o.ok():
			down503[o.op]++
			if o.end.Before(cutAt) {
				stalled[o.op]++
			}
			if o.end.After(lastFailure) {
				lastFailure = o.end
			}
		}
		if o.start.After(restoredAt.Add(recovery)) {
			after[o.op]++
			if !o.ok() {
				t.Errorf("still failing %s after the database returned: %s", recovery, o)
			}
		}
	}
	for _, op := range []string{"list", "create"} {
		if before[op] == 0 || stalled[op] == 0 || down503[op] == stalled[op] || after[op] == 0 {
			t.Errorf("%s: %d ok before, %d answered 503 (%d of them while the database hung), %d after recovery: want some of each",
				op, before[op], down503[op], stalled[op], after[op])
		}
	}
	recovered := time.Duration(0)
	if lastFailure.After(restoredAt) {
		recovered = lastFailure.Sub(restoredAt)
	}
	if recovered > recovery {
		t.Errorf("last failure %s after the database returned, want within %s", recovered, recovery)
	}
	t.Logf("%d requests; 503 while down: %v (while it hung: %v); /readyz 200 again %s and the last failure %s after the database returned",
		len(outcomes), down503, stalled, readyAfter.Round(time.Millisecond), recovered.Round(time.Millisecond))
}

// mustNotReady checks that /readyz answers 503 problem+json with Retry-After, within
// limit.
func mustNotReady(t *testing.T, client *http.Client, base, state string, limit time.Duration) {
	t.Helper()
	o := call(client, "GET", base+"/readyz", "", nil)
	if o.status != http.StatusServiceUnavailable || o.ctype != "application/problem+json" || o.retryAfter == "" {
		t.Errorf("/readyz with the database %s: want 503 problem+json with Retry-After, got %s (Retry-After %q)", state, o, o.retryAfter)
	}
	if d := o.end.Sub(o.start); d > limit {
		t.Errorf("/readyz with the database %s took %s", state, d)
	}
}
