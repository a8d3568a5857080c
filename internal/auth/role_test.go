package auth_test

import (
	"errors"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
)

func TestParseRole(t *testing.T) {
	tests := []struct {
		in      string
		want    auth.Role
		wantErr bool
	}{
		{"reader", auth.RoleReader, false},
		{"controlling", auth.RoleControlling, false},
		{"editor", auth.RoleEditor, false},
		{"admin", auth.RoleAdmin, false},
		{" Admin ", auth.RoleAdmin, false},
		{"", "", true},
		{"root", "", true},
		{"administrator", "", true},
	}
	for _, tt := range tests {
		got, err := auth.ParseRole(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ParseRole(%q) = %q, %v; want %q, err %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err != nil && !errors.Is(err, auth.ErrUnknownRole) {
			t.Errorf("ParseRole(%q) error %v is not ErrUnknownRole", tt.in, err)
		}
	}
}

func TestPrincipalAuthenticatedAndBound(t *testing.T) {
	tests := []struct {
		name          string
		p             *auth.Principal
		authenticated bool
		bound         bool
	}{
		{"anonymous", nil, false, false},
		{"no role", &auth.Principal{Kind: auth.KindToken, ID: "t"}, false, false},
		{"unknown role", &auth.Principal{Roles: []auth.Role{"root"}}, false, false},
		{"a known and an unknown role", &auth.Principal{Roles: []auth.Role{auth.RoleReader, "root"}}, false, false},
		{"editor and admin with partners", &auth.Principal{Roles: []auth.Role{auth.RoleEditor, auth.RoleAdmin}, Partners: []string{"citeq"}}, true, false},
		{"bound editor with controlling", &auth.Principal{Roles: []auth.Role{auth.RoleControlling, auth.RoleEditor}, Partners: []string{"citeq"}}, true, true},
		{"reader", &auth.Principal{Roles: []auth.Role{auth.RoleReader}}, true, false},
		{"unbound editor", &auth.Principal{Roles: []auth.Role{auth.RoleEditor}}, true, false},
		{"bound editor", &auth.Principal{Roles: []auth.Role{auth.RoleEditor}, Partners: []string{"citeq"}}, true, true},
		{"admin with partners", &auth.Principal{Roles: []auth.Role{auth.RoleAdmin}, Partners: []string{"citeq"}}, true, false},
	}
	for _, tt := range tests {
		if got := tt.p.Authenticated(); got != tt.authenticated {
			t.Errorf("%s: Authenticated() = %v, want %v", tt.name, got, tt.authenticated)
		}
		if got := tt.p.Bound(); got != tt.bound {
			t.Errorf("%s: Bound() = %v, want %v", tt.name, got, tt.bound)
		}
	}
}

func TestRequire(t *testing.T) {
	reader := &auth.Principal{Roles: []auth.Role{auth.RoleReader}}
	tests := []struct {
		name    string
		p       *auth.Principal
		allowed bool
		want    error
	}{
		{"allowed anonymous", nil, true, nil},
		{"allowed reader", reader, true, nil},
		{"denied anonymous", nil, false, auth.ErrUnauthenticated},
		{"denied without role", &auth.Principal{ID: "x"}, false, auth.ErrUnauthenticated},
		{"denied reader", reader, false, auth.ErrForbidden},
	}
	for _, tt := range tests {
		if got := auth.Require(tt.p, tt.allowed); got != tt.want {
			t.Errorf("%s: Require = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestErrorWrapping(t *testing.T) {
	if !errors.Is(auth.ErrInvalidToken, auth.ErrUnauthenticated) {
		t.Error("ErrInvalidToken does not wrap ErrUnauthenticated")
	}
	if !errors.Is(auth.ErrNoRole, auth.ErrForbidden) {
		t.Error("ErrNoRole does not wrap ErrForbidden")
	}
	if errors.Is(auth.ErrNoRole, auth.ErrUnauthenticated) {
		t.Error("ErrNoRole wraps ErrUnauthenticated")
	}
}
