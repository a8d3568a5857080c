package auth

import (
	"fmt"
	"slices"
	"strings"
)

// Role is what a caller may do. The codes are part of the API contract.
type Role string

// The roles of the API contract. They are not a strict hierarchy: controlling sees money
// but cannot write, editor writes but does not see money; admin may do everything.
const (
	// RoleReader reads the directory, the change feed and exports (no money).
	RoleReader Role = "reader"
	// RoleControlling is a reader that also sees finance fields and money sums.
	RoleControlling Role = "controlling"
	// RoleEditor writes directory data, optionally bound to partners (see [Principal]).
	RoleEditor Role = "editor"
	// RoleAdmin may do everything, including restoring deleted resources and managing tokens.
	RoleAdmin Role = "admin"
)

// Roles lists every role, from the least to the most privileged as used when an OIDC
// token names several (admin > editor > controlling > reader).
var Roles = []Role{RoleReader, RoleControlling, RoleEditor, RoleAdmin}

// ParseRole returns the role named by s (surrounding spaces and case ignored), or an
// error wrapping [ErrUnknownRole].
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if !r.Valid() {
		return "", fmt.Errorf("%w: %q (want one of reader, controlling, editor, admin)", ErrUnknownRole, s)
	}
	return r, nil
}

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// String returns the role's code.
func (r Role) String() string { return string(r) }

// rank orders roles for picking the highest of several; unknown roles rank -1.
func (r Role) rank() int { return slices.Index(Roles, r) }

// Kinds of [Principal], as they appear as the actor type in the change feed.
const (
	// KindToken is a caller authenticated with an API token.
	KindToken = "token"
	// KindOIDC is a caller authenticated with an OIDC JWT.
	KindOIDC = "oidc"
)

// Principal is an authenticated caller.
//
// The anonymous caller is a nil *Principal: every function of this package accepts nil
// and treats it (like a Principal without a valid Role) as unauthenticated.
type Principal struct {
	// Kind is KindToken or KindOIDC.
	Kind string
	// ID identifies the caller: the token's id, or the JWT's sub.
	ID string
	// Name is shown as the actor's name: the token's name, or the user's name.
	Name string
	// Role is what the caller may do.
	Role Role
	// Partners are the partners an editor is bound to; empty means unbound. The values
	// must use the same kind of identifier (slug or id) as the lists passed to the May…
	// functions. Binding restricts editors only; it is ignored for other roles.
	Partners []string
}

// Authenticated reports whether p is a known caller with a valid role.
// It is false for nil (the anonymous caller).
func (p *Principal) Authenticated() bool { return p != nil && p.Role.Valid() }

// Bound reports whether p is an editor restricted to its Partners.
func (p *Principal) Bound() bool {
	return p.Authenticated() && p.Role == RoleEditor && len(p.Partners) > 0
}
