package auth

import (
	"fmt"
	"slices"
	"strings"
)

// Role is what a caller may do. The codes are part of the API contract.
type Role string

// The roles of the API contract. A caller holds a set of them and may do what any of
// them allows: controlling sees money but cannot write, editor writes but does not see
// money, editor and controlling together write money too; admin may do everything.
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

// Roles lists every role, from the least to the most privileged: the order in which
// sets of roles are written.
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

// rank orders roles; unknown roles rank -1.
func (r Role) rank() int { return slices.Index(Roles, r) }

// ParseRoles returns the set of roles names, in the order of [Roles] without
// repeats; an empty list or a name that is no role is an error wrapping
// [ErrUnknownRole].
func ParseRoles(names []string) ([]Role, error) {
	if len(names) == 0 {
		return nil, fmt.Errorf("%w: no role given (want reader, controlling, editor or admin)", ErrUnknownRole)
	}
	var out []Role
	for _, n := range names {
		r, err := ParseRole(n)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b Role) int { return a.rank() - b.rank() })
	return out, nil
}

// Highest returns the most privileged of roles ("" for none).
func Highest(roles []Role) Role {
	var best Role
	for _, r := range roles {
		if r.rank() > best.rank() {
			best = r
		}
	}
	return best
}

// RoleNames returns roles as their codes.
func RoleNames(roles []Role) []string {
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = string(r)
	}
	return out
}

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
	// Roles are what the caller may do: the union of their rights.
	Roles []Role
	// Partners are the partners an editor is bound to; empty means unbound. The values
	// must use the same kind of identifier (slug or id) as the lists passed to the May…
	// functions. Binding restricts the editor role only (with admin it is ignored); the
	// rights of the other roles stay unbound.
	Partners []string
}

// Authenticated reports whether p is a known caller whose roles are all valid (at
// least one). It is false for nil (the anonymous caller).
func (p *Principal) Authenticated() bool {
	if p == nil || len(p.Roles) == 0 {
		return false
	}
	for _, r := range p.Roles {
		if !r.Valid() {
			return false
		}
	}
	return true
}

// Has reports whether p is authenticated and holds role r.
func (p *Principal) Has(r Role) bool { return p.Authenticated() && slices.Contains(p.Roles, r) }

// Bound reports whether p writes as an editor restricted to its Partners.
func (p *Principal) Bound() bool {
	return p.Has(RoleEditor) && !p.Has(RoleAdmin) && len(p.Partners) > 0
}
