package httpapi

import (
	"context"
	"net/http"
)

// headKey marks a request that arrived as HEAD.
type headKey struct{}

// Handler returns the server as an http.Handler. HEAD is answered wherever GET is, as
// net/http's ServeMux does: the request is routed and handled as a GET (same headers,
// same status), and net/http sends no body in answer to a HEAD.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			r = r.WithContext(context.WithValue(r.Context(), headKey{}, true)) // a copy: net/http keeps its HEAD
			r.Method = http.MethodGet
		}
		s.echo.ServeHTTP(w, r)
	})
}

// isHead reports whether r arrived as HEAD (and is answered as a GET).
func isHead(r *http.Request) bool {
	v, _ := r.Context().Value(headKey{}).(bool)
	return v
}
