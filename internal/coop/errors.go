// Package coop is the domain of IKZ-Verzeichnis: partners, cooperations, projects,
// solutions, their enumerations, status machines and identifier rules. It imports no
// other package of the project, no GORM and no Echo.
package coop

import (
	"errors"
	"fmt"
)

// Code classifies an Error. The HTTP layer maps each code to one status in one place.
type Code string

// The closed set of error codes.
const (
	EInvalid       Code = "invalid"        // the request is malformed (400)
	EValidation    Code = "validation"     // a body breaks a rule; Fields say which (422)
	ENotFound      Code = "not_found"      // no such resource, or deleted (404)
	EConflict      Code = "conflict"       // duplicate slug, blocking reference, refused transition (409)
	EPrecondition  Code = "precondition"   // If-Match is stale (412)
	EUnauthorized  Code = "unauthorized"   // no or bad credentials (401)
	EForbidden     Code = "forbidden"      // valid credentials without the right (403)
	ETooLarge      Code = "too_large"      // body over the limit (413)
	EUnsupported   Code = "unsupported"    // wrong media type (415)
	ETooMany       Code = "too_many"       // rate limit (429)
	EUnavailable   Code = "unavailable"    // database unreachable (503)
	EInternal      Code = "internal"       // anything else (500); never shown in detail
	ENotAcceptable Code = "not_acceptable" // unsupported format requested (406)
)

// FieldError names one violated rule of a request body, by its JSON path.
type FieldError struct {
	Field   string
	Code    string
	Message string
}

// Error is the one error type of the domain. Message is safe to show to a caller.
//
// The message policy: Message says it in German, then " / ", then in English (the
// API's problem detail; TestProblemMessagesBilingual in internal/httpapi keeps it);
// a FieldError's Message is German and its Code the machine-readable rule a client
// words itself; the web pages translate what they show into the page's language.
type Error struct {
	Code    Code
	Message string
	Fields  []FieldError
	// Allowed are the statuses a refused transition could move to: not nil on a refused
	// transition, empty from a final status.
	Allowed []string
	// BlockedBy names the live resources that still refer to one a delete was refused for.
	BlockedBy []Blocker
}

// Blocker names a live resource that still refers to the one being deleted.
type Blocker struct {
	Type string // partner, cooperation, project or solution
	ID   string
	Slug string
}

func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		return fmt.Sprintf("%s: %s (%d field errors)", e.Code, e.Message, len(e.Fields))
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err if it is (or wraps) an *Error, else EInternal.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// Violations collects field errors of one request; Err returns them as one 422 or nil.
type Violations []FieldError

// Add records that field breaks rule code.
func (v *Violations) Add(field, code, format string, args ...any) {
	*v = append(*v, FieldError{Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
}

// Err is nil without violations, else an EValidation *Error carrying all of them.
func (v Violations) Err() error {
	if len(v) == 0 {
		return nil
	}
	return &Error{Code: EValidation, Message: "Die Anfrage verletzt Regeln / the request breaks rules", Fields: v}
}
