package faulttest_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// TestSIGTERMUnderLoad sends SIGTERM while list requests stream in and slow clients
// are still uploading project creations: the uploads in flight complete with 201 and
// their projects exist, no request gets an error status, new connections are refused
// as soon as shutdown begins, and the process exits 0 within IKZ_SHUTDOWN_TIMEOUT.
func TestSIGTERMUnderLoad(t *testing.T) {
	const (
		grace  = 10 * time.Second
		upload = 2 * time.Second // how long each slow client takes to send its body
		slow   = 3
	)
	dbURL := storetest.MustCreatePostgresURL(t)
	svc := startService(t, map[string]string{
		"IKZ_DATABASE_URL":     dbURL,
		"IKZ_SHUTDOWN_TIMEOUT": grace.String(),
		"IKZ_REQUEST_TIMEOUT":  "15s",
	})
	token := mustToken(t, dbURL, "editor")

	ld := startLoad(svc.base, token, "sigterm-last", 8, 0, 10*time.Second)
	type result struct {
		slug   string
		status string
		id     string
		err    error
	}
	results := make(chan result, slow)
	for i := range slow {
		slug := fmt.Sprintf("sigterm-langsam-%d", i)
		go func() {
			status, body, err := slowCreate(svc.addr, token, slug, upload)
			var p struct{ ID string }
			if err == nil {
				err = json.Unmarshal(body, &p)
			}
			results <- result{slug, status, p.ID, err}
		}()
	}
	time.Sleep(upload / 4) // the uploads are under way, the list load is running

	if err := syscall.Kill(svc.cmd.Process.Pid, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	termAt := time.Now()
	// Shutdown closes the listener at once; the slow uploads are still running.
	time.Sleep(300 * time.Millisecond)
	if c, err := net.DialTimeout("tcp", svc.addr, time.Second); err == nil {
		c.Close()
		t.Errorf("a new connection was accepted %s after SIGTERM", time.Since(termAt).Round(time.Millisecond))
	} else if !strings.Contains(err.Error(), "refused") {
		t.Errorf("a new connection after SIGTERM: want refused, got %v", err)
	}
	select {
	case <-svc.done:
		t.Fatalf("the service exited %s after SIGTERM, before its in-flight uploads were done", time.Since(termAt))
	default:
	}

	code, ok := svc.wait(grace + 2*time.Second)
	exitAfter := time.Since(termAt)
	outcomes := ld.stop()
	if !ok {
		t.Fatalf("the service did not exit within %s of SIGTERM", grace)
	}
	if code != 0 || exitAfter > grace {
		t.Errorf("exit status %d %s after SIGTERM; want 0 within %s", code, exitAfter.Round(time.Millisecond), grace)
	}

	var created []string
	for range slow {
		r := <-results
		switch {
		case r.err != nil:
			t.Errorf("in-flight upload %s: %v", r.slug, r.err)
		case !strings.HasPrefix(r.status, "HTTP/1.1 201"):
			t.Errorf("in-flight upload %s: %s", r.slug, r.status)
		default:
			created = append(created, r.id)
		}
	}
	inFlight := 0
	for _, o := range outcomes {
		if o.err == nil && !o.ok() {
			t.Errorf("error status during shutdown: %s", o)
		}
		if o.err == nil && o.end.After(termAt) {
			inFlight++
		}
	}
	t.Logf("%d list requests, %d answered after SIGTERM; %d slow uploads completed; exit %d after %s",
		len(outcomes), inFlight, len(created), code, exitAfter.Round(time.Millisecond))

	// The uploads' projects are in the database: the writes were done, not just
	// answered.
	svc = startService(t, map[string]string{"IKZ_DATABASE_URL": dbURL})
	client := &http.Client{Timeout: 5 * time.Second}
	for _, id := range created {
		if o := call(client, "GET", svc.base+"/api/v1/projects/"+id, "", nil); !o.ok() {
			t.Errorf("project of a completed upload: %s", o)
		}
	}
}

// slowCreate posts a project creation over a raw connection, sending its body in
// small pieces over d, and returns the status line and body of the answer.
func slowCreate(addr, token, slug string, d time.Duration) (status string, body []byte, err error) {
	raw, err := json.Marshal(projectBody(slug))
	if err != nil {
		return "", nil, err
	}
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return "", nil, err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(d + 15*time.Second))
	head := fmt.Sprintf("POST /api/v1/projects HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n", addr, token, len(raw))
	if _, err := c.Write([]byte(head)); err != nil {
		return "", nil, err
	}
	const pieces = 20
	step := (len(raw) + pieces - 1) / pieces
	for i := 0; i < len(raw); i += step {
		time.Sleep(d / pieces)
		if _, err := c.Write(raw[i:min(i+step, len(raw))]); err != nil {
			return "", nil, fmt.Errorf("sending the body: %w", err)
		}
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return "", nil, fmt.Errorf("reading the answer: %w", err)
	}
	defer resp.Body.Close()
	var sb strings.Builder
	if _, err := bufio.NewReader(resp.Body).WriteTo(&sb); err != nil {
		return "", nil, err
	}
	return resp.Proto + " " + resp.Status, []byte(sb.String()), nil
}
