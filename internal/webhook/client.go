package webhook

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Safety settings of the delivery client.
type Safety struct {
	AllowHTTP    bool // IKZ_WEBHOOK_ALLOW_HTTP: http:// targets too
	AllowPrivate bool // IKZ_WEBHOOK_ALLOW_PRIVATE: loopback, private, link-local targets too
}

// ErrAddressRefused is the error of a delivery to an address that is not allowed.
var ErrAddressRefused = errors.New("webhook: target address not allowed (loopback, private, link-local or metadata)")

// refusedPrefixes are the ranges beside what netip classifies as loopback, private,
// link-local, multicast or unspecified: "this network", shared address space (CGNAT),
// IETF protocol assignments, benchmarking, reserved, and NAT64 (which can reach any
// IPv4 address).
var refusedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"), netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"), netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"), netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
}

// Refused reports whether a delivery to ip is not allowed without AllowPrivate: the
// cloud metadata addresses (169.254.169.254, fd00:ec2::254) are link-local or
// private and so among them.
func Refused(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return true
	}
	for _, p := range refusedPrefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// CheckURL refuses a target URL that is not absolute https (http with AllowHTTP),
// carries user info or a fragment, or names a refused address literally. A host name
// is checked when it is dialled (NewClient), so DNS cannot get around it.
func (s Safety) CheckURL(raw string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil || !u.IsAbs() || u.Host == "" || u.Opaque != "":
		return errors.New("keine absolute URL / not an absolute URL")
	case u.Scheme != "https" && !(u.Scheme == "http" && s.AllowHTTP):
		if s.AllowHTTP {
			return errors.New("nur https oder http / https or http only")
		}
		return errors.New("nur https (http nur mit IKZ_WEBHOOK_ALLOW_HTTP) / https only")
	case u.User != nil:
		return errors.New("keine Zugangsdaten in der URL / no user info in the URL")
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return errors.New("kein Fragment / no fragment")
	}
	host := strings.TrimSuffix(u.Hostname(), ".")
	if ip, err := netip.ParseAddr(host); err == nil && !s.AllowPrivate && Refused(ip) {
		return errors.New("Adresse nicht erlaubt (loopback, privat, link-local, Metadaten) / address not allowed")
	}
	if !s.AllowPrivate && (strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost")) {
		return errors.New("Adresse nicht erlaubt (localhost) / address not allowed")
	}
	return nil
}

// NewClient is the delivery client: each connection's address is checked when it is
// dialled (after DNS, so a name that resolves to a refused address is refused too),
// no proxy from the environment, no redirects followed, the whole exchange within
// timeout.
func (s Safety) NewClient(timeout time.Duration) *http.Client {
	dialer := &net.Dialer{Timeout: min(timeout, 5*time.Second), Control: func(_, address string, _ syscall.RawConn) error {
		if s.AllowPrivate {
			return nil
		}
		ap, err := netip.ParseAddrPort(address)
		if err != nil || Refused(ap.Addr()) {
			return ErrAddressRefused
		}
		return nil
	}}
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: timeout,
		MaxIdleConns:          64,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       60 * time.Second,
	}
	return &http.Client{Transport: tr, Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// contextDone reports whether ctx has ended.
func contextDone(ctx context.Context) bool { return ctx.Err() != nil }
