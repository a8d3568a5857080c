package store

import (
	"slices"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/region"
)

// maxParentDepth bounds the walk up a partner's parents for its territory (the
// partner tree has no cycles; this only guards the walk).
const maxParentDepth = 8

// territories finds the regions each partner stands for: a municipality, district
// or state its own unit in the register; a partner that serves regions those; any
// other partner (a department, an IT provider of a city) its parent's. It reads the
// partners named and their parents, in batches.
type territories struct {
	reg  *region.Register
	rows map[string]territoryRow
	keys map[string][]string
}

type territoryRow struct {
	ID, Type, AGS, ARS, Serves string
	ParentID                   *string
}

func newTerritories(reg *region.Register) *territories {
	return &territories{reg: reg, rows: map[string]territoryRow{}, keys: map[string][]string{}}
}

// load reads the partners ids not read before and, level by level, their parents.
func (t *territories) load(conn *gorm.DB, ids []string) error {
	ids = slices.DeleteFunc(slices.Clone(ids), func(id string) bool { _, ok := t.rows[id]; return ok })
	slices.Sort(ids)
	ids = slices.Compact(ids)
	for depth := 0; len(ids) > 0 && depth <= maxParentDepth; depth++ {
		var next []string
		for start := 0; start < len(ids); start += 500 {
			var rows []territoryRow
			err := conn.Raw("SELECT id, type, ags, ars, serves, parent_id FROM partners WHERE id IN ?",
				ids[start:min(start+500, len(ids))]).Scan(&rows).Error
			if err != nil {
				return translate(err)
			}
			for _, r := range rows {
				t.rows[r.ID] = r
				if r.ParentID != nil {
					if _, ok := t.rows[*r.ParentID]; !ok {
						next = append(next, *r.ParentID)
					}
				}
			}
		}
		ids = next
	}
	return nil
}

// of returns the region keys partner id stands for (see territories).
func (t *territories) of(id string) []string {
	if k, ok := t.keys[id]; ok {
		return k
	}
	var keys []string
	cur, ok := t.rows[id]
	for depth := 0; ok && depth <= maxParentDepth; depth++ {
		if level := coop.TerritorialLevel(cur.Type); level != "" {
			if x, found := resolvePartnerRegion(t.reg, cur.ARS, cur.AGS, level); found {
				keys = []string{x.Key}
			}
			break
		}
		if cur.Serves != "" {
			for _, ars := range strings.Fields(cur.Serves) {
				if x, found := t.reg.ResolveARS(ars, ""); found {
					keys = append(keys, x.Key)
				}
			}
			break
		}
		if cur.ParentID == nil {
			break
		}
		cur, ok = t.rows[*cur.ParentID]
	}
	t.keys[id] = keys
	return keys
}

// population is the number of inhabitants of the regions the partners stand for, a
// region within another one counted with it only.
func (t *territories) population(partnerIDs []string) int64 {
	var keys []string
	for _, id := range partnerIDs {
		keys = append(keys, t.of(id)...)
	}
	var n int64
	for _, k := range region.Outermost(keys) {
		if x, ok := t.reg.Get(k); ok {
			n += x.Population
		}
	}
	return n
}

// populationServed fills in the population served of st's groups and total: the
// inhabitants of the distinct regions of the participants (in the filter's roles, if
// it names some) of the projects of each group, in one query of the distinct (group,
// partner) pairs and one per 500 partners involved.
func populationServed(conn *gorm.DB, reg *region.Register, q coop.StatsQuery, set clause.Expr, st *coop.Stats) error {
	args := []any{set}
	var key, join string
	switch q.GroupBy {
	case "status", "category":
		key = "f." + q.GroupBy
	case "year":
		key = "SUBSTR(f.started_on_key, 1, 4)"
	case "role":
		sub, subArgs := participationsSQL("project_id, role", q.Filter.Roles)
		key, join = "g.role", " JOIN ("+sub+") g ON g.project_id = f.id"
		args = append(args, subArgs...)
	case "partner":
		sub, subArgs := participationsSQL("project_id, partner_id", q.Filter.Roles)
		key, join = "ga.slug", " JOIN ("+sub+") g ON g.project_id = f.id JOIN partners ga ON ga.id = g.partner_id"
		args = append(args, subArgs...)
	case "state":
		sub := `SELECT DISTINCT pp.project_id, COALESCE(NULLIF(pa.state, ''), NULLIF(par.state, ''), '') AS state
 FROM project_participants pp JOIN partners pa ON pa.id = pp.partner_id LEFT JOIN partners par ON par.id = pa.parent_id`
		if len(q.Filter.Roles) > 0 {
			sub += " WHERE pp.role IN ?"
			args = append(args, q.Filter.Roles)
		}
		key, join = "g.state", " JOIN ("+sub+") g ON g.project_id = f.id"
	default:
		return nil
	}
	sql := "SELECT DISTINCT " + key + " AS k, pp.partner_id AS p FROM (?) f" + join +
		" JOIN project_participants pp ON pp.project_id = f.id"
	if len(q.Filter.Roles) > 0 {
		sql += " WHERE pp.role IN ?"
		args = append(args, q.Filter.Roles)
	}
	var pairs []struct{ K, P string }
	if err := conn.Raw(sql, args...).Scan(&pairs).Error; err != nil {
		return translate(err)
	}
	byGroup := map[string][]string{}
	seen := map[string]bool{}
	var all []string
	for _, pr := range pairs {
		k := pr.K
		if k == "" && q.GroupBy != "partner" {
			k = coop.UnknownKey
		}
		byGroup[k] = append(byGroup[k], pr.P)
		if !seen[pr.P] {
			seen[pr.P] = true
			all = append(all, pr.P)
		}
	}
	t := newTerritories(reg)
	if err := t.load(conn, all); err != nil {
		return err
	}
	for i := range st.Groups {
		st.Groups[i].PopulationServed = t.population(byGroup[st.Groups[i].Key])
	}
	st.Total.PopulationServed = t.population(all)
	return nil
}
