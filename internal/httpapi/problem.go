package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// Problem is an RFC 9457 problem detail, the body of every 4xx and 5xx answer.
type Problem struct {
	// URI reference naming the kind of problem
	Type string `json:"type" example:"https://ikz-verzeichnis.de/problems/validation"`
	// short, human-readable summary of the kind of problem
	Title string `json:"title" example:"Validation failed"`
	// HTTP status code
	Status int `json:"status" example:"422"`
	// explanation of this occurrence
	Detail string `json:"detail,omitempty" example:"Die Anfrage verletzt Regeln / the request breaks rules"`
	// the request path
	Instance string `json:"instance,omitempty" example:"/api/v1/partners"`
	// the request id (also in the X-Request-ID header)
	RequestID string `json:"request_id,omitempty" example:"7f1c0a4e9b2d4c1f"`
	// violated rules of a request body (422) or a unique field (409)
	Errors []FieldProblem `json:"errors,omitempty"`
	// allowed target statuses of a refused transition (409); [] from a final status
	Allowed []string `json:"allowed,omitzero" validate:"optional" example:"suspended,completed"`
	// live resources that block a delete (409)
	BlockedBy []BlockerDTO `json:"blocked_by,omitempty"`
} // @name Problem

// FieldProblem names one violated rule of a request body.
type FieldProblem struct {
	// JSON path of the field, e.g. participants[1].partner
	Field string `json:"field" example:"ags"`
	// machine-readable rule, e.g. required, pattern, enum, reference, date, unique
	Code string `json:"code" example:"pattern"`
	// German explanation
	Message string `json:"message" example:"Der AGS besteht aus genau 8 Ziffern, z. B. 05515000"`
} // @name FieldProblem

// BlockerDTO names a live resource that still refers to the one being deleted.
type BlockerDTO struct {
	// kind of the blocking resource
	Type string `json:"type" enums:"partner,cooperation,project,solution" example:"project"`
	// its id
	ID string `json:"id" format:"uuid" example:"9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"`
	// its slug
	Slug string `json:"slug" example:"it-hotline"`
	// its path
	Href string `json:"href" example:"/api/v1/projects/it-hotline"`
} // @name Blocker

var statusOf = map[coop.Code]int{
	coop.EInvalid:       http.StatusBadRequest,
	coop.EValidation:    http.StatusUnprocessableEntity,
	coop.ENotFound:      http.StatusNotFound,
	coop.EConflict:      http.StatusConflict,
	coop.EPrecondition:  http.StatusPreconditionFailed,
	coop.EUnauthorized:  http.StatusUnauthorized,
	coop.EForbidden:     http.StatusForbidden,
	coop.ETooLarge:      http.StatusRequestEntityTooLarge,
	coop.EUnsupported:   http.StatusUnsupportedMediaType,
	coop.ETooMany:       http.StatusTooManyRequests,
	coop.EUnavailable:   http.StatusServiceUnavailable,
	coop.ENotAcceptable: http.StatusNotAcceptable,
	coop.EInternal:      http.StatusInternalServerError,
}

// StatusOf is the HTTP status of an error code (500 for an unknown one); the web
// pages answer with the same statuses as the API.
func StatusOf(code coop.Code) int {
	if st, ok := statusOf[code]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// renderError is the one place where errors become responses. Internal errors are
// logged with the request id and shown as "internal error": never SQL, never a stack.
func (s *Server) renderError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	if s.opt.Web != nil && s.opt.Web.HandleError(err, c) {
		return
	}
	p := Problem{Instance: c.Request().URL.Path, RequestID: c.Response().Header().Get(echo.HeaderXRequestID)}
	var ce *coop.Error
	var he *echo.HTTPError
	switch {
	case errors.As(err, &ce):
		p.Status = statusOf[ce.Code]
		if p.Status == 0 {
			p.Status = http.StatusInternalServerError
		}
		p.Detail = ce.Message
		for _, f := range ce.Fields {
			p.Errors = append(p.Errors, FieldProblem(f))
		}
		if ce.Allowed != nil {
			p.Allowed = append([]string{}, ce.Allowed...)
		}
		for _, b := range ce.BlockedBy {
			p.BlockedBy = append(p.BlockedBy, BlockerDTO{Type: b.Type, ID: b.ID, Slug: b.Slug, Href: "/api/v1/" + b.Type + "s/" + b.Slug})
		}
	case errors.As(err, &he):
		p.Status = he.Code
		if msg, ok := he.Message.(string); ok && he.Code < 500 {
			p.Detail = msg
		}
	default:
		p.Status = http.StatusInternalServerError
	}
	if p.Status >= 500 && p.Status != http.StatusServiceUnavailable {
		s.log.ErrorContext(c.Request().Context(), "internal error", "err", err.Error(),
			"request_id", p.RequestID, "path", p.Instance)
		p.Detail = "internal error"
	}
	p.Title = http.StatusText(p.Status)
	p.Type = "https://ikz-verzeichnis.de/problems/" + problemSlug(p.Status)
	h := c.Response().Header()
	if p.Status == http.StatusServiceUnavailable {
		h.Set("Retry-After", "5")
	}
	if p.Status == http.StatusUnauthorized {
		h.Set("WWW-Authenticate", `Bearer realm="ikz-verzeichnis"`)
	}
	h.Set(echo.HeaderContentType, "application/problem+json")
	h.Del("ETag")
	h.Set("Cache-Control", "no-store")
	c.Response().WriteHeader(p.Status)
	if c.Request().Method == http.MethodHead {
		return
	}
	_ = json.NewEncoder(c.Response()).Encode(p)
}

func problemSlug(status int) string {
	switch status {
	case 400:
		return "bad-request"
	case 401:
		return "unauthorized"
	case 403:
		return "forbidden"
	case 404:
		return "not-found"
	case 409:
		return "conflict"
	case 412:
		return "precondition-failed"
	case 413:
		return "body-too-large"
	case 415:
		return "unsupported-media-type"
	case 422:
		return "validation"
	case 429:
		return "rate-limited"
	case 503:
		return "unavailable"
	}
	return strconv.Itoa(status)
}

// badRequest is a 400 naming what is wrong with the query.
func badRequest(format string, args ...any) error {
	return coop.Errorf(coop.EInvalid, format, args...)
}
