package store

import (
	"context"
	"encoding/json"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/sqldb"
)

// The bulk import's entry points (internal/httpapi/imports_apply.go). The import runs
// in a batch (batch.go) and applies a file chunk by chunk: one statement tells which
// of a chunk's slugs are live (LiveSlugs), the new resources of a chunk are created
// by one call of the BulkLoader (multi-row INSERTs, search documents and change-log
// records in bulk, at one time), and only rows that change an existing resource go
// through the update path one by one. A created record is checked as its Create…
// method checks it; RecordErrors names every refused record, and then nothing of
// the call is written.

// importTables are the tables of the resource types an import writes.
var importTables = map[string]string{
	coop.TypePartner: "partners", coop.TypeCooperation: "cooperations", coop.TypeProject: "projects",
}

// LiveSlugs answers which of slugs name live resources of typ (partner, cooperation,
// project), in one statement per 10,000 slugs.
func (db *DB) LiveSlugs(ctx context.Context, typ string, slugs []string) (map[string]bool, error) {
	table, ok := importTables[typ]
	if !ok {
		return nil, coop.Errorf(coop.EInvalid, "unbekannter Ressourcentyp %q / unknown resource type %[1]q", typ)
	}
	out := make(map[string]bool, len(slugs))
	err := db.session(ctx, func(q *gorm.DB) error {
		for rest := slugs; len(rest) > 0; {
			n := min(len(rest), 10000)
			var hits []string
			var err error
			if db.Dialect() == sqldb.Postgres {
				err = q.Raw(liveSlugsPostgres(table), jsonStrings(rest[:n])).Scan(&hits).Error
			} else {
				err = q.Table(table).Where("deleted_at IS NULL AND slug IN ?", rest[:n]).Pluck("slug", &hits).Error
			}
			if err != nil {
				return err
			}
			for _, h := range hits {
				out[h] = true
			}
			rest = rest[n:]
		}
		return nil
	})
	return out, err
}

// liveSlugsPostgres asks for the live slugs of a JSON array of slugs, each with one
// probe of the table's unique index of live slugs. PostgreSQL planned the plain
// "slug IN (…)" badly where it counts most: in an import's one transaction on a table
// it has no statistics of yet (a fresh database), it read every live row through
// another partial index for every chunk, so 100,000 rows took quadratic time
// (BENCHMARKS.md, "Bulk import"). A correlated scalar subquery is never turned into
// a join: it stays one index lookup per slug, whatever the planner believes.
func liveSlugsPostgres(table string) string {
	return `SELECT s.slug FROM jsonb_array_elements_text(?::jsonb) AS s(slug)
 WHERE (SELECT true FROM ` + table + ` t WHERE t.slug = s.slug AND t.deleted_at IS NULL) IS NOT NULL`
}

// jsonStrings is list as a JSON array.
func jsonStrings(list []string) string {
	b, _ := json.Marshal(list) // strings always marshal
	return string(b)
}

// CreatePartners creates new partners (a parent before its children) as one write at
// one time; see RecordErrors for refused ones.
func (db *DB) CreatePartners(ctx context.Context, ds []coop.PartnerDraft) error {
	recs := make([]BulkPartner, len(ds))
	at := db.now()
	for i, d := range ds {
		recs[i] = BulkPartner{Draft: d, At: at}
	}
	_, err := db.NewBulkLoader().Partners(ctx, recs)
	return err
}

// CreateCooperations creates new cooperations as one write at one time.
func (db *DB) CreateCooperations(ctx context.Context, ds []coop.CooperationDraft) error {
	recs := make([]BulkCooperation, len(ds))
	at := db.now()
	for i, d := range ds {
		recs[i] = BulkCooperation{Draft: d, At: at}
	}
	_, err := db.NewBulkLoader().Cooperations(ctx, recs)
	return err
}

// CreateProjects creates new projects as one write at one time.
func (db *DB) CreateProjects(ctx context.Context, ds []coop.ProjectDraft) error {
	recs := make([]BulkProject, len(ds))
	at := db.now()
	for i, d := range ds {
		recs[i] = BulkProject{Draft: d, At: at}
	}
	_, err := db.NewBulkLoader().Projects(ctx, recs)
	return err
}
