package store

import (
	"cmp"
	"context"
	"database/sql"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// DataStamp returns the data version (see searchcache.go) and when it last moved (the
// wall-clock time of the newest write, migration 00013), read on the primary from the
// one row of data_version, whatever the size of the directory.
func (db *DB) DataStamp(ctx context.Context) (coop.DataStamp, error) {
	db.statements.Add(1)
	var st coop.DataStamp
	var at sql.NullTime
	if err := db.sql.QueryRowContext(ctx, "SELECT id, changed_at FROM data_version").Scan(&st.Version, &at); err != nil {
		return coop.DataStamp{}, translate(err)
	}
	if at.Valid {
		st.At = at.Time.UTC()
	}
	return st, nil
}

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
			WHERE m.partner_id = pa.id AND c.deleted_at IS NULL)`
	participantPartnersSQL = `SELECT pa.id FROM partners pa
		WHERE pa.deleted_at IS NULL AND (pa.ars <> '' OR pa.ags <> '') AND EXISTS (
			SELECT 1 FROM project_participants pp JOIN projects p ON p.id = pp.project_id
			WHERE pp.partner_id = pa.id AND p.deleted_at IS NULL)`
	cooperationStartSQL = `SELECT started_on FROM cooperations
		WHERE deleted_at IS NULL AND started_on_key <> '' ORDER BY started_on_key, id LIMIT 1`
	cooperationEndsSQL = `SELECT DISTINCT ended_on FROM cooperations WHERE deleted_at IS NULL AND ended_on <> ''`
	projectStartSQL    = `SELECT started_on FROM projects
		WHERE deleted_at IS NULL AND started_on_key <> '' ORDER BY started_on_key, id LIMIT 1`
	projectEndsSQL = `SELECT DISTINCT ended_on, planned_end_on FROM projects
		WHERE deleted_at IS NULL AND (ended_on <> '' OR planned_end_on <> '')`
)

// OpenDataFacts reads the keys of the partners that have one, which of them take part
// in live cooperations and projects, and the periods these cover, in seven queries.
func (db *DB) OpenDataFacts(ctx context.Context) (coop.OpenDataFacts, error) {
	conn := db.gorm.WithContext(ctx)
	var f coop.OpenDataFacts
	db.statements.Add(7)
	if err := conn.Raw(partnerKeysSQL).Scan(&f.Keys).Error; err != nil {
		return f, translate(err)
	}
	if err := conn.Raw(memberPartnersSQL).Scan(&f.CooperationPartners).Error; err != nil {
		return f, translate(err)
	}
	if err := conn.Raw(participantPartnersSQL).Scan(&f.ProjectPartners).Error; err != nil {
		return f, translate(err)
	}
	var err error
	if f.Cooperations, err = period(conn.Raw(cooperationStartSQL), conn.Raw(cooperationEndsSQL)); err != nil {
		return f, err
	}
	if f.Projects, err = period(conn.Raw(projectStartSQL), nil); err != nil {
		return f, err
	}
	// a project ends when it ended, else when it is planned to
	var ends []struct{ EndedOn, PlannedEndOn string }
	if err := conn.Raw(projectEndsSQL).Scan(&ends).Error; err != nil {
		return f, translate(err)
	}
	for _, e := range ends {
		f.Projects.To = later(f.Projects.To, cmp.Or(e.EndedOn, e.PlannedEndOn))
	}
	return f, nil
}

// period reads a collection's earliest start (by the index on its day key) and, of its
// distinct end dates, the one that ends last ("2017" ends after "2017-05").
func period(start, ends *gorm.DB) (coop.DateSpan, error) {
	var p coop.DateSpan
	var first []string
	if err := start.Scan(&first).Error; err != nil {
		return p, translate(err)
	}
	if len(first) == 1 {
		p.From, _ = coop.ParsePartialDate(first[0])
	}
	if ends == nil {
		return p, nil
	}
	var list []string
	if err := ends.Scan(&list).Error; err != nil {
		return p, translate(err)
	}
	for _, s := range list {
		p.To = later(p.To, s)
	}
	return p, nil
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
