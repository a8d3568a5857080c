package store

import "strings"

// keyRange returns the keys that begin with prefix, a string of digits, as a half-open
// range: from prefix to prefix with its last digit raised by one ("055" → ["055",
// "056"), "059" → ["059", "05:"), ':' following '9'). The keys compare byte-wise on
// both databases (COLLATE "C" on PostgreSQL, migration 00023), so that a B-tree index
// on the key serves the range. An empty prefix is every key that is set.
func keyRange(prefix string) (lo, hi string) {
	if prefix == "" {
		return "0", ":"
	}
	n := len(prefix)
	return prefix, prefix[:n-1] + string(prefix[n-1]+1)
}

// locatedPartners returns a statement selecting the ids of the live partners located
// where one of prefixes begins the key (col: "ars" or "ags"): by the partner's own key
// or, if it has none, by its parent's (coop.MaxARSLen). Both branches start from the
// key's index (partners_ars, partners_ags, one range per prefix); the second reaches
// the children by partners_parent.
func locatedPartners(col string, prefixes []string) (string, []any) {
	var conds []string
	var args []any
	for _, p := range prefixes {
		lo, hi := keyRange(p)
		conds = append(conds, "(k."+col+" >= ? AND k."+col+" < ?)")
		args = append(args, lo, hi)
	}
	in := "(" + strings.Join(conds, " OR ") + ")"
	// LENGTH(c.key) = 0, not c.key = '': SQLite would start from the key's index at
	// every partner without a key rather than from the parents in range.
	sql := "SELECT k.id FROM partners k WHERE k.deleted_at IS NULL AND " + in +
		" UNION ALL SELECT c.id FROM partners k JOIN partners c ON c.parent_id = k.id" +
		" WHERE k.deleted_at IS NULL AND " + in + " AND c.deleted_at IS NULL AND LENGTH(c." + col + ") = 0"
	return sql, append(args, args...)
}
