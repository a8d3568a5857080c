package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// changeStreamPath is the route of the change stream (Server-Sent Events).
const changeStreamPath = "/api/v1/changes/stream"

// streamPage is how many change-log entries the stream reads at a time.
const streamPage = 100

var streamParams = []string{"after", "resource_type", "resource_id"}

var openStreams = prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "ikz", Name: "change_streams_open",
	Help: "Open change streams (GET /api/v1/changes/stream) of this instance."})

func init() { RegisterCollector(openStreams) }

// changeWatch looks for new change-log entries on behalf of every open stream of
// this instance: one query per poll while any stream waits, however many are open
// (and the writes of other instances are seen too).
type changeWatch struct {
	latest   func(context.Context) (int64, error)
	interval time.Duration

	mu      sync.Mutex
	last    int64
	changed chan struct{} // closed when last grows, then replaced
	waiting int           // streams open; the poller runs while > 0
	stop    chan struct{} // closed by CloseStreams
	stopped bool
}

func newChangeWatch(latest func(context.Context) (int64, error), interval time.Duration) *changeWatch {
	return &changeWatch{latest: latest, interval: interval, changed: make(chan struct{}), stop: make(chan struct{})}
}

// join registers a stream (starting the poller for the first), unless max are open
// or the server shuts down; leave ends it.
func (w *changeWatch) join(max int) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped {
		return coop.Errorf(coop.EUnavailable, "Der Dienst fährt herunter / shutting down")
	}
	if w.waiting >= max {
		return coop.Errorf(coop.EUnavailable, "Zu viele offene Änderungsströme / too many open change streams")
	}
	w.waiting++
	if w.waiting == 1 {
		go w.poll()
	}
	return nil
}

func (w *changeWatch) leave() {
	w.mu.Lock()
	w.waiting--
	w.mu.Unlock()
}

// current is the newest change id seen and a channel closed when a newer one is.
func (w *changeWatch) current() (int64, <-chan struct{}) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.last, w.changed
}

func (w *changeWatch) poll() {
	t := time.NewTicker(w.interval)
	defer t.Stop()
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		id, err := w.latest(ctx)
		cancel()
		w.mu.Lock()
		if err == nil && id != w.last {
			w.last = id
			close(w.changed)
			w.changed = make(chan struct{})
		}
		done := w.waiting == 0 || w.stopped
		w.mu.Unlock()
		if done {
			return
		}
		select {
		case <-t.C:
		case <-w.stop:
		}
	}
}

// CloseStreams ends every open change stream (and refuses new ones), so that a
// graceful shutdown need not wait for clients that never hang up; they reconnect
// elsewhere with Last-Event-ID.
func (s *Server) CloseStreams() {
	w := s.changes
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.stopped {
		w.stopped = true
		close(w.stop)
	}
}

// handleChangeStream sends the change feed as Server-Sent Events.
//
//	@ID				streamChanges
//	@Summary		Änderungen live (Server-Sent Events) / live change stream
//	@Description	Die Änderungen des Feeds, sobald sie angenommen sind, als Server-Sent Events (`text/event-stream`): je Änderung `id: <Änderungs-id>`, `event: change`, `data: <der Eintrag wie im Feed>`. Wiederaufnahme nach `Last-Event-ID` (Header, hat Vorrang) oder `after`; ohne beides beginnt der Strom bei der aktuellen Position. Alle 15 s eine Kommentarzeile als Heartbeat. Gleiche Berechtigung und Sichtbarkeit wie `/changes` (finance nur für controlling und admin; Änderungen nur an finance fehlen für die anderen). The feed's changes as Server-Sent Events as soon as they are accepted: id is the change id, event is change, data the entry as the feed shows it. Resumes after Last-Event-ID (header, wins) or after; without either it starts at the current position. A comment line as heartbeat every 15 s. Same authorization and visibility as /changes. A revoked token ends the stream at the next heartbeat.
//	@Tags			changes
//	@Produce		text/event-stream
//	@Param			Last-Event-ID	header		int		false	"the id of the last event received: the stream resumes after it"	minimum(0)
//	@Param			after			query		int		false	"a change id (a next_cursor of the feed): the stream starts after it"	minimum(0)
//	@Param			resource_type	query		string	false	"only changes of this kind of resource"	Enums(partner,cooperation,project,solution)
//	@Param			resource_id		query		string	false	"only changes of this resource: its id, or the slug of a live resource"	example(it-hotline)	maxLength(100)
//	@Success		200				{string}	string	"Server-Sent Events: id, event: change, data: a Change"
//	@Failure		400				{object}	Problem
//	@Failure		401				{object}	Problem
//	@Failure		403				{object}	Problem
//	@Failure		429				{object}	Problem
//	@Failure		500				{object}	Problem
//	@Failure		503				{object}	Problem
//	@Security		BearerAuth
//	@Router			/api/v1/changes/stream [get]
func (s *Server) handleChangeStream(c echo.Context) error {
	if err := require(c, auth.CanReadChanges); err != nil {
		return err
	}
	q := newQuery(c)
	q.known(streamParams...)
	f := changeFilterOf(q)
	resume := q.v.Has("after")
	if raw := c.Request().Header.Get("Last-Event-ID"); raw != "" {
		n, ok := changeID(raw)
		if !ok {
			q.fail("Last-Event-ID: erwartet eine Änderungs-id (nicht negative ganze Zahl) / expected a change id (a non-negative integer)")
		}
		f.After, resume = n, true
	}
	if q.err != nil {
		return q.err
	}
	ctx := c.Request().Context()
	if !resume {
		latest, err := s.svc.LatestChangeID(ctx)
		if err != nil {
			return err
		}
		f.After = latest
	}
	if err := s.changes.join(s.opt.MaxStreams); err != nil {
		c.Response().Header().Set("Retry-After", "5")
		return err
	}
	defer s.changes.leave()
	openStreams.Inc()
	defer openStreams.Dec()

	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // a proxy (nginx) must not buffer the events
	c.Response().WriteHeader(http.StatusOK)
	if isHead(c.Request()) {
		return nil
	}
	w := c.Response()
	// the first line tells the client the stream is open, and how soon to reconnect
	if _, err := w.Write([]byte("retry: 2000\n: " + strconv.FormatInt(f.After, 10) + "\n\n")); err != nil {
		return nil
	}
	w.Flush()

	finance := seesFinance(c)
	bearer := c.Request().Header.Get("Authorization")
	f.Limit = streamPage
	heartbeat := time.NewTicker(s.opt.StreamHeartbeat)
	defer heartbeat.Stop()
	var buf []byte
	for {
		list, err := s.svc.FindChanges(ctx, f)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Warn("change stream: reading the feed", "err", err.Error())
			}
			return nil // the client reconnects with Last-Event-ID
		}
		buf = buf[:0]
		for _, ch := range list {
			if item, shown := changeVisible(ch, finance); shown {
				data, err := json.Marshal(item)
				if err != nil {
					return err
				}
				buf = append(buf, "id: "...)
				buf = strconv.AppendInt(buf, ch.ID, 10)
				buf = append(buf, "\nevent: change\ndata: "...)
				buf = append(buf, data...)
				buf = append(buf, "\n\n"...)
			}
			f.After = ch.ID // past the left-out ones too: the cursor is the last read
		}
		if len(buf) > 0 {
			if _, err := w.Write(buf); err != nil {
				return nil
			}
			w.Flush()
		}
		if len(list) == streamPage {
			continue
		}
		latest, changed := s.changes.current()
		var retry <-chan time.Time
		if latest > f.After {
			// seen but not yet served by the feed (a write still committing):
			// look again at the next poll
			retry = time.After(s.opt.StreamPoll)
		}
		select {
		case <-changed:
		case <-retry:
		case <-heartbeat.C:
			if bearer != "" {
				if _, err := s.identify(ctx, bearerToken(bearer)); err != nil {
					return nil // revoked or expired: the stream ends
				}
			}
			if _, err := w.Write([]byte(": heartbeat\n\n")); err != nil {
				return nil
			}
			w.Flush()
		case <-ctx.Done():
			return nil
		case <-s.changes.stop:
			return nil
		}
	}
}

// bearerToken is the token of an Authorization header the request was authenticated
// with (checked by authenticate).
func bearerToken(header string) string {
	raw, _ := auth.ParseBearer(header)
	return raw
}
