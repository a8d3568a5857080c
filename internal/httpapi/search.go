package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// searchTypes is coop.SearchTypes as an enum, for checking the types parameter.
var searchTypes = func() coop.Enum {
	e := make(coop.Enum, len(coop.SearchTypes))
	for i, t := range coop.SearchTypes {
		e[i] = coop.Label{Code: t}
	}
	return e
}()

// handleSearch searches partners, cooperations, projects and solutions at once.
//
//	@ID				search
//	@Summary		Suche im ganzen Verzeichnis / search the whole directory
//	@Description	Findet Partner, Kooperationen, Vorhaben und Lösungen, bestes Ergebnis zuerst. Groß- und Kleinschreibung und Umlaute egal (Behoerdennetz findet Behördennetz), Flexionen (Rechenzentrum findet Rechenzentren), Verbformen ihre Substantive (archiviert findet Archivierung, kooperieren Kooperation), Teile von Komposita (Archivierung findet Langzeitarchivierung), Wortanfänge (das letzte Wort darf unvollständig sein), Tippfehler in Wörtern, die so nirgends vorkommen (citek findet citeq, Archivirung Langzeitarchivierung; solche Treffer zählen weniger) und Kennungen von Partnern (AGS, ARS, Leitweg-ID, auch ihr Anfang: 05515 findet die Stadt Münster). Jedes Wort muss vorkommen. Alle Zeichen sind Text, nie Operatoren. Exakte Treffer von Name oder Slug zuerst, dann Treffer im Titel vor solchen nur in der Beschreibung. Weitere Seiten mit `cursor` = `next_cursor`. `total` und `facets` zählen alle Treffer, nicht nur die Seite.
//	@Description	Finds partners, cooperations, projects and solutions, best first: case and umlaut insensitive, German inflections, verb forms find their nouns (archiviert → Archivierung, kooperieren → Kooperation), parts of compounds, word prefixes (search as you type), typing errors in words that occur nowhere as typed (citek → citeq, Archivirung → Langzeitarchivierung; such hits score lower) and partners' identifiers (AGS, ARS, Leitweg-ID, or their start: 05515 finds Stadt Münster). Every word must occur. All characters are text, never operators. Exact name or slug matches first, then title hits before description-only hits. Further pages with `cursor` = `next_cursor`. `total` and `facets` count all matches, not only this page.
//	@Tags			search
//	@Produce		json
//	@Param			q		query		string		true	"search text"	minLength(1)	maxLength(200)	example(Archivierung)
//	@Param			types	query		[]string	false	"kinds of resources, comma separated; default all"	collectionFormat(csv)	Enums(partner, cooperation, project, solution)
//	@Param			limit	query		int			false	"number of hits"	minimum(1)	maximum(100)	default(20)
//	@Param			cursor	query		string		false	"next_cursor of the previous page"	maxLength(1024)
//	@Success		200		{object}	SearchResult
//	@Header			200		{string}	ETag	"weak tag of the answer"
//	@Header			200		{string}	Link	"next page"
//	@Success		304		"not modified"
//	@Failure		400		{object}	Problem
//	@Failure		401		{object}	Problem
//	@Failure		503		{object}	Problem
//	@Failure		429		{object}	Problem
//	@Failure		500		{object}	Problem
//	@Router			/api/v1/search [get]
func (s *Server) handleSearch(c echo.Context) error {
	if err := s.canRead(c); err != nil {
		return err
	}
	q := newQuery(c)
	q.known("q", "types", "limit", "cursor")
	in := coop.SearchQuery{
		Q:      q.searchText(),
		Types:  q.list("types", searchTypes),
		Limit:  q.intRange("limit", coop.SearchDefaultLimit, 1, coop.SearchMaxLimit),
		Cursor: q.str("cursor", 1024),
	}
	if !q.v.Has("q") {
		q.fail("q: fehlt / is required")
	}
	if q.err != nil {
		return q.err
	}
	defer searchTimer()()
	res, err := s.svc.Search(c.Request().Context(), in)
	if err != nil {
		return err
	}
	out := searchOut(res)
	if res.NextCursor != "" {
		out.NextCursor = &res.NextCursor
		c.Response().Header().Set("Link", nextLink(c, res.NextCursor))
	}
	return s.writeCached(c, http.StatusOK, out, "")
}

// SearchResult is a page of a search: hits, the number of all hits and their counts
// by kind, by project status and by project category.
type SearchResult struct {
	// the page's hits, best first
	Items []SearchHit `json:"items"`
	// number of all hits
	Total int64 `json:"total" example:"4"`
	// counts of all hits
	Facets SearchFacets `json:"facets"`
	// pass as cursor for the next page; null on the last page
	NextCursor *string `json:"next_cursor" example:"eyJiIjozLCJzIjowLjc1fQ" extensions:"x-nullable"`
} // @name SearchResult

// SearchHit is one found resource.
type SearchHit struct {
	// kind of resource
	Type string `json:"type" enums:"partner,cooperation,project,solution" example:"project"`
	// id of the resource
	ID string `json:"id" format:"uuid" example:"5b0f3c0e-8c1e-4b8f-9a57-2f0d4c9e1a01"`
	// slug of the resource
	Slug string `json:"slug" example:"dips-kommunal"`
	// name (partners, solutions) or title (cooperations, projects)
	Title string `json:"title" example:"DiPS.kommunal im Stadtarchiv Münster"`
	// HTML: description (or title) around the first match, matched words in <mark>, the rest escaped
	Snippet string `json:"snippet" example:"…Lösung zur elektronischen <mark>Langzeitarchivierung</mark> DiPS.kommunal."`
	// relevance in (0, 1]; 1 = exact name or slug; at most 0.2 for hits of corrected typing errors
	Score float64 `json:"score" minimum:"0" maximum:"1" example:"0.4667"`
} // @name SearchHit

// SearchFacets count all hits; codes without hits are absent.
type SearchFacets struct {
	// hits by kind of resource
	Type map[string]int64 `json:"type" example:"project:1,solution:1,partner:2"`
	// project hits by status
	Status map[string]int64 `json:"status" example:"operational:1"`
	// project hits by category
	Category map[string]int64 `json:"category" example:"archiving:1"`
} // @name SearchFacets

func searchOut(r coop.SearchResult) SearchResult {
	out := SearchResult{Items: make([]SearchHit, len(r.Items)), Total: r.Total,
		Facets: SearchFacets{Type: r.Facets.Type, Status: r.Facets.Status, Category: r.Facets.Category}}
	for i, h := range r.Items {
		out.Items[i] = SearchHit{Type: h.Type, ID: h.ID, Slug: h.Slug, Title: h.Title, Snippet: h.Snippet, Score: h.Score}
	}
	for _, m := range []*map[string]int64{&out.Facets.Type, &out.Facets.Status, &out.Facets.Category} {
		if *m == nil {
			*m = map[string]int64{}
		}
	}
	return out
}
