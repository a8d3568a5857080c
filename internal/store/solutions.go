package store

import (
	"context"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/sqldb"
)

var solutionList = listSpec{
	alias: "s",
	sorts: map[string]sortColumn{
		"name": {column: "name_sort"}, "slug": {column: "slug"}, "category": {column: "category"},
		"created_at": {column: "created_at", isTime: true}, "updated_at": {column: "updated_at", isTime: true},
	},
	defaultSort: "name",
}

// solutionCols are the columns of a solution row (alias s), in the order of its dest.
const solutionCols = `s.id, s.slug, s.name, s.name_sort, s.description, s.category, s.website,
 s.created_at, s.updated_at, s.version, s.deleted_at`

func (r *solutionRow) dest() []any {
	return []any{&r.ID, &r.Slug, &r.Name, &r.NameSort, &r.Description, &r.Category, &r.Website,
		&r.CreatedAt, &r.UpdatedAt, &r.Version, &r.DeletedAt}
}

// solutionQuery selects solutionCols.
func solutionQuery() *sqldb.Query { return sqldb.SelectFrom(solutionCols, "solutions s") }

// FindSolutions lists live solutions matching f, one keyset page: a count, the page
// and its developers, whatever the page size.
func (s *SolutionService) FindSolutions(ctx context.Context, f coop.SolutionFilter) (coop.ListResult[coop.Solution], error) {
	var out coop.ListResult[coop.Solution]
	q := solutionQuery().Where("s.deleted_at IS NULL")
	if len(f.Categories) > 0 {
		q.Where("s.category IN ?", f.Categories)
	}
	if len(f.Developers) > 0 {
		ids, slugs := splitRefs(f.Developers)
		q.Where(`EXISTS (SELECT 1 FROM solution_developers sd WHERE sd.solution_id = s.id
 AND sd.partner_id IN (`+livePartnersSQL+`))`, ids, slugs)
	}
	if f.UpdatedSince != nil {
		q.Where("s.updated_at >= ?", f.UpdatedSince.UTC())
	}
	if err := s.searchFilter(ctx, q, coop.TypeSolution, "s", f.Q); err != nil {
		return out, err
	}
	count := q.CountStmt()
	keys, limit, err := solutionList.page(q, f.Page)
	if err != nil {
		return out, err
	}
	err = s.read(ctx, func(x sqldb.Executor) error {
		if _, err := sqldb.QueryRow(ctx, x, count, &out.Total); err != nil {
			return err
		}
		rows, err := sqldb.ReadAll(ctx, x, q.Stmt(), (*solutionRow).dest)
		if err != nil {
			return err
		}
		if len(rows) > limit {
			rows = rows[:limit]
			last := rows[limit-1]
			out.NextCursor = nextCursor(keys, solutionSortValues(last, keys), last.ID)
		}
		out.Items, err = readSolutions(ctx, x, rows)
		return err
	})
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
func (s *SolutionService) FindSolution(ctx context.Context, ref string) (out coop.Solution, err error) {
	err = s.read(ctx, func(x sqldb.Executor) error {
		out, err = readSolution(ctx, x, ref, false)
		return err
	})
	return out, err
}

// findSolution reads a solution inside the write transaction tx (readSolution).
func (b *base) findSolution(tx *gorm.DB, ref string, deleted bool) (coop.Solution, error) {
	return readSolution(tx.Statement.Context, b.core.InTx(tx), ref, deleted)
}

// readSolution reads one solution with its developers; deleted selects the most
// recently deleted row of that id or slug instead of the live one.
func readSolution(ctx context.Context, x sqldb.Executor, ref string, deleted bool) (coop.Solution, error) {
	q := solutionQuery().Where(refWhere("s", ref))
	if deleted {
		q.Where("s.deleted_at IS NOT NULL").OrderBy("s.deleted_at DESC")
	} else {
		q.Where("s.deleted_at IS NULL")
	}
	q.Limit = 1
	var row solutionRow
	found, err := sqldb.QueryRow(ctx, x, q.Stmt(), row.dest()...)
	if err != nil {
		return coop.Solution{}, err
	}
	if !found {
		return coop.Solution{}, coop.Errorf(coop.ENotFound, "%s %q nicht gefunden / not found", "Lösung", ref)
	}
	list, err := readSolutions(ctx, x, []solutionRow{row})
	if err != nil {
		return coop.Solution{}, err
	}
	return list[0], nil
}

// readSolutions turns rows into solutions, reading the developers of all of them in
// one statement.
func readSolutions(ctx context.Context, x sqldb.Executor, list []solutionRow) ([]coop.Solution, error) {
	out := make([]coop.Solution, len(list))
	if len(list) == 0 {
		return out, nil
	}
	ids := make([]string, len(list))
	for i, r := range list {
		ids[i] = r.ID
	}
	q := sqldb.SelectFrom("sd.solution_id, sd.partner_id, p.slug, p.name, sd.position", "solution_developers sd").
		Join("JOIN partners p ON p.id = sd.partner_id").WhereFragment(x.AnyOf("sd.solution_id", ids)).
		OrderBy("sd.solution_id").OrderBy("sd.position")
	byID := map[string][]coop.Ref{}
	var (
		id       string
		dev      coop.Ref
		position int
	)
	dest := []any{&id, &dev.ID, &dev.Slug, &dev.Name, &position}
	err := x.Query(ctx, q.Stmt(), func(r sqldb.Rows) error {
		if err := r.Scan(dest...); err != nil {
			return err
		}
		byID[id] = append(byID[id], dev)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i, r := range list {
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
