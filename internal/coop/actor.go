package coop

import "context"

// Actor is who makes a request: an API token, an OIDC subject, or the system itself.
type Actor struct {
	Type     string // token, oidc, system, anonymous
	ID       string
	Name     string
	Roles    []string // a set of reader, controlling, editor, admin; none for anonymous
	Partners []string // partner ids an editor is bound to; empty = unbound
}

// Has reports whether a holds role.
func (a Actor) Has(role string) bool {
	for _, r := range a.Roles {
		if r == role {
			return true
		}
	}
	return false
}

// Actor types.
const (
	ActorToken     = "token"
	ActorOIDC      = "oidc"
	ActorSystem    = "system"
	ActorAnonymous = "anonymous"
)

// System is the actor of the seed and of migrations.
var System = Actor{Type: ActorSystem, ID: "system", Name: "system", Roles: []string{"admin"}}

type ctxKey int

const (
	actorKey ctxKey = iota
	requestIDKey
)

// WithActor returns ctx carrying the caller.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey, a)
}

// ActorFrom returns the caller carried by ctx, or an anonymous actor.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey).(Actor); ok {
		return a
	}
	return Actor{Type: ActorAnonymous}
}

// WithRequestID returns ctx carrying the request id for the change log.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

// RequestIDFrom returns the request id carried by ctx, or "".
func RequestIDFrom(ctx context.Context) string {
	s, _ := ctx.Value(requestIDKey).(string)
	return s
}

type importKey struct{}

// WithImportID returns ctx carrying the id of the bulk import its writes belong to,
// for the change log.
func WithImportID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, importKey{}, id)
}

// ImportIDFrom returns the import id carried by ctx, or "".
func ImportIDFrom(ctx context.Context) string {
	s, _ := ctx.Value(importKey{}).(string)
	return s
}
