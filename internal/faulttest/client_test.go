package faulttest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// outcome is one request as the load generator saw it.
type outcome struct {
	op         string // list, create, readyz, …
	start, end time.Time
	status     int // 0 = no answer (err)
	ctype      string
	retryAfter string
	body       []byte
	err        error
}

func (o outcome) String() string {
	if o.err != nil {
		return fmt.Sprintf("%s at +%s: %v after %s", o.op, o.start.Format("15:04:05.000"), o.err, o.end.Sub(o.start).Round(time.Millisecond))
	}
	return fmt.Sprintf("%s at %s: %d %s after %s: %.200s", o.op, o.start.Format("15:04:05.000"), o.status, o.ctype,
		o.end.Sub(o.start).Round(time.Millisecond), o.body)
}

// ok tells a 2xx answer.
func (o outcome) ok() bool { return o.status >= 200 && o.status < 300 }

// call sends one request (body marshalled as JSON) and reads the whole answer.
func call(client *http.Client, method, url, token string, body any) outcome {
	o := outcome{start: time.Now()}
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			panic(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, url, rd)
	if err != nil {
		panic(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err == nil {
		o.body, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		o.status, o.ctype, o.retryAfter = resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Retry-After")
	}
	o.err, o.end = err, time.Now()
	return o
}

// mustJSON decodes a 2xx answer's body, failing the test otherwise.
func mustJSON(t *testing.T, o outcome, v any) {
	t.Helper()
	if !o.ok() {
		t.Fatalf("want 2xx: %s", o)
	}
	if err := json.Unmarshal(o.body, v); err != nil {
		t.Fatalf("%s: %v", o, err)
	}
}

// projectBody is a new project in the seeded cooperation with two participants.
func projectBody(slug string) map[string]any {
	return map[string]any{
		"slug": slug, "title": "Fehlertest " + slug, "cooperation": "it-kooperation-muenster-lwl",
		"category": "software", "description": "Angelegt vom Fehlertest, um Schreibvorgänge unter Störungen zu prüfen.",
		"participants": []any{
			map[string]any{"partner": "citeq", "role": "provider"},
			map[string]any{"partner": "lwl", "role": "consumer"},
		},
	}
}

// load runs readers and writers against a service until stop is called, and keeps
// every outcome.
type load struct {
	mu       sync.Mutex
	outcomes []outcome
	quit     chan struct{}
	wg       sync.WaitGroup
	seq      atomic.Int64
}

// startLoad starts readers goroutines listing projects and writers goroutines
// creating them (with token), each with a client timeout of clientTimeout.
func startLoad(base, token, prefix string, readers, writers int, clientTimeout time.Duration) *load {
	l := &load{quit: make(chan struct{})}
	client := &http.Client{Timeout: clientTimeout, Transport: &http.Transport{MaxIdleConnsPerHost: readers + writers}}
	worker := func(op string, do func() outcome) {
		defer l.wg.Done()
		for {
			select {
			case <-l.quit:
				return
			default:
			}
			o := do()
			o.op = op
			l.mu.Lock()
			l.outcomes = append(l.outcomes, o)
			l.mu.Unlock()
			if !o.ok() {
				time.Sleep(20 * time.Millisecond) // no hot loop while the service is down
			}
		}
	}
	for range readers {
		l.wg.Add(1)
		go worker("list", func() outcome { return call(client, "GET", base+"/api/v1/projects?limit=20", "", nil) })
	}
	for range writers {
		l.wg.Add(1)
		go worker("create", func() outcome {
			slug := fmt.Sprintf("%s-%d", prefix, l.seq.Add(1))
			return call(client, "POST", base+"/api/v1/projects", token, projectBody(slug))
		})
	}
	return l
}

// stop ends the load and returns every outcome.
func (l *load) stop() []outcome {
	close(l.quit)
	l.wg.Wait()
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]outcome(nil), l.outcomes...)
}

// waitForSuccess waits until each op has succeeded at least once (a slow machine, e.g.
// under -race, may need more than a second for its first write), or fails the test.
func (l *load) waitForSuccess(t *testing.T, limit time.Duration, ops ...string) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		ok := map[string]bool{}
		for _, o := range l.snapshot() {
			if o.ok() {
				ok[o.op] = true
			}
		}
		missing := false
		for _, op := range ops {
			missing = missing || !ok[op]
		}
		if !missing {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the load did not succeed at %v within %s", ops, limit)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// snapshot returns the outcomes so far.
func (l *load) snapshot() []outcome {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]outcome(nil), l.outcomes...)
}
