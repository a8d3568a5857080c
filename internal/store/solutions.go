package store

import (
	"context"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

var solutionList = listSpec{
	alias: "s",
	sorts: map[string]sortColumn{
		"name": {column: "name_sort"}, "slug": {column: "slug"}, "category": {column: "category"},
		"created_at": {column: "created_at", isTime: true}, "updated_at": {column: "updated_at", isTime: true},
	},
	defaultSort: "name",
}

// SolutionSortFields are the fields solutions can be sorted by.
var SolutionSortFields = solutionList.SortFields()

func solutionQuery(conn *gorm.DB) *gorm.DB {
	return conn.Table("solutions s")
}

// FindSolutions lists live solutions matching f, one keyset page: a count, the page
// and its developers, whatever the page size.
func (db *DB) FindSolutions(ctx context.Context, f coop.SolutionFilter) (coop.ListResult[coop.Solution], error) {
	var out coop.ListResult[coop.Solution]
	conn := db.gorm.WithContext(ctx)
	q := solutionQuery(conn).Where("s.deleted_at IS NULL")
	if len(f.Categories) > 0 {
		q = q.Where("s.category IN ?", f.Categories)
	}
	if len(f.Developers) > 0 {
		ids, slugs := splitRefs(f.Developers)
		q = q.Where(`EXISTS (SELECT 1 FROM solution_developers sd WHERE sd.solution_id = s.id
 AND sd.partner_id IN (`+livePartnersSQL+`))`, ids, slugs)
	}
	if f.UpdatedSince != nil {
		q = q.Where("s.updated_at >= ?", f.UpdatedSince.UTC())
	}
	q, err := db.searchFilter(q, coop.TypeSolution, "s", f.Q)
	if err != nil {
		return out, err
	}
	if err := q.Session(&gorm.Session{}).Count(&out.Total).Error; err != nil {
		return out, translate(err)
	}
	q, keys, limit, err := solutionList.page(q, f.Page)
	if err != nil {
		return out, err
	}
	var rows []solutionRow
	if err := q.Find(&rows).Error; err != nil {
		return out, translate(err)
	}
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[limit-1]
		out.NextCursor = nextCursor(keys, solutionSortValues(last, keys), last.ID)
	}
	out.Items, err = solutionsFrom(conn, rows)
	return out, err
}

func solutionSortValues(r solutionRow, keys []coop.SortKey) []any {
	vals := make([]any, len(keys))
	for i, k := range keys {
		switch k.Field {
		case "name":
			vals[i] = r.NameSort
		case "slug":
			vals[i] = r.Slug
		case "category":
			vals[i] = r.Category
		case "created_at":
			vals[i] = r.CreatedAt
		case "updated_at":
			vals[i] = r.UpdatedAt
		}
	}
	return vals
}

// FindSolution returns the live solution with that id or slug.
func (db *DB) FindSolution(ctx context.Context, ref string) (coop.Solution, error) {
	return findSolution(db.gorm.WithContext(ctx), ref, false)
}

// findSolution loads one solution with its developers; deleted selects the most
// recently deleted row of that id or slug instead of the live one.
func findSolution(conn *gorm.DB, ref string, deleted bool) (coop.Solution, error) {
	q := solutionQuery(conn)
	if deleted {
		q = q.Where("s.deleted_at IS NOT NULL").Order("s.deleted_at DESC")
	} else {
		q = q.Where("s.deleted_at IS NULL")
	}
	cond, arg := refWhere("s", ref)
	var row solutionRow
	if err := q.Where(cond, arg).Limit(1).Take(&row).Error; err != nil {
		return coop.Solution{}, notFound(err, "Lösung", ref)
	}
	list, err := solutionsFrom(conn, []solutionRow{row})
	if err != nil {
		return coop.Solution{}, err
	}
	return list[0], nil
}

// solutionsFrom turns rows into solutions, loading the developers of all of them in
// one query.
func solutionsFrom(conn *gorm.DB, rows []solutionRow) ([]coop.Solution, error) {
	out := make([]coop.Solution, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var devs []struct {
		SolutionID  string
		PartnerID   string
		PartnerSlug string
		PartnerName string
	}
	err := conn.Table("solution_developers sd").
		Select("sd.solution_id, sd.partner_id, p.slug AS partner_slug, p.name AS partner_name").
		Joins("JOIN partners p ON p.id = sd.partner_id").
		Where("sd.solution_id IN ?", ids).
		Order("sd.solution_id, sd.position").Scan(&devs).Error
	if err != nil {
		return nil, translate(err)
	}
	byID := map[string][]coop.Ref{}
	for _, d := range devs {
		byID[d.SolutionID] = append(byID[d.SolutionID], coop.Ref{ID: d.PartnerID, Slug: d.PartnerSlug, Name: d.PartnerName})
	}
	for i, r := range rows {
		out[i] = coop.Solution{
			Meta: coop.Meta{ID: r.ID, Slug: r.Slug, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
				Version: r.Version, DeletedAt: utcPtr(r.DeletedAt)},
			Name: r.Name, Description: r.Description, Category: r.Category, Website: r.Website,
			Developers: byID[r.ID],
		}
		if out[i].Developers == nil {
			out[i].Developers = []coop.Ref{}
		}
	}
	return out, nil
}

// developerIDs returns the partner ids of s's developers, for the editor scope.
func developerIDs(s coop.Solution) []string {
	out := make([]string, len(s.Developers))
	for i, d := range s.Developers {
		out[i] = d.ID
	}
	return out
}
