package store

import (
	"cmp"
	"context"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/sqldb"
)

// DataStamp returns the data version (the number of writes so far, continuing from
// the newest change id before migration 00021) and when it last moved (the wall-clock
// time of the newest write, migration 00013), read on the primary from the rows of
// data_versions (16 on PostgreSQL, one on SQLite), whatever the size of the directory.
func (db *DB) DataStamp(ctx context.Context) (coop.DataStamp, error) {
	var st coop.DataStamp
	var at *time.Time
	err := db.read(coop.WithFreshReads(ctx), func(x sqldb.Executor) error {
		_, err := sqldb.QueryRow(ctx, x, sqldb.Raw(dataStampSQL), &st.Version, &at)
		return err
	})
	if err != nil {
		return coop.DataStamp{}, err
	}
	if at != nil {
		st.At = at.UTC()
	}
	return st, nil
}

// dataStampSQL reads the data version (the sum of its rows, which writers add to in
// parallel) and its newest time (a column, not an aggregate: SQLite keeps the type of
// a column only).
const dataStampSQL = `SELECT (` + dataVersionSQL + `), changed_at
 FROM data_versions ORDER BY changed_at DESC NULLS LAST LIMIT 1`

// dataVersionSQL reads the data version alone.
const dataVersionSQL = `SELECT CAST(SUM(n) AS bigint) FROM data_versions`

// The open-data catalogue's facts, as aggregates whose answers grow with the partners
// and the distinct dates, not with the projects. Each is an index walk: the partners
// with a key, each asked once whether a live cooperation or project names it (index
// on the partner's participations, stopping at the first live one); the earliest start
// by the index on started_on_key; the distinct ends from a covering index (migration
// 00013). A pass over 100,000 projects with their participants through EachProject
// takes seconds on SQLite; these take milliseconds.
const (
	partnerKeysSQL = `SELECT id, type, ars, ags FROM partners
		WHERE deleted_at IS NULL AND (ars <> '' OR ags <> '') ORDER BY id`
	memberPartnersSQL = `SELECT pa.id FROM partners pa
		WHERE pa.deleted_at IS NULL AND (pa.ars <> '' OR pa.ags <> '') AND EXISTS (
			SELECT 1 FROM cooperation_members m JOIN cooperations c ON c.id = m.cooperation_id
			WHERE m.partner_id = pa.id AND c.deleted_at IS NULL)
		ORDER BY pa.id`
	participantPartnersSQL = `SELECT pa.id FROM partners pa
		WHERE pa.deleted_at IS NULL AND (pa.ars <> '' OR pa.ags <> '') AND EXISTS (
			SELECT 1 FROM project_participants pp JOIN projects p ON p.id = pp.project_id
			WHERE pp.partner_id = pa.id AND p.deleted_at IS NULL)
		ORDER BY pa.id`
	cooperationStartSQL = `SELECT started_on FROM cooperations
		WHERE deleted_at IS NULL AND started_on_key <> '' ORDER BY started_on_key, id LIMIT 1`
	cooperationEndsSQL = `SELECT DISTINCT ended_on, '' FROM cooperations WHERE deleted_at IS NULL AND ended_on <> ''`
	projectStartSQL    = `SELECT started_on FROM projects
		WHERE deleted_at IS NULL AND started_on_key <> '' ORDER BY started_on_key, id LIMIT 1`
	projectEndsSQL = `SELECT DISTINCT ended_on, planned_end_on FROM projects
		WHERE deleted_at IS NULL AND (ended_on <> '' OR planned_end_on <> '')`
)

// OpenDataFacts reads the keys of the partners that have one, which of them take part
// in live cooperations and projects, and the periods these cover, in seven queries on
// the primary (the catalogue is kept under the data version read there).
func (db *DB) OpenDataFacts(ctx context.Context) (coop.OpenDataFacts, error) {
	var f coop.OpenDataFacts
	ids := func(s *string) []any { return []any{s} }
	err := db.read(coop.WithFreshReads(ctx), func(x sqldb.Executor) error {
		var err error
		if f.Keys, err = sqldb.ReadAll(ctx, x, sqldb.Raw(partnerKeysSQL), func(k *coop.PartnerKey) []any {
			return []any{&k.ID, &k.Type, &k.ARS, &k.AGS}
		}); err != nil {
			return err
		}
		if f.CooperationPartners, err = sqldb.ReadAll(ctx, x, sqldb.Raw(memberPartnersSQL), ids); err != nil {
			return err
		}
		if f.ProjectPartners, err = sqldb.ReadAll(ctx, x, sqldb.Raw(participantPartnersSQL), ids); err != nil {
			return err
		}
		if f.Cooperations, err = span(ctx, x, cooperationStartSQL, cooperationEndsSQL); err != nil {
			return err
		}
		f.Projects, err = span(ctx, x, projectStartSQL, projectEndsSQL)
		return err
	})
	return f, err
}

// span reads a collection's earliest start (by the index on its day key) and, of its
// distinct ends (a record ends when it ended, else when it is planned to), the one
// that ends last ("2017" ends after "2017-05").
func span(ctx context.Context, x sqldb.Executor, startSQL, endsSQL string) (coop.DateSpan, error) {
	var d coop.DateSpan
	var first string
	found, err := sqldb.QueryRow(ctx, x, sqldb.Raw(startSQL), &first)
	if err != nil {
		return d, err
	}
	if found {
		d.From, _ = coop.ParsePartialDate(first)
	}
	ends, err := sqldb.ReadAll(ctx, x, sqldb.Raw(endsSQL), func(e *[2]string) []any { return []any{&e[0], &e[1]} })
	for _, e := range ends {
		d.To = later(d.To, cmp.Or(e[0], e[1]))
	}
	return d, err
}

// later returns whichever of d and the partial date s ends later.
func later(d coop.PartialDate, s string) coop.PartialDate {
	e, err := coop.ParsePartialDate(s)
	if err != nil || (!d.IsZero() && !d.End().Before(e.End())) {
		return d
	}
	return e
}

var _ coop.OpenDataService = (*DB)(nil)
