package coop

import "context"

// freshKey marks a context whose reads must see the latest committed data.
type freshKey struct{}

// WithFreshReads returns ctx marked so that every read made with it sees the latest
// committed data — the caller's own writes included. With read replicas configured,
// the store serves such reads from the primary database instead of a replica that may
// lag behind. The HTTP layer marks every request that changes something, so that the
// reads before and after its write (the current version for If-Match, the answer)
// never come from a replica.
func WithFreshReads(ctx context.Context) context.Context {
	return context.WithValue(ctx, freshKey{}, true)
}

// FreshReads reports whether ctx was marked by WithFreshReads.
func FreshReads(ctx context.Context) bool {
	b, _ := ctx.Value(freshKey{}).(bool)
	return b
}
