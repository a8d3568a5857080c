package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// reindexSearch writes the search document of every resource that has none or one of
// an older searchDocVersion, soft-deleted ones included (a restore needs no reindex).
//
// Migration 00002 creates the search tables but cannot fill them: the documents are
// computed in Go (package textsearch). Migrate therefore calls reindexSearch after the
// SQL migrations — on a database from before search that indexes every existing row
// once; afterwards each start finds nothing to do (an anti-join on indexed keys). It is
// idempotent, and a version bump of searchDocVersion rebuilds all documents the same
// way. Each batch is one write transaction (db.tx), so it serialises with concurrent
// writes of another replica and never overwrites a newer document with an older text.
func (db *DB) reindexSearch(ctx context.Context) (int, error) {
	total := 0
	for _, typ := range coop.SearchTypes {
		after := ""
		for {
			n, last, err := db.reindexBatch(ctx, typ, after, reindexBatchSize)
			if err != nil {
				return total, fmt.Errorf("reindex %s search documents: %w", typ, err)
			}
			total += n
			if n < reindexBatchSize {
				break
			}
			after = last
		}
	}
	return total, nil
}

const reindexBatchSize = 1000

// reindexRow holds every column any resource's searchText is built from, and its
// searchState.
type reindexRow struct {
	State                                                    searchState `gorm:"embedded"`
	ID, Name, ShortName, Description, City, LegalBasis, Tags string
}

// reindexSelect reads, per type, the columns of reindexRow (empty where a type has
// none).
var reindexSelect = map[string]string{
	coop.TypePartner:     "x.id, x.name, x.short_name, x.description, x.city, '' AS legal_basis, '' AS tags",
	coop.TypeCooperation: "x.id, x.title AS name, '' AS short_name, x.description, '' AS city, x.legal_basis, '' AS tags",
	coop.TypeProject:     "x.id, x.title AS name, '' AS short_name, x.description, '' AS city, '' AS legal_basis, x.tags",
	coop.TypeSolution:    "x.id, x.name, '' AS short_name, x.description, '' AS city, '' AS legal_basis, '' AS tags",
}

// reindexText builds a row's searchText with the same function its writes use, from a
// draft holding the fields that function reads.
func reindexText(typ string, r reindexRow) searchText {
	switch typ {
	case coop.TypePartner:
		return partnerSearchText(coop.PartnerDraft{Name: r.Name, ShortName: r.ShortName, Slug: r.State.Slug,
			Description: r.Description, Address: coop.Address{City: r.City}})
	case coop.TypeCooperation:
		return cooperationSearchText(coop.CooperationDraft{Title: r.Name, Slug: r.State.Slug,
			Description: r.Description, LegalBasis: fromJSONText[string](r.LegalBasis)})
	case coop.TypeProject:
		return projectSearchText(coop.ProjectDraft{Title: r.Name, Slug: r.State.Slug,
			Description: r.Description, Tags: fromJSONText[string](r.Tags)})
	default:
		return solutionSearchText(coop.SolutionDraft{Name: r.Name, Slug: r.State.Slug, Description: r.Description})
	}
}

// reindexBatch indexes up to n resources of typ with an id above after that lack a
// current document; it returns how many it indexed and the last id.
func (db *DB) reindexBatch(ctx context.Context, typ, after string, n int) (int, string, error) {
	st := searchTables[typ]
	var (
		done int
		last string
	)
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var rows []reindexRow
		q := tx.Table(st.table+" x").Select(reindexSelect[typ]+", x."+st.state).Where(`NOT EXISTS (SELECT 1 FROM search_documents d
 WHERE d.resource_type = ? AND d.resource_id = x.id AND d.doc_version >= ?)`, typ, searchDocVersion)
		if after != "" {
			q = q.Where("x.id > ?", after)
		}
		if err := q.Order("x.id").Limit(n).Scan(&rows).Error; err != nil {
			return err
		}
		if len(rows) > 0 {
			last = rows[len(rows)-1].ID
		}
		docs := make([]searchDoc, len(rows))
		for i, r := range rows {
			docs[i] = newSearchDoc(typ, r.ID, r.State, reindexText(typ, r))
		}
		done = len(rows)
		return db.writeSearchDocs(tx, docs)
	})
	return done, last, err
}
