package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/sqldb"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/textsearch"
)

// projectResource describes projects to the write sequence (write.go).
var projectResource = &resource[coop.Project, coop.ProjectDraft, *projectWrite]{
	typ: coop.TypeProject, table: "projects",
	searched:  []string{"title", "slug", "tags", "description"},
	build:     projectWriteFrom,
	find:      (*base).findProject,
	scope:     participantPartnerIDs,
	authorize: mayEdit,
	change: func(ctx context.Context, before coop.Project, w *projectWrite) error {
		return mayChangeParticipations(ctx, participationsOf(before), w.participations())
	},
	fields:  projectFields,
	search:  projectSearch,
	machine: &coop.ProjectMachine,
	status:  func(p coop.Project) string { return p.Status },
	before: func(before coop.Project, w *projectWrite) {
		w.keepParticipants = slices.Equal(participationsOf(before), w.participations())
		w.keepTags = slices.Equal(before.Tags, w.tagList())
	},
	written: (*projectWrite).project,
	moved: func(p coop.Project, status string, version int, now time.Time) coop.Project {
		p.Status, p.Version, p.UpdatedAt = status, version, now
		return p
	},
	initial: func(d coop.ProjectDraft) (string, string, string) {
		return d.Status, d.StatusEffectiveOn, d.StartedOn
	},
	restorable: func(tx *gorm.DB, p coop.Project) error {
		if err := refuseDeleted(tx, "cooperations", p.Cooperation.ID, "Die Kooperation", p.Cooperation.Slug); err != nil {
			return err
		}
		if p.Solution != nil {
			if err := refuseDeleted(tx, "solutions", p.Solution.ID, "Die Lösung", p.Solution.Slug); err != nil {
				return err
			}
		}
		return refuseDeletedPartners(tx, participantPartnerIDs(p))
	},
}

// CreateProject validates d and stores a new project with its participants, tags,
// initial status entry and change-log record, in one transaction.
func (s *ProjectService) CreateProject(ctx context.Context, d coop.ProjectDraft) (coop.Project, error) {
	return create(ctx, s.base, projectResource, d)
}

// UpdateProject replaces a project's fields, participants and tags by d (the merged
// patch); its status is left alone: that changes only by transition.
func (s *ProjectService) UpdateProject(ctx context.Context, ref string, d coop.ProjectDraft, ifVersion int) (coop.Project, error) {
	return update(ctx, s.base, projectResource, ref, d, ifVersion)
}

// DeleteProject soft-deletes a project.
func (s *ProjectService) DeleteProject(ctx context.Context, ref string, ifVersion int) error {
	return remove(ctx, s.base, projectResource, ref, ifVersion)
}

// RestoreProject brings the most recently deleted project of that id or slug back;
// 409 if a participant, its cooperation or its solution is deleted, or its slug taken.
func (s *ProjectService) RestoreProject(ctx context.Context, ref string, ifVersion int) (coop.Project, error) {
	return restore(ctx, s.base, projectResource, ref, ifVersion)
}

// TransitionProject moves a live project along the project machine: 422 for an unknown
// target or a bad, future or out-of-order effective_on, 409 (with the allowed targets)
// for a move the machine refuses, 412 for a stale ifVersion.
func (s *ProjectService) TransitionProject(ctx context.Context, ref string, t coop.Transition, ifVersion int) (coop.Project, error) {
	return transit(ctx, s.base, projectResource, ref, t, ifVersion)
}

// projectWrite is what a write of a project writes: the row and its child rows, with
// the brief refs of what they name (for the answer, project).
type projectWrite struct {
	row          projectRow
	participants []participantRow
	tags         []projectTagRow
	refs         projectRefs
	// keepParticipants and keepTags: an update leaves the child rows as they are (the
	// same participants in the same order, the same tags).
	keepParticipants, keepTags bool
	// refsHeld: the refs were read FOR SHARE, held against renames until the commit,
	// so the participants' trigger need not check them (migration 00062)
	refsHeld bool
}

// tagList is the tags w writes, in order.
func (w *projectWrite) tagList() []string {
	out := make([]string, len(w.tags))
	for i, t := range w.tags {
		out[i] = t.Tag
	}
	return out
}

// project is the project as the write left it (resource.written): a create's row as
// inserted, an update's row on before's status, creation time and version.
func (w *projectWrite) project(before *coop.Project, now time.Time) coop.Project {
	row := w.row
	if before != nil {
		row.Status, row.CreatedAt, row.UpdatedAt, row.Version = before.Status, before.CreatedAt, now, before.Version+1
	}
	v := projectView{Row: row, CoopSlug: w.refs.coop.Slug, CoopTitle: w.refs.coop.Name}
	if row.SolutionID != nil {
		v.SolutionSlug, v.SolutionName = &w.refs.solution.Slug, &w.refs.solution.Name
	}
	p := v.project()
	p.Participants = make([]coop.Participant, len(w.participants))
	for i, r := range w.participants {
		p.Participants[i] = coop.Participant{Partner: w.refs.partners[r.PartnerID], Role: r.Role,
			Since: date(r.Since), Until: date(r.Until)}
	}
	return p
}

func (w *projectWrite) insert(tx *gorm.DB, now time.Time, status string) error {
	w.row.Status, w.row.CreatedAt, w.row.UpdatedAt, w.row.Version = status, now, now, 1
	// the refs resolved already: PostgreSQL then writes the row once (migration 00061)
	w.row.Refs = w.refsText()
	if tx.Dialector.Name() == "postgres" {
		// nothing of the create reads the row back: GORM's INSERT sent with the next
		// statement (ExecLater)
		st := tx.Session(&gorm.Session{DryRun: true}).Create(&w.row).Statement
		return sqldb.ExecLater(tx, st.SQL.String(), st.Vars...)
	}
	return tx.Create(&w.row).Error
}

// refsText is projects.refs of what w writes, in the form of migration 00045 (read by
// projectView.parseRefs): cooperation slug and title, solution slug and name, then per
// participant, in position order, partner id, slug, name, role, since and until.
func (w *projectWrite) refsText() string {
	var b strings.Builder
	field := func(s string) {
		b.WriteString(s)
		b.WriteByte(refsField)
	}
	field(w.refs.coop.Slug)
	field(w.refs.coop.Name)
	if w.row.SolutionID != nil {
		field(w.refs.solution.Slug)
		b.WriteString(w.refs.solution.Name)
	} else {
		b.WriteByte(refsField)
	}
	for _, p := range w.participants {
		partner := w.refs.partners[p.PartnerID]
		b.WriteByte(refsParticipant)
		field(p.PartnerID)
		field(partner.Slug)
		field(partner.Name)
		field(p.Role)
		field(p.Since)
		b.WriteString(p.Until)
	}
	return b.String()
}

func (w *projectWrite) columns() map[string]any {
	r := &w.row
	return map[string]any{
		"slug": r.Slug, "title": r.Title, "title_sort": r.TitleSort, "description": r.Description,
		"cooperation_id": r.CooperationID, "solution_id": r.SolutionID, "category": r.Category,
		"started_on": r.StartedOn, "started_on_key": r.StartedOnKey, "planned_end_on": r.PlannedEndOn,
		"ended_on": r.EndedOn, "legal_basis": r.LegalBasis, "budget_planned_cents": r.BudgetPlannedCents,
		"cost_actual_cents": r.CostActualCents, "savings_estimated_cents": r.SavingsEstimatedCents,
		"currency": r.Currency, "tags": r.Tags, "sources": r.Sources,
	}
}

func (w *projectWrite) partners() []string {
	out := make([]string, len(w.participants))
	for i, p := range w.participants {
		out[i] = p.PartnerID
	}
	return out
}

// projectWriteFrom resolves d's references (field errors at cooperation, solution,
// participants[i].partner) and builds the rows to write.
func projectWriteFrom(b *base, tx *gorm.DB, id string, d coop.ProjectDraft, create bool) (*projectWrite, error) {
	var v coop.Violations
	lock := ""
	if tx.Dialector.Name() == "postgres" {
		// A create inserts the refs it reads with its row (refsText): FOR SHARE keeps
		// them exact until it commits (a rename waits; migration 00062). An update
		// only needs them to stay and stay live (FOR KEY SHARE: a rename does not
		// wait, and the project, which the update has locked, is refreshed by it).
		lock = " FOR KEY SHARE"
		if create {
			lock = forShare
		}
	}
	refs, err := resolveProjectRefs(tx.Statement.Context, b.core.InTx(tx), lock, d)
	if err != nil {
		return nil, err
	}
	coopID := refs.id(refs.coops, d.Cooperation, "cooperation", &v, "Kooperation")
	var solutionID string
	if d.Solution != "" {
		solutionID = refs.id(refs.solutions, d.Solution, "solution", &v, "Lösung")
	}
	partnerIDs := make([]string, len(d.Participants))
	for i, p := range d.Participants {
		partnerIDs[i] = refs.id(refs.partnersByRef, p.Partner, fmt.Sprintf("participants[%d].partner", i), &v, "Partner")
	}
	w := buildProjectWrite(id, d, coopID, solutionID, partnerIDs, &v)
	w.refsHeld = lock == forShare
	w.refs = projectRefs{coop: refs.coops[d.Cooperation], solution: refs.solutions[d.Solution], partners: refs.partners}
	return &w, v.Err()
}

// projectRefs are the brief refs of what a project write names: its cooperation, its
// solution and its partners by id.
type projectRefs struct {
	coop, solution coop.Ref
	partners       map[string]coop.Ref
}

// resolvedRefs are the live cooperations, solutions and partners a draft names, by the
// id or slug it names them with (partners also by id, in partners).
type resolvedRefs struct {
	coops, solutions, partnersByRef, partners map[string]coop.Ref
}

// id is the id of ref in m ("" for none), or a field error at path if ref names no
// live resource.
func (r resolvedRefs) id(m map[string]coop.Ref, ref, path string, v *coop.Violations, label string) string {
	if ref == "" {
		return ""
	}
	x, ok := m[ref]
	if !ok {
		refMissing(v, path, label, ref)
	}
	return x.ID
}

// resolveProjectRefs reads d's cooperation, solution and partners in one statement on
// the write's executor, with what a read of the project joins (slug, title or name),
// locking them with lock (PostgreSQL; "" on SQLite, whose writes take turns).
func resolveProjectRefs(ctx context.Context, x sqldb.Executor, lock string, d coop.ProjectDraft) (resolvedRefs, error) {
	partners := make([]string, len(d.Participants))
	for i, p := range d.Participants {
		partners[i] = p.Partner
	}
	part := func(table, name string) string {
		return table[:1] + " AS (SELECT id, slug, " + name + " AS name FROM " + table +
			" WHERE (id IN ? OR slug IN ?) AND deleted_at IS NULL" + lock + ")"
	}
	cIDs, cSlugs := splitRefs([]string{d.Cooperation})
	sIDs, sSlugs := splitRefs([]string{d.Solution})
	pIDs, pSlugs := splitRefs(partners)
	out := resolvedRefs{coops: map[string]coop.Ref{}, solutions: map[string]coop.Ref{},
		partnersByRef: map[string]coop.Ref{}, partners: map[string]coop.Ref{}}
	byKind := map[string]map[string]coop.Ref{"c": out.coops, "s": out.solutions, "p": out.partnersByRef}
	err := x.Query(ctx, sqldb.Raw("WITH "+part("cooperations", "title")+", "+part("solutions", "name")+", "+part("partners", "name")+`
 SELECT 'c' AS kind, id, slug, name FROM c UNION ALL SELECT 's', id, slug, name FROM s
 UNION ALL SELECT 'p', id, slug, name FROM p`, cIDs, cSlugs, sIDs, sSlugs, pIDs, pSlugs), func(r sqldb.Rows) error {
		var kind string
		var ref coop.Ref
		if err := r.Scan(&kind, &ref.ID, &ref.Slug, &ref.Name); err != nil {
			return err
		}
		m := byKind[kind]
		m[ref.ID], m[ref.Slug] = ref, ref
		if kind == "p" {
			out.partners[ref.ID] = ref
		}
		return nil
	})
	return out, err
}

// buildProjectWrite builds the rows of d from its resolved references (ids, "" for an
// unresolved one; partnerIDs in participant order) and adds d's duplicate participants
// and tags to v. The create path and the bulk loader (bulk.go) share it.
func buildProjectWrite(id string, d coop.ProjectDraft, coopID, solutionID string, partnerIDs []string, v *coop.Violations) projectWrite {
	w := projectWrite{row: projectRow{
		ID: id, Slug: d.Slug, Title: strings.TrimSpace(d.Title), TitleSort: textsearch.SortKey(d.Title),
		Description: d.Description, Category: d.Category, StartedOn: d.StartedOn, StartedOnKey: dateKey(d.StartedOn),
		PlannedEndOn: d.PlannedEndOn, EndedOn: d.EndedOn, LegalBasis: jsonText(d.LegalBasis),
		Currency: "EUR", Tags: jsonText(d.Tags), Sources: sourcesText(d.Sources),
	}}
	w.row.CooperationID = coopID
	if solutionID != "" {
		w.row.SolutionID = &solutionID
	}
	if f := d.Finance; f != nil {
		w.row.BudgetPlannedCents = money(f.BudgetPlanned)
		w.row.CostActualCents = money(f.CostActual)
		w.row.SavingsEstimatedCents = money(f.SavingsEstimated)
	}
	seen := map[[2]string]int{}
	for i, p := range d.Participants {
		if partnerIDs[i] == "" {
			continue
		}
		if first, dup := seen[[2]string{partnerIDs[i], p.Role}]; dup {
			v.Add(fmt.Sprintf("participants[%d]", i), "duplicate", "Derselbe Partner ist schon mit der Rolle %q genannt (Eintrag %d)", p.Role, first)
			continue
		}
		seen[[2]string{partnerIDs[i], p.Role}] = i
		w.participants = append(w.participants, participantRow{ProjectID: id, PartnerID: partnerIDs[i], Role: p.Role,
			Since: p.Since, Until: p.Until, Position: i})
	}
	tagAt := map[string]int{}
	for i, t := range d.Tags {
		if first, dup := tagAt[t]; dup {
			v.Add(fmt.Sprintf("tags[%d]", i), "duplicate", "Schlagwort %q ist schon genannt (Eintrag %d)", t, first)
			continue
		}
		tagAt[t] = i
		w.tags = append(w.tags, projectTagRow{ProjectID: id, Tag: t, Position: i})
	}
	return w
}

// money converts a validated decimal string to cents (nil stays nil).
func money(s *string) *int64 {
	if s == nil {
		return nil
	}
	c, err := coop.ParseMoney(*s)
	if err != nil {
		return nil
	}
	n := int64(c)
	return &n
}

// childrenInOne inserts the participants and the tags as one statement (PostgreSQL: a
// data-modifying WITH), one round trip fewer per create than two INSERTs through GORM;
// the rows, and what their triggers do at the statement's end, are the same.
const childrenInOne = `WITH participants AS (
    INSERT INTO project_participants (project_id, partner_id, role, since, until, position)
    SELECT $1::uuid, p.partner_id, p.role, p.since, p.until, p.position
      FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::integer[])
           AS p(partner_id, role, since, until, position)
)
INSERT INTO project_tags (project_id, tag, position)
SELECT $1::uuid, t.tag, t.position FROM unnest($7::text[], $8::integer[]) AS t(tag, position)`

// refsWritten tells the participants' trigger that the create's row holds their
// refs, read from rows locked until the commit (migration 00062): it skips its check.
const refsWritten = "SELECT set_config('ikz.refs_written', $1, true)"

// forShare is the lock of the rows a create names (projectWriteFrom).
const forShare = " FOR SHARE"

func (w *projectWrite) children(tx *gorm.DB, replace bool) error {
	if w.refsHeld && len(w.participants) > 0 {
		if err := sqldb.ExecLater(tx, refsWritten, w.row.ID); err != nil {
			return err
		}
	}
	if !replace && !w.keepParticipants && !w.keepTags && len(w.participants) > 0 && len(w.tags) > 0 &&
		tx.Dialector.Name() == "postgres" {
		n := len(w.participants)
		partners, roles, since, until, pos := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]int32, n)
		for i, p := range w.participants {
			if p.ProjectID != w.row.ID {
				return w.childrenApart(tx, replace)
			}
			partners[i], roles[i], since[i], until[i], pos[i] = p.PartnerID, p.Role, p.Since, p.Until, int32(p.Position)
		}
		tags, tagPos := make([]string, len(w.tags)), make([]int32, len(w.tags))
		for i, t := range w.tags {
			if t.ProjectID != w.row.ID {
				return w.childrenApart(tx, replace)
			}
			tags[i], tagPos[i] = t.Tag, int32(t.Position)
		}
		// nothing of the create reads them back: sent with the next statement (ExecLater)
		return sqldb.ExecLater(tx, childrenInOne, w.row.ID, partners, roles, since, until, pos, tags, tagPos)
	}
	return w.childrenApart(tx, replace)
}

func (w *projectWrite) childrenApart(tx *gorm.DB, replace bool) error {
	if !w.keepParticipants {
		if replace {
			if err := tx.Where("project_id = ?", w.row.ID).Delete(&participantRow{}).Error; err != nil {
				return err
			}
		}
		if len(w.participants) > 0 {
			if err := tx.Create(&w.participants).Error; err != nil {
				return err
			}
		}
	}
	if !w.keepTags {
		if replace {
			if err := tx.Where("project_id = ?", w.row.ID).Delete(&projectTagRow{}).Error; err != nil {
				return err
			}
		}
		if len(w.tags) > 0 {
			return tx.Create(&w.tags).Error
		}
	}
	return nil
}
