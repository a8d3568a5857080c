package store

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/sqldb"
)

// Test-only export of the regional key filter's plan, for package store_test.

// LocatedPartnersPlan returns the database's plan of the statement that locates
// partners by key prefixes (locatedPartners): PostgreSQL's EXPLAIN after ANALYZE,
// with sequential scans off, or SQLite's EXPLAIN QUERY PLAN.
func (db *DB) LocatedPartnersPlan(ctx context.Context, col string, prefixes []string) (string, error) {
	sql, args := locatedPartners(col, prefixes)
	var out []string
	err := db.session(ctx, func(conn *gorm.DB) error {
		return conn.Transaction(func(tx *gorm.DB) error {
			explain := "EXPLAIN QUERY PLAN "
			if db.core.Dialect() == sqldb.Postgres {
				if err := tx.Exec("ANALYZE partners").Error; err != nil {
					return err
				}
				if err := tx.Exec("SET LOCAL enable_seqscan = off").Error; err != nil {
					return err
				}
				explain = "EXPLAIN "
			}
			rows, err := tx.Raw(explain+sql, args...).Rows()
			if err != nil {
				return err
			}
			defer rows.Close()
			cols, err := rows.Columns()
			if err != nil {
				return err
			}
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					return err
				}
				out = append(out, fmt.Sprint(vals[len(vals)-1]))
			}
			return rows.Err()
		})
	})
	return strings.Join(out, "\n"), err
}
