package httpapi_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
)

// sseEvent is one event of the change stream as a client parses it.
type sseEvent struct {
	ID, Event string
	Change    feedItem
}

// sseClient reads a change stream line by line, as an EventSource does.
type sseClient struct {
	t      *testing.T
	res    *http.Response
	lines  chan string
	cancel context.CancelFunc
}

// openStream opens GET /api/v1/changes/stream with the query and headers.
func (e *apiEnv) openStream(t *testing.T, query, as string, headers map[string]string) *sseClient {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	hr, err := http.NewRequestWithContext(ctx, http.MethodGet, e.url+"/api/v1/changes/stream"+query, nil)
	if err != nil {
		t.Fatal(err)
	}
	hr.Header.Set("Authorization", "Bearer "+e.tokens[as])
	for k, v := range headers {
		hr.Header.Set(k, v)
	}
	res, err := e.client.Do(hr)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	c := &sseClient{t: t, res: res, lines: make(chan string, 1024), cancel: cancel}
	t.Cleanup(c.close)
	if res.StatusCode != 200 {
		t.Fatalf("stream: status %d", res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("stream: Content-Type %q", ct)
	}
	go func() {
		defer close(c.lines)
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			c.lines <- sc.Text()
		}
	}()
	return c
}

func (c *sseClient) close() { c.cancel(); c.res.Body.Close() }

// next returns the next event (skipping comments), or ok=false when none comes
// within wait. Comments seen are counted in *comments when given.
func (c *sseClient) next(wait time.Duration, comments *int) (sseEvent, bool) {
	c.t.Helper()
	deadline := time.After(wait)
	var ev sseEvent
	var data string
	for {
		select {
		case line, open := <-c.lines:
			if !open {
				c.t.Fatal("stream ended")
			}
			switch {
			case line == "":
				if data != "" {
					if err := json.Unmarshal([]byte(data), &ev.Change); err != nil {
						c.t.Fatalf("event data: %v: %s", err, data)
					}
					return ev, true
				}
			case strings.HasPrefix(line, ":"):
				if comments != nil {
					*comments++
				}
			case strings.HasPrefix(line, "id: "):
				ev.ID = line[4:]
			case strings.HasPrefix(line, "event: "):
				ev.Event = line[7:]
			case strings.HasPrefix(line, "data: "):
				data += line[6:]
			case strings.HasPrefix(line, "retry: "):
			default:
				c.t.Fatalf("unexpected line %q", line)
			}
		case <-deadline:
			return sseEvent{}, false
		}
	}
}

func TestChangeStreamSeesWrites(t *testing.T) {
	forEachAPIWith(t, httpapi.Options{PublicRead: true, StreamHeartbeat: 300 * time.Millisecond}, func(t *testing.T, e *apiEnv) {
		s := e.openStream(t, "", "reader", nil)
		// no after, no Last-Event-ID: from the current position, so nothing old comes
		var comments int
		if ev, ok := s.next(700*time.Millisecond, &comments); ok {
			t.Fatalf("an old change arrived: %+v", ev)
		}
		if comments < 2 {
			t.Errorf("%d comment lines in 700 ms with a 300 ms heartbeat", comments)
		}
		for i := range 3 {
			p := e.mustCreate(t, "/api/v1/projects", "admin", projectBody("live-"+strconv.Itoa(i), nil))
			wrote := time.Now()
			ev, ok := s.next(time.Second, nil)
			if !ok {
				t.Fatalf("write %d not seen within 1 s", i)
			}
			t.Logf("seen after %v", time.Since(wrote))
			if ev.Event != "change" || ev.ID != strconv.FormatInt(ev.Change.ID, 10) || ev.Change.ResourceID != p["id"] || ev.Change.Action != "create" {
				t.Fatalf("event %+v for project %v", ev, p["id"])
			}
			if _, money := ev.Change.Changes["finance"]; money {
				t.Errorf("reader sees finance: %v", ev.Change.Changes)
			}
		}
	})
}

func TestChangeStreamResumes(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		p := e.mustCreate(t, "/api/v1/projects", "admin", projectBody("strom", nil))
		id := p["id"].(string)
		for i := range 5 {
			body := map[string]any{"title": "Strom " + strconv.Itoa(i)}
			if i%2 == 1 {
				body = map[string]any{"finance": map[string]any{"budget_planned": strconv.Itoa(i) + ".00"}} // left out for readers
			}
			mustStatus(t, e.do("PATCH", "/api/v1/projects/"+id, req{as: "admin", body: body}), 200)
		}
		for _, as := range []string{"reader", "controlling"} {
			feed := e.readFeed(t, "", as, 500)
			want := feed[len(feed)-8:]
			// the stream from a point, read in two connections: the second resumes
			// with the first's last id, as an EventSource does
			var got []feedItem
			from := strconv.FormatInt(want[0].ID-1, 10)
			s := e.openStream(t, "?after="+from, as, nil)
			for range 3 {
				ev, ok := s.next(5*time.Second, nil)
				if !ok {
					t.Fatalf("%s: too few events", as)
				}
				got = append(got, ev.Change)
			}
			s.close()
			last := strconv.FormatInt(got[len(got)-1].ID, 10)
			// Last-Event-ID wins over after (a browser reconnects with the first URL)
			s = e.openStream(t, "?after="+from, as, map[string]string{"Last-Event-ID": last})
			for len(got) < len(want) {
				ev, ok := s.next(5*time.Second, nil)
				if !ok {
					t.Fatalf("%s: %d events of %d", as, len(got), len(want))
				}
				got = append(got, ev.Change)
			}
			if ev, ok := s.next(300*time.Millisecond, nil); ok {
				t.Fatalf("%s: an event beyond the feed: %+v", as, ev)
			}
			for i := range want {
				a, _ := json.Marshal(got[i])
				b, _ := json.Marshal(want[i])
				if string(a) != string(b) {
					t.Fatalf("%s: event %d is\n%s\nthe feed has\n%s", as, i, a, b)
				}
			}
		}
	})
}

func TestChangeStreamRefuses(t *testing.T) {
	forEachAPIWith(t, httpapi.Options{PublicRead: true, StreamHeartbeat: 200 * time.Millisecond}, func(t *testing.T, e *apiEnv) {
		mustStatus(t, e.get("/api/v1/changes/stream", ""), 401)
		mustStatus(t, e.getInvalid("/api/v1/changes/stream?after=-1", "reader"), 400)
		mustStatus(t, e.getInvalid("/api/v1/changes/stream?limit=5", "reader"), 400)
		mustStatus(t, e.do("GET", "/api/v1/changes/stream", req{as: "reader", headers: map[string]string{"Last-Event-ID": "x"}, invalid: true}), 400)
		// a revoked token ends the stream at the next heartbeat
		tok := e.do("POST", "/api/v1/tokens", req{as: "admin", body: map[string]any{"name": "strom", "roles": []string{"reader"}}})
		mustStatus(t, tok, 201)
		e.tokens["strom"] = tok.Obj(t)["token"].(string)
		s := e.openStream(t, "", "strom", nil)
		mustStatus(t, e.do("DELETE", "/api/v1/tokens/"+tok.Obj(t)["id"].(string), req{as: "admin"}), 204)
		deadline := time.After(3 * time.Second)
		for open := true; open; {
			select {
			case _, open = <-s.lines:
			case <-deadline:
				t.Fatal("the stream of a revoked token goes on")
			}
		}
	})
}
