package auth

import "github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"

// PrincipalOf is the auth package's view of a request's actor: nil for the anonymous
// caller (or one without a known role), so that every rule of this package applies.
func PrincipalOf(a coop.Actor) *Principal {
	if a.Type == coop.ActorAnonymous || len(a.Roles) == 0 {
		return nil
	}
	roles := make([]Role, len(a.Roles))
	for i, r := range a.Roles {
		roles[i] = Role(r)
	}
	return &Principal{Kind: a.Type, ID: a.ID, Name: a.Name, Roles: roles, Partners: a.Partners}
}
