package auth_test

import (
	"strings"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
)

func TestGenerateToken(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		secret, prefix, err := auth.GenerateToken()
		if err != nil {
			t.Fatalf("GenerateToken: %v", err)
		}
		if !auth.ValidTokenFormat(secret) {
			t.Fatalf("ValidTokenFormat(%q) = false", secret)
		}
		if len(secret) != 56 {
			t.Errorf("len(%q) = %d, want 56", secret, len(secret))
		}
		if !strings.HasPrefix(secret, prefix) || len(prefix) != len("ikz_")+8 {
			t.Errorf("prefix %q does not fit secret %q", prefix, secret)
		}
		if got := auth.TokenPrefix(secret); got != prefix {
			t.Errorf("TokenPrefix = %q, want %q", got, prefix)
		}
		if seen[secret] {
			t.Fatalf("duplicate token %q", secret)
		}
		seen[secret] = true
	}
}

func TestHashToken(t *testing.T) {
	// SHA-256("abc"), FIPS 180-2 test vector.
	const want = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	if got := auth.HashToken("abc"); got != want {
		t.Errorf("HashToken(abc) = %s, want %s", got, want)
	}
	a, _, _ := auth.GenerateToken()
	b, _, _ := auth.GenerateToken()
	if auth.HashToken(a) == auth.HashToken(b) {
		t.Error("different tokens hash equal")
	}
	if auth.HashToken(a) != auth.HashToken(a) {
		t.Error("hash is not deterministic")
	}
}

func TestValidTokenFormat(t *testing.T) {
	good := "ikz_" + strings.Repeat("a2", 26)
	tests := []struct {
		in   string
		want bool
	}{
		{good, true},
		{"", false},
		{"ikz_", false},
		{good[:len(good)-1], false},
		{good + "a", false},
		{"IKZ_" + good[4:], false},
		{"abc_" + good[4:], false},
		{"ikz_" + strings.Repeat("A2", 26), false}, // upper case
		{"ikz_" + strings.Repeat("a1", 26), false}, // 1 is not base32
		{"ikz_" + strings.Repeat("a-", 26), false},
		{"ikz_" + strings.Repeat("ä", 26), false},
		{"eyJhbGciOiJSUzI1NiJ9.e30.sig", false}, // a JWT
	}
	for _, tt := range tests {
		if got := auth.ValidTokenFormat(tt.in); got != tt.want {
			t.Errorf("ValidTokenFormat(%q) = %v, want %v", tt.in, got, tt.want)
		}
		if got := auth.TokenPrefix(tt.in); (got != "") != tt.want {
			t.Errorf("TokenPrefix(%q) = %q", tt.in, got)
		}
	}
}
