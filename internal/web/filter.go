package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// projectQuery is the project list's query as the URL holds it: the API's parameter
// names, so that the page's "als JSON" link is the same query against the API. Multi
// values may come repeated (checkboxes) or comma separated (the API's form).
type projectQuery struct {
	Statuses   []string
	Categories []string
	Partners   []string
	FromYear   string
	ToYear     string
	Q          string
	Sort       string
	Cursor     string
	Errors     map[string]string // field → message, shown at the filter
}

// pageSize is the number of projects a list page shows.
const pageSize = 25

// sortOptions are the orders the list offers, as API sort values.
var sortOptions = []struct{ Value, Label string }{
	{"title", "Titel (A–Z)"},
	{"-started_on,title", "Beginn (neueste zuerst)"},
	{"started_on,title", "Beginn (älteste zuerst)"},
	{"-updated_at", "Zuletzt geändert"},
	{"status,title", "Status"},
	{"category,title", "Kategorie"},
}

func multi(q url.Values, name string) []string {
	var out []string
	for _, v := range q[name] {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) && len(out) < 50 {
				out = append(out, s)
			}
		}
	}
	return out
}

// parseProjectQuery reads the list's URL; unknown codes and bad years are reported at
// their field, as the API would refuse them.
func parseProjectQuery(q url.Values, t func(string) string) projectQuery {
	pq := projectQuery{
		Statuses: multi(q, "status"), Categories: multi(q, "category"), Partners: multi(q, "partner"),
		Q: strings.TrimSpace(q.Get("q")), Sort: q.Get("sort"), Cursor: q.Get("cursor"),
		Errors: map[string]string{},
	}
	pq.FromYear, pq.ToYear = yearOf(q.Get("started_from")), yearOf(q.Get("started_to"))
	for _, s := range pq.Statuses {
		if !coop.ProjectStatuses.Has(s) {
			pq.Errors["status"] = t("Unbekannter Status") + ": " + s
		}
	}
	for _, s := range pq.Categories {
		if !coop.ProjectCategories.Has(s) {
			pq.Errors["category"] = t("Unbekannte Kategorie") + ": " + s
		}
	}
	for name, y := range map[string]string{"started_from": pq.FromYear, "started_to": pq.ToYear} {
		if n, err := strconv.Atoi(y); y != "" && (err != nil || n < 1000 || n > 9999) {
			pq.Errors[name] = t("Bitte ein Jahr mit vier Ziffern angeben, z. B. 2016")
		}
	}
	if pq.FromYear != "" && pq.ToYear != "" && pq.ToYear < pq.FromYear && pq.Errors["started_to"] == "" {
		pq.Errors["started_to"] = t("Das Jahr „bis“ liegt vor dem Jahr „von“")
	}
	if len([]rune(pq.Q)) > 200 {
		pq.Errors["q"] = t("Höchstens 200 Zeichen")
	}
	if !slices.ContainsFunc(sortOptions, func(o struct{ Value, Label string }) bool { return o.Value == pq.Sort }) {
		pq.Sort = ""
	}
	if len(pq.Cursor) > 2048 {
		pq.Cursor = ""
	}
	return pq
}

// yearOf accepts a year or a partial date and keeps what a year field shows.
func yearOf(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 4 && s[4] == '-' {
		return s[:4]
	}
	return s
}

// filter is the coop filter of the query.
func (pq projectQuery) filter(limit int) coop.ProjectFilter {
	f := coop.ProjectFilter{
		Page:     coop.Page{Limit: limit, Cursor: pq.Cursor},
		Statuses: pq.Statuses, Categories: pq.Categories, Partners: pq.Partners, Q: pq.Q,
	}
	if pq.FromYear != "" {
		f.StartedFrom, _ = coop.ParsePartialDate(pq.FromYear)
	}
	if pq.ToYear != "" {
		f.StartedTo, _ = coop.ParsePartialDate(pq.ToYear)
	}
	for _, k := range strings.Split(pq.Sort, ",") {
		if k == "" {
			continue
		}
		desc := strings.HasPrefix(k, "-")
		f.Sort = append(f.Sort, coop.SortKey{Field: strings.TrimPrefix(k, "-"), Desc: desc})
	}
	return f
}

// values renders the query in the API's form (comma-separated multi values), without
// the cursor: the base of the page's links and of the API links.
func (pq projectQuery) values() url.Values {
	v := url.Values{}
	set := func(k string, list []string) {
		if len(list) > 0 {
			v.Set(k, strings.Join(list, ","))
		}
	}
	set("status", pq.Statuses)
	set("category", pq.Categories)
	set("partner", pq.Partners)
	if pq.FromYear != "" {
		v.Set("started_from", pq.FromYear)
	}
	if pq.ToYear != "" {
		v.Set("started_to", pq.ToYear)
	}
	if pq.Q != "" {
		v.Set("q", pq.Q)
	}
	if pq.Sort != "" {
		v.Set("sort", pq.Sort)
	}
	return v
}

// filterValues is values without the sort (for stats and exports, which do not sort).
func (pq projectQuery) filterValues() url.Values {
	v := pq.values()
	v.Del("sort")
	return v
}

// Has reports whether a multi-valued filter holds code (for checked boxes).
func (pq projectQuery) Has(name, code string) bool {
	switch name {
	case "status":
		return slices.Contains(pq.Statuses, code)
	case "category":
		return slices.Contains(pq.Categories, code)
	case "partner":
		return slices.Contains(pq.Partners, code)
	}
	return false
}

// Active reports whether any filter is set.
func (pq projectQuery) Active() bool {
	return len(pq.Statuses)+len(pq.Categories)+len(pq.Partners) > 0 || pq.FromYear != "" || pq.ToYear != "" || pq.Q != ""
}
