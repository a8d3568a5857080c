package httpapi

import "github.com/google/uuid"

// isID tells an id from a slug in a path.
func isID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}

// newRequestID makes a request id when the caller sent none.
func newRequestID() string { return uuid.NewString() }
