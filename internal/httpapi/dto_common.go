package httpapi

import (
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// Ref is a brief reference to another resource.
type Ref struct {
	// server-assigned id
	ID string `json:"id" format:"uuid" example:"0b7c3c4e-8a4f-4d47-9a3e-2f1e5d6c7b8a"`
	// unique slug
	Slug string `json:"slug" example:"stadt-muenster"`
	// name (a project's title)
	Name string `json:"name" example:"Stadt Münster"`
	// the resource's path: follow it without building URLs
	Href string `json:"href" example:"/api/v1/partners/stadt-muenster"`
} // @name Ref

// Source says where a fact comes from.
type Source struct {
	// title of the document
	Title string `json:"title" example:"IT-Kooperation wird vertieft (Pressemitteilung Stadt Münster)" maxLength:"300"`
	// where it can be read
	URL string `json:"url,omitempty" format:"uri" example:"https://www.muenster.de/"`
	// publication date, precision kept
	PublishedOn string `json:"published_on,omitempty" example:"2018-02-07" extensions:"x-pattern=^\\d{4}(-\\d{2}(-\\d{2})?)?$"`
} // @name Source

// The collections brief references point into (the first argument of refOut,
// appendRef): a reference's href is the collection's path and its slug.
const (
	partnersPath     = "/api/v1/partners/"
	cooperationsPath = "/api/v1/cooperations/"
	projectsPath     = "/api/v1/projects/"
	solutionsPath    = "/api/v1/solutions/"
)

// refOut is a brief reference to r in the collection at path (partnersPath …).
func refOut(path string, r coop.Ref) Ref {
	return Ref{ID: r.ID, Slug: r.Slug, Name: r.Name, Href: path + r.Slug}
}

func refPtr(path string, r *coop.Ref) *Ref {
	if r == nil {
		return nil
	}
	x := refOut(path, *r)
	return &x
}

func sourcesOut(list []coop.Source) []Source {
	out := make([]Source, len(list))
	for i, s := range list {
		out[i] = Source{Title: s.Title, URL: s.URL, PublishedOn: s.PublishedOn.String()}
	}
	return out
}

func sourcesIn(list []Source) []coop.SourceDraft {
	out := make([]coop.SourceDraft, len(list))
	for i, s := range list {
		out[i] = coop.SourceDraft{Title: s.Title, URL: s.URL, PublishedOn: s.PublishedOn}
	}
	return out
}

func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

func utc(t time.Time) time.Time { return t.UTC() }

// deref returns *s or "".
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// ptr returns a pointer to s, nil for "".
func ptr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
