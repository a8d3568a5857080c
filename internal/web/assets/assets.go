// Package assets holds the static files of the web pages, embedded into the binary:
// the KERN UX design system (kern/, copied from the pinned npm package by go generate,
// never edited by hand) and the directory's own stylesheet (app.css).
package assets

import "embed"

//go:generate go run ./kerncopy

// FS holds kern/, app.css and favicon.svg.
//
//go:embed app.css favicon.svg kern
var FS embed.FS
