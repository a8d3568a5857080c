package store

import (
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/sqldb"
)

// References: a client names a resource by id or by slug, in paths, in list filters
// and in the references of a draft. These helpers tell the two apart and resolve
// them, in the order a request needs them.

// isUUID tells whether ref is an id rather than a slug.
func isUUID(ref string) bool {
	_, err := uuid.Parse(ref)
	return err == nil && len(ref) == 36
}

// refWhere returns the condition that finds ref (id or slug) in a table alias.
func refWhere(alias, ref string) (string, any) {
	if isUUID(ref) {
		return alias + ".id = ?", ref
	}
	return alias + ".slug = ?", ref
}

// splitRefs separates ids from slugs (an empty list becomes a never-matching one).
func splitRefs(refs []string) (ids, slugs []string) {
	for _, r := range refs {
		if isUUID(r) {
			ids = append(ids, r)
		} else {
			slugs = append(slugs, r)
		}
	}
	if len(ids) == 0 {
		ids = []string{"00000000-0000-0000-0000-000000000000"}
	}
	if len(slugs) == 0 {
		slugs = []string{""}
	}
	return ids, slugs
}

// Writes run in parallel (store.go: tx), so what a write checks of other resources
// must stay true until it commits. On PostgreSQL a write locks the live rows it
// refers to (FOR KEY SHARE: they stay, and stay live, but may change otherwise), and
// a delete locks its row (FOR UPDATE, which waits for those writes) before it asks
// whether anything still refers to it; a locking read that waited reads the row as
// the other write left it. SQLite runs one write at a time and needs none of it.

// Lock strengths of lockRows.
const (
	keyShare = "KEY SHARE" // the row stays and stays live (its referrers)
	share    = "SHARE"     // the row does not change at all (partner ancestry)
)

// lockRows makes q's rows locked with strength until the write commits (PostgreSQL).
func lockRows(q *gorm.DB, strength string) *gorm.DB {
	if q.Dialector.Name() != "postgres" {
		return q
	}
	return q.Clauses(clause.Locking{Strength: strength})
}

// lockResource locks, before a write reads it, the row of the resource ref (id or
// slug) names in table: the live one, or with deleted the most recently deleted one.
// The write then reads it as the write before it left it (an unconditional write
// applies to the current version, never fails on one that changed meanwhile), and a
// delete (strength UPDATE) waits for the writes that refer to it. Updates take NO KEY
// UPDATE, which writes referring to the resource do not wait for.
//
// Nothing reads what the statement returns: it waits for the write's next statement
// (sqldb.ExecLater), the read of the resource, and goes with it in one round trip.
func lockResource(tx *gorm.DB, table, ref string, deleted bool, strength string) error {
	if tx.Dialector.Name() != "postgres" {
		return nil
	}
	cond, arg := refWhere(table, ref)
	which := " AND deleted_at IS NULL"
	if deleted {
		which = " AND deleted_at IS NOT NULL ORDER BY deleted_at DESC LIMIT 1"
	}
	// ExecLater takes PostgreSQL's placeholders: refWhere's one ? is $1
	return sqldb.ExecLater(tx, "SELECT 1 FROM "+table+" WHERE "+strings.Replace(cond, "?", "$1", 1)+which+" FOR "+strength, arg)
}

// liveIDs returns those of ids that are live rows of table, locked (keyShare).
func liveIDs(tx *gorm.DB, table string, ids []string) (map[string]bool, error) {
	var live []string
	err := lockRows(tx.Table(table).Where("id IN ? AND deleted_at IS NULL", ids), keyShare).Pluck("id", &live).Error
	out := make(map[string]bool, len(live))
	for _, id := range live {
		out[id] = true
	}
	return out, err
}

// livePartnersSQL selects the ids of live partners named by id (first argument) or
// slug (second argument), as splitRefs returns them.
const livePartnersSQL = "SELECT id FROM partners WHERE (id IN ? OR slug IN ?) AND deleted_at IS NULL"

// resolveIDs turns id-or-slug references into ids of live rows of table. Missing or
// deleted ones are reported as field errors at the given paths.
func resolveIDs(tx *gorm.DB, table string, refs []string, paths []string, v *coop.Violations, label string) []string {
	if len(refs) == 0 {
		return nil
	}
	var ids, slugs []string
	for _, r := range refs {
		if isUUID(r) {
			ids = append(ids, r)
		} else if r != "" {
			slugs = append(slugs, r)
		}
	}
	type hit struct{ ID, Slug string }
	var hits []hit
	q := tx.Table(table).Select("id, slug").Where("deleted_at IS NULL")
	switch {
	case len(ids) > 0 && len(slugs) > 0:
		q = q.Where("id IN ? OR slug IN ?", ids, slugs)
	case len(ids) > 0:
		q = q.Where("id IN ?", ids)
	case len(slugs) > 0:
		q = q.Where("slug IN ?", slugs)
	default:
		return make([]string, len(refs))
	}
	if err := lockRows(q, keyShare).Scan(&hits).Error; err != nil {
		// Not the caller's fault: keep the error on the transaction, so that its next
		// statement fails with it (503 for a lost database), instead of a false 422.
		_ = tx.AddError(err)
		return make([]string, len(refs))
	}
	byRef := map[string]string{}
	for _, h := range hits {
		byRef[h.ID] = h.ID
		byRef[h.Slug] = h.ID
	}
	out := make([]string, len(refs))
	for i, r := range refs {
		if r == "" {
			continue
		}
		id, ok := byRef[r]
		if !ok {
			refMissing(v, paths[i], label, r)
			continue
		}
		out[i] = id
	}
	return out
}

// refMissing adds the field error of a reference to a missing or deleted resource.
func refMissing(v *coop.Violations, path, label, ref string) {
	v.Add(path, "reference", "%s %q gibt es nicht (oder er ist gelöscht)", label, ref)
}

// deref is the string s points to ("" for nil).
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
