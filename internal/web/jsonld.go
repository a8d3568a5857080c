package web

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"html/template"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/opendata"
)

// The detail pages of partners, cooperations and projects carry the resource's
// schema.org JSON-LD in a <script type="application/ld+json"> of their head: the same
// document the API answers to Accept: application/ld+json (package opendata), with the
// same @id under IKZ_PUBLIC_URL (opendata.BaseURL). Browsers do not run a data block,
// but the page's CSP allows no script at all; strict validators then flag the element,
// so the CSP names exactly its text by hash (script-src 'sha256-…'), which allows
// nothing else.

// uris are the open-data URIs for this request.
func (r *request) uris() opendata.URIs {
	return opendata.NewURIs(opendata.BaseURL(r.site.opt.PublicURL, r.c.Request()))
}

// setLD makes doc the page's JSON-LD and adds its hash to the page's CSP.
// encoding/json escapes <, > and & (and U+2028/U+2029), so the text cannot end the
// element; html/template inserts a template.JS as it is.
func (r *request) setLD(doc any) {
	b, err := json.Marshal(doc)
	if err != nil {
		r.site.log.Warn("JSON-LD of a page", "err", err.Error())
		return
	}
	sum := sha256.Sum256(b)
	h := r.c.Response().Header()
	h.Set("Content-Security-Policy", h.Get("Content-Security-Policy")+"; script-src 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
	r.ld = template.JS(b)
}

func (r *request) partnerLD(p coop.Partner)         { r.setLD(opendata.PartnerLD(r.uris(), p)) }
func (r *request) cooperationLD(c coop.Cooperation) { r.setLD(opendata.CooperationLD(r.uris(), c)) }

// projectLD never carries money (opendata.ProjectLD leaves finance out).
func (r *request) projectLD(p coop.Project) { r.setLD(opendata.ProjectLD(r.uris(), p)) }
