package store

import (
	"context"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/sqldb"
)

// maxReason bounds the reason of a transition.
const maxReason = 2000

// statusSubject is the resource a transition moves.
type statusSubject struct {
	table, typ string
	machine    coop.Machine
	meta       coop.Meta
	status     string
	partners   []string // for the editor scope
}

// transition checks and writes one status change: the version bump with the new
// status, the timeline entry and the change-log record; it returns the time of the
// write (the resource's new updated_at).
func (b *base) transition(ctx context.Context, tx *gorm.DB, s statusSubject, t coop.Transition, ifVersion int) (time.Time, error) {
	now := b.now()
	if err := checkVersion(s.meta.Version, ifVersion); err != nil {
		return now, err
	}
	if err := mayEdit(ctx, s.partners, s.partners); err != nil {
		return now, err
	}
	if err := t.Validate().Err(); err != nil {
		return now, err
	}
	q := sqldb.SelectFrom("effective_on", "status_changes").
		Where("resource_type = ? AND resource_id = ? AND effective_on_key <> ''", s.typ, s.meta.ID).
		OrderBy("effective_on_key DESC")
	q.Limit = 1
	latest, err := sqldb.ReadAll(ctx, b.core.InTx(tx), q.Stmt(), func(e *string) []any { return []any{e} })
	if err != nil {
		return now, err
	}
	eff, err := checkTransition(s.machine, s.status, t, latest, now)
	if err != nil {
		return now, err
	}
	if err := bump(tx, s.table, s.meta.ID, s.meta.Version, map[string]any{"status": t.To}, now); err != nil {
		return now, err
	}
	entry := statusChangeRowOf(ctx, s.typ, s.meta.ID, s.status, t.To, eff.String(), t.Reason, now)
	return now, b.logChangeWith(ctx, tx, &entry, coop.ActionTransition, s.typ, s.meta.ID, s.meta.Version+1,
		transitionChanges(s.status, t, eff), now)
}

// transitionChanges is what the change log records of a transition from status.
func transitionChanges(status string, t coop.Transition, eff coop.PartialDate) map[string]coop.FieldChange {
	changes := map[string]coop.FieldChange{
		"status":       {Old: status, New: t.To},
		"effective_on": {Old: nil, New: eff.String()},
	}
	if t.Reason != "" {
		changes["reason"] = coop.FieldChange{Old: nil, New: t.Reason}
	}
	return changes
}

// checkTransition checks t against the machine, the current status and the latest
// dated timeline entry (latest: none or one effective_on) at now, and returns the date
// it takes effect: 422 for an unknown target or a bad, future or out-of-order
// effective_on, 409 for a move the machine refuses. The transition path and the bulk
// loader (bulk.go) share it.
func checkTransition(m coop.Machine, status string, t coop.Transition, latest []string, now time.Time) (coop.PartialDate, error) {
	var v coop.Violations
	switch {
	case t.To == "":
		v.Add("to", "required", "Zielstatus fehlt / target status missing")
	case !m.Known(t.To):
		v.Add("to", "enum", "Unbekannter Status %q / unknown status", t.To)
	}
	eff := coop.DateFromTime(now)
	if t.EffectiveOn != "" {
		d, err := coop.ParsePartialDate(t.EffectiveOn)
		switch {
		case err != nil:
			v.Add("effective_on", "date", "%s", err.Error())
		case d.InFuture(now):
			v.Add("effective_on", "future", "Das Datum liegt in der Zukunft / date in the future")
		default:
			eff = d
		}
	}
	if utf8.RuneCountInString(t.Reason) > maxReason {
		v.Add("reason", "max_length", "Höchstens %d Zeichen", maxReason)
	}
	if len(latest) == 1 && eff.Key() < dateKey(latest[0]) {
		v.Add("effective_on", "before_previous", "%s liegt vor dem letzten Eintrag der Historie (%s) / before the previous entry", eff, latest[0])
	}
	if err := v.Err(); err != nil {
		return eff, err
	}
	return eff, m.CheckTransition(status, t.To)
}

// initialStatusRow is a create's first timeline entry: effective on the date asked
// for, else on started_on (unless that lies ahead: then today, since a timeline entry
// is never in the future), else undated.
func initialStatusRow(ctx context.Context, typ, id, status, effectiveOn, startedOn string, now time.Time) *statusChangeRow {
	row := statusChangeRowOf(ctx, typ, id, "", status, initialEffectiveOn(effectiveOn, startedOn, now), "", now)
	return &row
}

// initialEffectiveOn is the date a create's first timeline entry takes effect (see
// initialStatusRow).
func initialEffectiveOn(effectiveOn, startedOn string, now time.Time) string {
	eff := effectiveOn
	if eff == "" && startedOn != "" {
		eff = startedOn
		if date(startedOn).InFuture(now) {
			eff = coop.DateFromTime(now).String()
		}
	}
	return eff
}

// statusChangeRowOf is the timeline entry of one status change by ctx's actor.
func statusChangeRowOf(ctx context.Context, typ, id, from, to, effectiveOn, reason string, now time.Time) statusChangeRow {
	a := coop.ActorFrom(ctx)
	return statusChangeRow{
		ResourceType: typ, ResourceID: id, FromStatus: from, ToStatus: to,
		EffectiveOn: effectiveOn, EffectiveOnKey: dateKey(effectiveOn), RecordedAt: now,
		ActorType: a.Type, ActorID: a.ID, ActorName: a.Name, Reason: reason,
	}
}

// ProjectHistory returns the status timeline of a live project, oldest first.
func (s *ProjectService) ProjectHistory(ctx context.Context, ref string) ([]coop.StatusChange, error) {
	return s.history(ctx, "projects", coop.TypeProject, "Vorhaben", ref)
}

// CooperationHistory returns the status timeline of a live cooperation, oldest first.
func (s *CooperationService) CooperationHistory(ctx context.Context, ref string) ([]coop.StatusChange, error) {
	return s.history(ctx, "cooperations", coop.TypeCooperation, "Kooperation", ref)
}

func (b *base) history(ctx context.Context, table, typ, label, ref string) ([]coop.StatusChange, error) {
	cond, arg := refWhere("r", ref)
	var (
		ids  []string
		rows []statusChangeRow
	)
	err := b.session(ctx, func(conn *gorm.DB) error {
		if err := conn.Table(table+" r").Where("r.deleted_at IS NULL").Where(cond, arg).Limit(1).Pluck("r.id", &ids).Error; err != nil {
			return err
		}
		if len(ids) == 0 {
			return coop.Errorf(coop.ENotFound, "%s %q nicht gefunden / not found", label, ref)
		}
		return conn.Where("resource_type = ? AND resource_id = ?", typ, ids[0]).Order("id").Find(&rows).Error
	})
	if err != nil {
		return nil, err
	}
	out := make([]coop.StatusChange, len(rows))
	for i, r := range rows {
		out[i] = coop.StatusChange{
			From: r.FromStatus, To: r.ToStatus, EffectiveOn: date(r.EffectiveOn), RecordedAt: r.RecordedAt.UTC(),
			Actor: coop.Actor{Type: r.ActorType, ID: r.ActorID, Name: r.ActorName}, Reason: r.Reason,
		}
	}
	return out, nil
}
