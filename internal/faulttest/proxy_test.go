package faulttest_test

import (
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// proxy forwards TCP connections from a loopback port to target. Stall makes the
// database stop answering, as a hung server or a network that drops packets does:
// connections stay open (new ones too), but every byte is dropped; a side that closes
// its connection still closes the other side. Cut makes the database vanish, as a
// crashed server does: the port refuses connections and every open one is closed (on
// both sides, so that PostgreSQL ends their sessions and releases their locks).
// Restore opens the same port again and forwards as before.
type proxy struct {
	t      *testing.T
	target string
	addr   string

	stalled atomic.Bool
	mu      sync.Mutex
	ln      net.Listener
	conns   map[net.Conn]struct{}
}

// startProxy listens on a free loopback port and forwards to target.
func startProxy(t *testing.T, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{t: t, target: target, addr: ln.Addr().String(), ln: ln, conns: map[net.Conn]struct{}{}}
	go p.serve(ln)
	t.Cleanup(p.Cut)
	return p
}

func (p *proxy) serve(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return // closed by Cut
		}
		go p.forward(c)
	}
}

// track registers c unless the proxy is cut (then it closes c and reports false).
func (p *proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln == nil {
		c.Close()
		return false
	}
	p.conns[c] = struct{}{}
	return true
}

func (p *proxy) untrack(c net.Conn) {
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
	c.Close()
}

func (p *proxy) forward(client net.Conn) {
	if !p.track(client) {
		return
	}
	defer p.untrack(client)
	server, err := net.DialTimeout("tcp", p.target, 2*time.Second)
	if err != nil {
		return
	}
	if !p.track(server) {
		return
	}
	defer p.untrack(server)
	done := make(chan struct{}, 2)
	go func() { p.pipe(server, client); done <- struct{}{} }()
	go func() { p.pipe(client, server); done <- struct{}{} }()
	<-done // either side ending ends both (the deferred closes)
}

// pipe copies src to dst until src ends, dropping what it reads while stalled.
func (p *proxy) pipe(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 && !p.stalled.Load() {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// Stall drops every byte from now on, leaving connections open.
func (p *proxy) Stall() { p.stalled.Store(true) }

// Cut closes the port and every forwarded connection.
func (p *proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

// Restore listens on the proxy's port again.
func (p *proxy) Restore() {
	p.t.Helper()
	var (
		ln  net.Listener
		err error
	)
	for range 50 { // the port may linger a moment after Close
		if ln, err = net.Listen("tcp", p.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		p.t.Fatalf("proxy: listen on %s again: %v", p.addr, err)
	}
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	p.stalled.Store(false)
	go p.serve(ln)
}
