package store

import (
	"context"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/search"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/sqldb"
)

// The store's side of search (package search): every write of a partner,
// cooperation, project or solution calls writeSearch in its transaction, the lists'
// q filter is search's Filter, and Search answers coop.SearchService.

// newSearch makes the search engine over the store's pools: reads go where the
// store's reads go (sqldb.DB.ReadPool), the data version is read on the primary.
// Within a batch or a pinned connection (the statistics' cache, stats_cache.go) the
// search reads on that connection: it sees the batch's writes, and a caller holding
// a connection never waits for a second one (enough such callers at once would hold
// the whole pool and wait for each other).
func (b *base) newSearch(cacheEntries int) error {
	e, err := search.New(search.Config{Dialect: string(b.core.Dialect()), Primary: b.primary(), CacheEntries: cacheEntries,
		Read: func(ctx context.Context) search.Conn {
			if tx := batchTx(ctx); tx != nil {
				if conn, ok := tx.Statement.ConnPool.(search.Conn); ok {
					return conn
				}
			}
			return b.core.ReadPool(ctx)
		}})
	if err != nil {
		return err
	}
	b.search = e
	return nil
}

// SetSearchCache sets the number of answers the search's result cache keeps (0
// turns it off) and empties it. Call it before the store serves requests.
func (s *SearchService) SetSearchCache(entries int) error { return s.newSearch(entries) }

// SearchStats tells what the search did since the store was opened (or its cache
// was set).
func (s *SearchService) SearchStats() search.Stats { return s.search.Stats() }

// SearchCacheStats returns how many searches the result cache answered and how many
// ran their query.
func (s *SearchService) SearchCacheStats() (hits, misses uint64) {
	st := s.search.Stats()
	return st.CacheHits, st.CacheMisses
}

// Search finds live resources across kinds, ranked; see coop.SearchService.
func (s *SearchService) Search(ctx context.Context, q coop.SearchQuery) (coop.SearchResult, error) {
	res, err := s.search.Search(ctx, q)
	return res, translate(err)
}

// writeSearch writes the search document of a resource in the write's transaction
// from what it contributes (resource.search: the resource as the write left it).
func (b *base) writeSearch(tx *gorm.DB, r search.Resource) error {
	return b.search.Write(tx.Statement.Context, tx.Statement.ConnPool, r)
}

// What each live resource contributes to its search document, as resources.sql of
// internal/search reads it from the rows (resource.search); TestSearchDocumentOfAWrite
// holds both to the same documents.
func partnerSearch(p coop.Partner) search.Resource {
	return search.Resource{Type: coop.TypePartner, ID: p.ID, Slug: p.Slug, Live: true, Title: p.Name,
		ShortName: p.ShortName, Description: p.Description, City: p.Address.City, AGS: p.AGS, ARS: p.ARS,
		LeitwegID: p.LeitwegID, LegalBasis: "[]", TagList: "[]"}
}

func cooperationSearch(c coop.Cooperation) search.Resource {
	return search.Resource{Type: coop.TypeCooperation, ID: c.ID, Slug: c.Slug, Live: true, Title: c.Title,
		Description: c.Description, LegalBasis: jsonText(c.LegalBasis), TagList: "[]"}
}

func projectSearch(p coop.Project) search.Resource {
	return search.Resource{Type: coop.TypeProject, ID: p.ID, Slug: p.Slug, Live: true, Status: &p.Status,
		Category: &p.Category, Title: p.Title, Description: p.Description, LegalBasis: "[]", TagList: jsonText(p.Tags)}
}

func solutionSearch(s coop.Solution) search.Resource {
	return search.Resource{Type: coop.TypeSolution, ID: s.ID, Slug: s.Slug, Live: true, Title: s.Name,
		Description: s.Description, LegalBasis: "[]", TagList: "[]"}
}

// searchFilter restricts q (whose table has the given alias) to resources of typ
// that text finds; the list keeps its own order, count and cursor.
func (b *base) searchFilter(ctx context.Context, q *sqldb.Query, typ, alias, text string) error {
	if text == "" {
		return nil
	}
	sub, args, err := b.search.Filter(ctx, typ, text)
	if err != nil {
		return translate(err)
	}
	q.Where(alias+".id IN ("+sub+")", args...)
	return nil
}

// reindexSearch writes the search document of every resource without a current one
// (search.DocVersion), each batch in a write transaction of its own that excludes
// every other write (exclusiveTx), also of other instances.
func (b *base) reindexSearch(ctx context.Context) (int, error) {
	return b.search.Reindex(ctx, func(ctx context.Context, fn func(tx search.Conn) error) error {
		return b.exclusiveTx(ctx, func(tx *gorm.DB) error { return fn(tx.Statement.ConnPool) })
	})
}
