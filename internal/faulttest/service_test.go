package faulttest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// binDir holds the binary built for this run; removed by TestMain.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ikz-faulttest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// mustBinary builds ./cmd/ikz-verzeichnis once per test run (from the module root
// that `go env GOMOD` names) and returns the binary's path.
func mustBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
		gomod := strings.TrimSpace(string(out))
		if err != nil || gomod == "" || gomod == os.DevNull {
			buildErr = fmt.Errorf("go env GOMOD: %q, %v", gomod, err)
			return
		}
		binPath = filepath.Join(binDir, "ikz-verzeichnis")
		cmd := exec.CommandContext(ctx, "go", "build", "-o", binPath, "./cmd/ikz-verzeichnis")
		cmd.Dir = filepath.Dir(gomod)
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./cmd/ikz-verzeichnis: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// syncBuffer collects a child's output for the failure report.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// service is a running ikz-verzeichnis serve process.
type service struct {
	t    *testing.T
	cmd  *exec.Cmd
	base string // http://127.0.0.1:port
	addr string
	logs *syncBuffer
	done chan struct{} // closed when the process has exited
	err  error         // its Wait result, once done
}

// childEnv is the test's environment without IKZ_* variables, plus env.
func childEnv(env map[string]string) []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "IKZ_") {
			out = append(out, kv)
		}
	}
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}

// startService starts `ikz-verzeichnis serve` with env (IKZ_LISTEN_ADDR is chosen
// here) and waits until /readyz answers 200. The process is killed when the test ends.
func startService(t *testing.T, env map[string]string) *service {
	t.Helper()
	addr := freeAddr(t)
	full := map[string]string{"IKZ_LISTEN_ADDR": addr, "IKZ_LOG_FORMAT": "text", "IKZ_LOG_LEVEL": "warn"}
	for k, v := range env {
		full[k] = v
	}
	s := &service{t: t, addr: addr, base: "http://" + addr, logs: &syncBuffer{}, done: make(chan struct{})}
	s.cmd = exec.Command(mustBinary(t), "serve")
	s.cmd.Env = childEnv(full)
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("start service: %v", err)
	}
	go func() {
		s.err = s.cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(func() {
		_ = s.cmd.Process.Signal(syscall.SIGKILL)
		<-s.done
		if t.Failed() {
			t.Logf("service log (%s):\n%s", addr, s.logs.String())
		}
	})
	s.waitReady(30 * time.Second)
	return s
}

// waitReady polls /readyz until it answers 200.
func (s *service) waitReady(within time.Duration) {
	s.t.Helper()
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(within)
	for {
		resp, err := client.Get(s.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-s.done:
			s.t.Fatalf("service ended before it was ready: %v\n%s", s.err, s.logs.String())
		default:
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("/readyz not 200 within %s\n%s", within, s.logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// wait waits up to d for the process to exit and returns its exit code.
func (s *service) wait(d time.Duration) (code int, ok bool) {
	select {
	case <-s.done:
	case <-time.After(d):
		return 0, false
	}
	var ee *exec.ExitError
	if errors.As(s.err, &ee) {
		return ee.ExitCode(), true
	}
	if s.err != nil {
		return -1, true
	}
	return 0, true
}

// mustToken creates an API token with `ikz-verzeichnis token create` on the database
// and returns its secret (the last line of standard output).
func mustToken(t *testing.T, dbURL, role string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, mustBinary(t), "token", "create", "--name", "faulttest-"+role, "--role", role)
	cmd.Env = childEnv(map[string]string{"IKZ_DATABASE_URL": dbURL})
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("token create: %v\n%s", err, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	secret := strings.TrimSpace(lines[len(lines)-1])
	if secret == "" || strings.ContainsAny(secret, " \t") {
		t.Fatalf("token create: no secret on the last line of %q", stdout.String())
	}
	return secret
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
