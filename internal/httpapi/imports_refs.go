package httpapi

import (
	"context"
	"strings"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// importRefs resolves the partners and cooperations a table names as the export
// writes them — by name — or by slug or id; the live ones are read once, in the
// import's transaction, and the rows' own creations are added as they come. A name
// two partners share stays as written (the API then says it is unknown).
type importRefs struct {
	ctx          context.Context
	svc          Services
	loaded       bool
	err          error
	partnerSlugs map[string]bool
	partnerNames map[string]string // folded name → slug ("" when ambiguous)
	coopSlugs    map[string]bool
	coopNames    map[string]string
}

func foldName(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

func (r *importRefs) load() {
	if r.loaded {
		return
	}
	r.loaded = true
	r.partnerSlugs, r.partnerNames = map[string]bool{}, map[string]string{}
	r.coopSlugs, r.coopNames = map[string]bool{}, map[string]string{}
	page := coop.Page{Limit: 500}
	for {
		res, err := r.svc.FindPartners(r.ctx, coop.PartnerFilter{Page: page})
		if err != nil {
			r.err = err
			return
		}
		for _, p := range res.Items {
			r.addPartner(p.Slug, p.Name)
		}
		if page.Cursor = res.NextCursor; page.Cursor == "" {
			break
		}
	}
	page = coop.Page{Limit: 500}
	for {
		res, err := r.svc.FindCooperations(r.ctx, coop.CooperationFilter{Page: page})
		if err != nil {
			r.err = err
			return
		}
		for _, c := range res.Items {
			r.addCooperation(c.Slug, c.Title)
		}
		if page.Cursor = res.NextCursor; page.Cursor == "" {
			break
		}
	}
}

func addName(names map[string]string, name, slug string) {
	k := foldName(name)
	if k == "" {
		return
	}
	if old, ok := names[k]; ok && old != slug {
		names[k] = ""
		return
	}
	names[k] = slug
}

func (r *importRefs) addPartner(slug, name string) {
	r.partnerSlugs[slug] = true
	addName(r.partnerNames, name, slug)
}

func (r *importRefs) addCooperation(slug, title string) {
	r.coopSlugs[slug] = true
	addName(r.coopNames, title, slug)
}

// created notes a resource a row creates or renames (before it is written: its
// create may wait for the chunk's others).
func (r *importRefs) created(typ, slug string, patch map[string]any) {
	switch typ {
	case coop.TypePartner:
		r.load()
		name, _ := patch["name"].(string)
		r.addPartner(slug, name)
	case coop.TypeCooperation:
		r.load()
		title, _ := patch["title"].(string)
		r.addCooperation(slug, title)
	}
}

func resolve(s string, slugs map[string]bool, names map[string]string) string {
	if slugs[s] {
		return s
	}
	if slug := names[foldName(s)]; slug != "" {
		return slug
	}
	return s
}

func (r *importRefs) partner(s string) string {
	r.load()
	return resolve(s, r.partnerSlugs, r.partnerNames)
}

func (r *importRefs) cooperation(s string) string {
	r.load()
	return resolve(s, r.coopSlugs, r.coopNames)
}
