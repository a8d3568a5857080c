package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// BulkLoader writes many new partners, cooperations and projects fast, for benchmark
// data (cmd/ikz-benchdata) and imports: each call is one transaction (db.tx) that
// writes its records with multi-row INSERTs, but row by row exactly what the create
// path writes — the same validation, the same rows built by the same functions
// (buildPartnerRow, buildCooperationRow, buildProjectWrite), the initial status entry,
// the search document (search.Engine.Index, as every write) and the change-log
// record with the same field values — and, for the transitions a record carries, what
// the transition path writes (checkTransition, the timeline entry, the version bump
// and the change-log record). The API's single writes go through the Create…
// methods; the bulk import creates its new resources through the loader
// (imports_write.go).
//
// A record's references (parent, members, cooperation, solution, participants) are
// ids or slugs of resources the loader wrote before or of live ones in the database.
// Callers pass batches of about 1,000 records. Every record of a call is checked; if
// one is refused, the call writes nothing and answers RecordErrors.
type BulkLoader struct {
	db *DB
	// refs holds the brief refs of what this loader wrote or looked up, per table, by
	// id and by slug.
	refs map[string]map[string]coop.Ref
	// newID draws the ids of new resources (newID unless SetIDs).
	newID func() string
}

// BulkTransition is a status change a bulk record went through after its create,
// recorded at At (which must not lie before the record's own At).
type BulkTransition struct {
	coop.Transition
	At time.Time
}

// BulkPartner is a partner to bulk-load, created at At.
type BulkPartner struct {
	Draft coop.PartnerDraft
	At    time.Time
}

// BulkCooperation is a cooperation to bulk-load, created at At and then moved along
// its status machine by Transitions.
type BulkCooperation struct {
	Draft       coop.CooperationDraft
	At          time.Time
	Transitions []BulkTransition
}

// BulkProject is a project to bulk-load, created at At and then moved along its status
// machine by Transitions.
type BulkProject struct {
	Draft       coop.ProjectDraft
	At          time.Time
	Transitions []BulkTransition
}

// NewBulkLoader returns a loader that writes into db.
func (db *DB) NewBulkLoader() *BulkLoader {
	return &BulkLoader{db: db, newID: newID, refs: map[string]map[string]coop.Ref{
		"partners": {}, "cooperations": {}, "solutions": {},
	}}
}

// SetIDs makes the loader draw the ids of new resources from f (UUIDs), e.g. from a
// seeded source for reproducible data.
func (l *BulkLoader) SetIDs(f func() string) { l.newID = f }

// bulkBatch collects the rows of one call.
type bulkBatch struct {
	partners     []partnerRow
	coops        []cooperationRow
	members      []memberRow
	projects     []projectRow
	participants []participantRow
	tags         []projectTagRow
	statuses     []statusChangeRow
	changes      []changeRow
	index        map[string][]string // ids to index by resource type
}

// Partners writes new partners (parents before their children) and returns their ids.
func (l *BulkLoader) Partners(ctx context.Context, recs []BulkPartner) ([]string, error) {
	if err := mayCreatePartner(ctx); err != nil {
		var refused RecordErrors
		for i, r := range recs {
			refused = refused.add(i, r.Draft.Slug, err)
		}
		return nil, refused
	}
	ids := make([]string, len(recs))
	err := l.db.tx(ctx, func(tx *gorm.DB) error {
		var parents []string
		for _, r := range recs {
			if r.Draft.Parent != "" {
				parents = append(parents, r.Draft.Parent)
			}
		}
		if err := l.lookup(tx, "partners", parents); err != nil {
			return err
		}
		reg, err := registerIn(tx)
		if err != nil {
			return err
		}
		var b bulkBatch
		var refused RecordErrors
		for i, r := range recs {
			d := r.Draft
			fillFromRegister(reg, &d)
			if err := d.Validate().Err(); err != nil {
				refused = refused.add(i, d.Slug, err)
				continue
			}
			id := l.newID()
			row := buildPartnerRow(id, d)
			var v coop.Violations
			checkPartnerRegions(reg, &row, nil, &v)
			if d.Parent != "" {
				// A new id cannot be anybody's ancestor yet: no cycle check needed.
				if p, ok := l.ref(&v, "partners", d.Parent, "parent", "Partner"); ok {
					row.ParentID = &p.ID
				}
			}
			if err := v.Err(); err != nil {
				refused = refused.add(i, d.Slug, err)
				continue
			}
			row.CreatedAt, row.UpdatedAt, row.Version = r.At.UTC(), r.At.UTC(), 1
			b.partners = append(b.partners, row)
			l.remember("partners", coop.Ref{ID: id, Slug: row.Slug, Name: row.Name})
			view := partnerView{Row: row}
			if row.ParentID != nil {
				p := l.refs["partners"][*row.ParentID]
				view.ParentSlug, view.ParentName = &p.Slug, &p.Name
			}
			if err := b.change(ctx, coop.ActionCreate, coop.TypePartner, id, 1, diff(nil, partnerFields(view.partner())), row.CreatedAt); err != nil {
				return err
			}
			b.indexLater(coop.TypePartner, id)
			ids[i] = id
		}
		if refused != nil {
			return refused
		}
		return l.write(tx, &b)
	})
	if err != nil {
		l.forget(err)
		return nil, err
	}
	return ids, nil
}

// Cooperations writes new cooperations with their members, timelines and transitions
// and returns their ids.
func (l *BulkLoader) Cooperations(ctx context.Context, recs []BulkCooperation) ([]string, error) {
	ids := make([]string, len(recs))
	err := l.db.tx(ctx, func(tx *gorm.DB) error {
		var refs []string
		for _, r := range recs {
			for _, m := range r.Draft.Members {
				refs = append(refs, m.Partner)
			}
		}
		if err := l.lookup(tx, "partners", refs); err != nil {
			return err
		}
		var b bulkBatch
		var refused RecordErrors
		for i, r := range recs {
			d := r.Draft
			if err := d.Validate().Err(); err != nil {
				refused = refused.add(i, d.Slug, err)
				continue
			}
			id := l.newID()
			var v coop.Violations
			partnerIDs := make([]string, len(d.Members))
			for j, m := range d.Members {
				if p, ok := l.ref(&v, "partners", m.Partner, fmt.Sprintf("members[%d].partner", j), "Partner"); ok {
					partnerIDs[j] = p.ID
				}
			}
			row, members := buildCooperationRow(id, d, partnerIDs, &v)
			if err := v.Err(); err != nil {
				refused = refused.add(i, d.Slug, err)
				continue
			}
			if err := mayEdit(ctx, nil, memberRowPartners(members)); err != nil {
				refused = refused.add(i, d.Slug, err)
				continue
			}
			at := r.At.UTC()
			row.Status = initialStatus(d.Status, coop.CooperationMachine)
			row.CreatedAt, row.UpdatedAt, row.Version = at, at, 1
			list := make([]coop.Member, len(members))
			for j, m := range members {
				list[j] = coop.Member{Partner: l.refs["partners"][m.PartnerID], Role: m.Role}
			}
			if err := b.change(ctx, coop.ActionCreate, coop.TypeCooperation, id, 1, diff(nil, cooperationFields(row.cooperation(list))), at); err != nil {
				return err
			}
			eff := initialEffectiveOn(d.StatusEffectiveOn, d.StartedOn, at)
			b.statuses = append(b.statuses, statusChangeRowOf(ctx, coop.TypeCooperation, id, "", row.Status, eff, "", at))
			if err := b.transitions(ctx, coop.TypeCooperation, coop.CooperationMachine, id, &row.Status, &row.Version, &row.UpdatedAt, eff, r.Transitions); err != nil {
				refused = refused.add(i, d.Slug, err)
				continue
			}
			b.coops = append(b.coops, row)
			b.members = append(b.members, members...)
			l.remember("cooperations", coop.Ref{ID: id, Slug: row.Slug, Name: row.Title})
			b.indexLater(coop.TypeCooperation, id)
			ids[i] = id
		}
		if refused != nil {
			return refused
		}
		return l.write(tx, &b)
	})
	if err != nil {
		l.forget(err)
		return nil, err
	}
	return ids, nil
}

// Projects writes new projects with their participants, tags, timelines and
// transitions and returns their ids.
func (l *BulkLoader) Projects(ctx context.Context, recs []BulkProject) ([]string, error) {
	ids := make([]string, len(recs))
	err := l.db.tx(ctx, func(tx *gorm.DB) error {
		var coops, solutions, partners []string
		for _, r := range recs {
			coops = append(coops, r.Draft.Cooperation)
			if r.Draft.Solution != "" {
				solutions = append(solutions, r.Draft.Solution)
			}
			for _, p := range r.Draft.Participants {
				partners = append(partners, p.Partner)
			}
		}
		for _, x := range []struct {
			table string
			refs  []string
		}{{"cooperations", coops}, {"solutions", solutions}, {"partners", partners}} {
			if err := l.lookup(tx, x.table, x.refs); err != nil {
				return err
			}
		}
		var b bulkBatch
		var refused RecordErrors
		for i, r := range recs {
			d := r.Draft
			if err := d.Validate().Err(); err != nil {
				refused = refused.add(i, d.Slug, err)
				continue
			}
			id := l.newID()
			var v coop.Violations
			c, _ := l.ref(&v, "cooperations", d.Cooperation, "cooperation", "Kooperation")
			var sol coop.Ref
			if d.Solution != "" {
				sol, _ = l.ref(&v, "solutions", d.Solution, "solution", "Lösung")
			}
			partnerIDs := make([]string, len(d.Participants))
			for j, p := range d.Participants {
				if ref, ok := l.ref(&v, "partners", p.Partner, fmt.Sprintf("participants[%d].partner", j), "Partner"); ok {
					partnerIDs[j] = ref.ID
				}
			}
			w := buildProjectWrite(id, d, c.ID, sol.ID, partnerIDs, &v)
			if err := v.Err(); err != nil {
				refused = refused.add(i, d.Slug, err)
				continue
			}
			if err := mayEdit(ctx, nil, w.partners()); err != nil {
				refused = refused.add(i, d.Slug, err)
				continue
			}
			at := r.At.UTC()
			row := &w.row
			row.Status = initialStatus(d.Status, coop.ProjectMachine)
			row.CreatedAt, row.UpdatedAt, row.Version = at, at, 1
			view := projectView{Row: *row, CoopSlug: c.Slug, CoopTitle: c.Name}
			if row.SolutionID != nil {
				view.SolutionSlug, view.SolutionName = &sol.Slug, &sol.Name
			}
			p := view.project()
			p.Participants = make([]coop.Participant, len(w.participants))
			for j, x := range w.participants {
				p.Participants[j] = coop.Participant{Partner: l.refs["partners"][x.PartnerID], Role: x.Role,
					Since: date(x.Since), Until: date(x.Until)}
			}
			if err := b.change(ctx, coop.ActionCreate, coop.TypeProject, id, 1, diff(nil, projectFields(p)), at); err != nil {
				return err
			}
			eff := initialEffectiveOn(d.StatusEffectiveOn, d.StartedOn, at)
			b.statuses = append(b.statuses, statusChangeRowOf(ctx, coop.TypeProject, id, "", row.Status, eff, "", at))
			if err := b.transitions(ctx, coop.TypeProject, coop.ProjectMachine, id, &row.Status, &row.Version, &row.UpdatedAt, eff, r.Transitions); err != nil {
				refused = refused.add(i, d.Slug, err)
				continue
			}
			b.projects = append(b.projects, *row)
			b.participants = append(b.participants, w.participants...)
			b.tags = append(b.tags, w.tags...)
			b.indexLater(coop.TypeProject, id)
			ids[i] = id
		}
		if refused != nil {
			return refused
		}
		return l.write(tx, &b)
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// transitions checks and records ts after a create whose first timeline entry took
// effect on eff: timeline entries, change-log records, and the row's final status,
// version and updated_at.
func (b *bulkBatch) transitions(ctx context.Context, typ string, m coop.Machine, id string, status *string, version *int, updated *time.Time, eff string, ts []BulkTransition) error {
	var latest []string
	if eff != "" {
		latest = []string{eff}
	}
	for _, t := range ts {
		at := t.At.UTC()
		if at.Before(*updated) {
			return fmt.Errorf("transition to %s recorded at %s, before the previous write", t.To, at.Format(time.RFC3339))
		}
		d, err := checkTransition(m, *status, t.Transition, latest, at)
		if err != nil {
			return err
		}
		b.statuses = append(b.statuses, statusChangeRowOf(ctx, typ, id, *status, t.To, d.String(), t.Reason, at))
		if err := b.change(ctx, coop.ActionTransition, typ, id, *version+1, transitionChanges(*status, t.Transition, d), at); err != nil {
			return err
		}
		if len(latest) == 0 || d.Key() >= dateKey(latest[0]) {
			latest = []string{d.String()}
		}
		*status, *version, *updated = t.To, *version+1, at
	}
	return nil
}

// change adds a change-log record.
func (b *bulkBatch) change(ctx context.Context, action, typ, id string, version int, changes map[string]coop.FieldChange, at time.Time) error {
	row, err := changeRowOf(ctx, action, typ, id, version, changes, at)
	if err != nil {
		return err
	}
	b.changes = append(b.changes, row)
	return nil
}

// write inserts the batch's rows, parents before children, in multi-row INSERTs.
func (l *BulkLoader) write(tx *gorm.DB, b *bulkBatch) error {
	for _, err := range []error{
		insertRows(tx, b.partners, 24), insertRows(tx, b.coops, 19), insertRows(tx, b.members, 4),
		insertRows(tx, b.projects, 24), insertRows(tx, b.participants, 6), insertRows(tx, b.tags, 3),
		insertRows(tx, b.statuses, 11), insertRows(tx, b.changes, 10),
	} {
		if err != nil {
			return err
		}
	}
	for _, typ := range coop.SearchTypes {
		if err := l.db.search.Index(tx.Statement.Context, tx.Statement.ConnPool, typ, b.index[typ]...); err != nil {
			return err
		}
	}
	return nil
}

// indexLater notes a resource whose search document write writes.
func (b *bulkBatch) indexLater(typ, id string) {
	if b.index == nil {
		b.index = map[string][]string{}
	}
	b.index[typ] = append(b.index[typ], id)
}

// insertRows inserts rows of cols columns each, as many per statement as SQLite's
// limit of 32,766 parameters allows.
func insertRows[T any](tx *gorm.DB, rows []T, cols int) error {
	if tx.Error != nil || len(rows) == 0 {
		return tx.Error
	}
	return tx.CreateInBatches(rows, 32000/cols).Error
}

// lookup loads the brief refs of the live rows of table that refs name and the loader
// does not know yet.
func (l *BulkLoader) lookup(tx *gorm.DB, table string, refs []string) error {
	known := l.refs[table]
	var missing []string
	seen := map[string]bool{}
	for _, r := range refs {
		if _, ok := known[r]; !ok && r != "" && !seen[r] {
			seen[r] = true
			missing = append(missing, r)
		}
	}
	name := map[string]string{"partners": "name", "cooperations": "title", "solutions": "name"}[table]
	for len(missing) > 0 {
		n := min(len(missing), 10000)
		ids, slugs := splitRefs(missing[:n])
		var hits []struct{ ID, Slug, Name string }
		err := lockRows(tx.Table(table).Select("id, slug, "+name+" AS name").
			Where("deleted_at IS NULL AND (id IN ? OR slug IN ?)", ids, slugs), keyShare).Scan(&hits).Error
		if err != nil {
			return err
		}
		for _, h := range hits {
			l.remember(table, coop.Ref{ID: h.ID, Slug: h.Slug, Name: h.Name})
		}
		missing = missing[n:]
	}
	return nil
}

// ref returns the brief ref that ref (id or slug) names in table, or adds the create
// path's field error at path to v.
func (l *BulkLoader) ref(v *coop.Violations, table, ref, path, label string) (coop.Ref, bool) {
	r, ok := l.refs[table][ref]
	if !ok && ref != "" {
		refMissing(v, path, label, ref)
	}
	return r, ok
}

func (l *BulkLoader) remember(table string, r coop.Ref) {
	l.refs[table][r.ID] = r
	l.refs[table][r.Slug] = r
}

// forget drops what a failed call remembered: its rows were rolled back.
func (l *BulkLoader) forget(error) {
	for t := range l.refs {
		l.refs[t] = map[string]coop.Ref{}
	}
}

// RecordError is the refusal of one record of a call of the loader: its index in
// the call, its slug and the error the create path answers for it.
type RecordError struct {
	Index int
	Slug  string
	Err   error
}

// RecordErrors are the refusals of the records of one call, in record order: every
// record is checked, and nothing of the call is written when one is refused. As an
// error it is the first refusal, naming its record (and keeping its coop code).
type RecordErrors []RecordError

func (e RecordErrors) add(i int, slug string, err error) RecordErrors {
	return append(e, RecordError{Index: i, Slug: slug, Err: err})
}

func (e RecordErrors) Error() string { return e.Unwrap().Error() }

// Unwrap is the first refusal, naming its record.
func (e RecordErrors) Unwrap() error { return bulkError(e[0].Index, e[0].Slug, e[0].Err) }

// bulkError names the record a write failed on, keeping a coop error's code.
func bulkError(i int, slug string, err error) error {
	if ce, ok := err.(*coop.Error); ok {
		c := *ce
		c.Message = fmt.Sprintf("record %d (%s): %s", i, slug, ce.Message)
		return &c
	}
	return fmt.Errorf("record %d (%s): %w", i, slug, err)
}
