package store

import (
	"context"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

var cooperationList = listSpec{
	alias: "c",
	sorts: map[string]sortColumn{
		"title": {column: "title_sort"}, "slug": {column: "slug"}, "status": {column: "status"},
		"started_on": {column: "started_on_key"}, "created_at": {column: "created_at", isTime: true},
		"updated_at": {column: "updated_at", isTime: true},
	},
	defaultSort: "title",
}

// CooperationSortFields are the fields cooperations can be sorted by.
var CooperationSortFields = cooperationList.SortFields()

func cooperationQuery(conn *gorm.DB) *gorm.DB {
	return conn.Table("cooperations c")
}

// FindCooperations lists live cooperations matching f, one keyset page: a count, the
// page and its members, whatever the page size.
func (db *DB) FindCooperations(ctx context.Context, f coop.CooperationFilter) (coop.ListResult[coop.Cooperation], error) {
	var out coop.ListResult[coop.Cooperation]
	conn := db.gorm.WithContext(ctx)
	q := cooperationQuery(conn).Where("c.deleted_at IS NULL")
	if len(f.Statuses) > 0 {
		q = q.Where("c.status IN ?", f.Statuses)
	}
	if len(f.LegalForms) > 0 {
		q = q.Where("c.legal_form IN ?", f.LegalForms)
	}
	if len(f.Partners) > 0 {
		ids, slugs := splitRefs(f.Partners)
		q = q.Where(`EXISTS (SELECT 1 FROM cooperation_members m WHERE m.cooperation_id = c.id
 AND m.partner_id IN (`+livePartnersSQL+`))`, ids, slugs)
	}
	if f.UpdatedSince != nil {
		q = q.Where("c.updated_at >= ?", f.UpdatedSince.UTC())
	}
	q, err := db.searchFilter(q, coop.TypeCooperation, "c", f.Q)
	if err != nil {
		return out, err
	}
	if err := q.Session(&gorm.Session{}).Count(&out.Total).Error; err != nil {
		return out, translate(err)
	}
	q, keys, limit, err := cooperationList.page(q, f.Page)
	if err != nil {
		return out, err
	}
	var rows []cooperationRow
	if err := q.Find(&rows).Error; err != nil {
		return out, translate(err)
	}
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[limit-1]
		out.NextCursor = nextCursor(keys, cooperationSortValues(last, keys), last.ID)
	}
	out.Items, err = cooperationsFrom(conn, rows)
	return out, err
}

// livePartnersSQL selects the ids of live partners named by id (first argument) or
// slug (second argument), as splitRefs returns them.
const livePartnersSQL = "SELECT id FROM partners WHERE (id IN ? OR slug IN ?) AND deleted_at IS NULL"

func cooperationSortValues(r cooperationRow, keys []coop.SortKey) []any {
	vals := make([]any, len(keys))
	for i, k := range keys {
		switch k.Field {
		case "title":
			vals[i] = r.TitleSort
		case "slug":
			vals[i] = r.Slug
		case "status":
			vals[i] = r.Status
		case "started_on":
			vals[i] = r.StartedOnKey
		case "created_at":
			vals[i] = r.CreatedAt
		case "updated_at":
			vals[i] = r.UpdatedAt
		}
	}
	return vals
}

// FindCooperation returns the live cooperation with that id or slug.
func (db *DB) FindCooperation(ctx context.Context, ref string) (coop.Cooperation, error) {
	return findCooperation(db.gorm.WithContext(ctx), ref, false)
}

// findCooperation loads one cooperation with its members; deleted selects the most
// recently deleted row of that id or slug instead of the live one.
func findCooperation(conn *gorm.DB, ref string, deleted bool) (coop.Cooperation, error) {
	q := cooperationQuery(conn)
	if deleted {
		q = q.Where("c.deleted_at IS NOT NULL").Order("c.deleted_at DESC")
	} else {
		q = q.Where("c.deleted_at IS NULL")
	}
	cond, arg := refWhere("c", ref)
	var row cooperationRow
	if err := q.Where(cond, arg).Limit(1).Take(&row).Error; err != nil {
		return coop.Cooperation{}, notFound(err, "Kooperation", ref)
	}
	list, err := cooperationsFrom(conn, []cooperationRow{row})
	if err != nil {
		return coop.Cooperation{}, err
	}
	return list[0], nil
}

// notFound names the missing resource in a not-found error; other errors are translated.
func notFound(err error, label, ref string) error {
	err = translate(err)
	if coop.ErrorCode(err) == coop.ENotFound {
		return coop.Errorf(coop.ENotFound, "%s %q nicht gefunden / not found", label, ref)
	}
	return err
}

// cooperationsFrom turns rows into cooperations, loading the members of all of them in
// one query.
func cooperationsFrom(conn *gorm.DB, rows []cooperationRow) ([]coop.Cooperation, error) {
	out := make([]coop.Cooperation, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	members, err := loadMembers(conn, ids)
	if err != nil {
		return nil, err
	}
	for i, r := range rows {
		out[i] = r.cooperation(members[r.ID])
	}
	return out, nil
}

// cooperation turns the row and its members (in position order) into a cooperation.
func (r cooperationRow) cooperation(members []coop.Member) coop.Cooperation {
	c := coop.Cooperation{
		Meta: coop.Meta{ID: r.ID, Slug: r.Slug, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
			Version: r.Version, DeletedAt: utcPtr(r.DeletedAt)},
		Title: r.Title, Description: r.Description, Status: r.Status, LegalForm: r.LegalForm,
		StartedOn: date(r.StartedOn), EndedOn: date(r.EndedOn), Members: members,
		LegalBasis: fromJSONText[string](r.LegalBasis), NoticePeriodMonths: r.NoticePeriodMonths,
		VATTreatment: r.VATTreatment, ProcurementExempt: r.ProcurementExempt,
		Sources: sourcesFrom(r.Sources),
	}
	if c.Members == nil {
		c.Members = []coop.Member{}
	}
	return c
}

// loadMembers returns the members of the given cooperations with their partners' brief
// refs, in position order, keyed by cooperation id.
func loadMembers(conn *gorm.DB, ids []string) (map[string][]coop.Member, error) {
	var rows []struct {
		CooperationID string
		PartnerID     string
		PartnerSlug   string
		PartnerName   string
		Role          string
	}
	err := conn.Table("cooperation_members m").
		Select("m.cooperation_id, m.partner_id, p.slug AS partner_slug, p.name AS partner_name, m.role").
		Joins("JOIN partners p ON p.id = m.partner_id").
		Where("m.cooperation_id IN ?", ids).
		Order("m.cooperation_id, m.position").Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := map[string][]coop.Member{}
	for _, r := range rows {
		out[r.CooperationID] = append(out[r.CooperationID], coop.Member{
			Partner: coop.Ref{ID: r.PartnerID, Slug: r.PartnerSlug, Name: r.PartnerName}, Role: r.Role})
	}
	return out, nil
}

// memberPartnerIDs returns the partner ids of c's members, for the editor scope.
func memberPartnerIDs(c coop.Cooperation) []string {
	out := make([]string, len(c.Members))
	for i, m := range c.Members {
		out[i] = m.Partner.ID
	}
	return out
}
