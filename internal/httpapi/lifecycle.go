package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// transitionTarget is the resource a transition names (id or slug) and the version it
// must still find. Without If-Match that is the path's reference as it is and any
// version: the transition reads the resource itself, in its transaction. If-Match's
// tag names the resource's id, so with one the resource is read first.
func transitionTarget[R resource](c echo.Context, find func(context.Context, string) (R, error)) (string, int, error) {
	if !conditional(c) {
		return c.Param("id"), 0, nil
	}
	cur, err := find(c.Request().Context(), c.Param("id"))
	if err != nil {
		return "", 0, err
	}
	id := cur.Metadata().ID
	want, err := ifMatchVersion(c, id)
	return id, want, err
}

// ProjectTransitionInput asks to move a project to another status.
type ProjectTransitionInput struct {
	// target status; must be allowed from the current one (see /api/v1/meta/enums)
	To string `json:"to" enums:"idea,planned,in_progress,operational,suspended,completed,terminated,cancelled" example:"in_progress"`
	// date the new status took effect, precision kept; default today; not in the future and not before the previous dated entry
	EffectiveOn string `json:"effective_on,omitempty" example:"2018-06" extensions:"x-pattern=^\\d{4}(-\\d{2}(-\\d{2})?)?$"`
	// why (shown in the history)
	Reason string `json:"reason,omitempty" example:"Projektstart" maxLength:"2000"`
} // @name ProjectTransitionInput

// CooperationTransitionInput asks to move a cooperation to another status.
type CooperationTransitionInput struct {
	// target status; must be allowed from the current one (see /api/v1/meta/enums)
	To string `json:"to" enums:"planned,active,suspended,ended" example:"active"`
	// date the new status took effect, precision kept; default today; not in the future and not before the previous dated entry
	EffectiveOn string `json:"effective_on,omitempty" example:"2018-06" extensions:"x-pattern=^\\d{4}(-\\d{2}(-\\d{2})?)?$"`
	// why (shown in the history)
	Reason string `json:"reason,omitempty" example:"Vereinbarung unterzeichnet" maxLength:"2000"`
} // @name CooperationTransitionInput

// Actor is who made a change: an API token (by the name it was created with), an OIDC
// subject, or the system.
type Actor struct {
	// kind of actor
	Type string `json:"type" enums:"token,oidc,system" example:"token"`
	// token id, OIDC subject, or "system"
	ID string `json:"id" example:"5f0e4c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b"`
	// token name or user name
	Name string `json:"name" example:"portal-muensterland"`
} // @name Actor

// StatusChange is one entry of a status timeline.
type StatusChange struct {
	// previous status; null for the initial entry
	From *string `json:"from" example:"in_progress" enums:"idea,planned,in_progress,operational,suspended,completed,terminated,cancelled,active,ended" extensions:"x-nullable"`
	// new status
	To string `json:"to" example:"operational" enums:"idea,planned,in_progress,operational,suspended,completed,terminated,cancelled,active,ended"`
	// date it took effect, precision kept; null if unknown
	EffectiveOn *string `json:"effective_on" example:"2018-02" extensions:"x-nullable,x-pattern=^\\d{4}(-\\d{2}(-\\d{2})?)?$"`
	// when it was recorded (UTC)
	RecordedAt time.Time `json:"recorded_at" example:"2026-01-31T12:00:00Z" format:"date-time"`
	// who recorded it
	Actor Actor `json:"actor"`
	// why; null if none was given
	Reason *string `json:"reason" example:"Inbetriebnahme" extensions:"x-nullable"`
} // @name StatusChange

// History is a status timeline, oldest first.
type History struct {
	// entries, oldest first
	Items []StatusChange `json:"items"`
} // @name History

func actorOut(a coop.Actor) Actor { return Actor{Type: a.Type, ID: a.ID, Name: a.Name} }

func historyOut(list []coop.StatusChange) History {
	out := History{Items: make([]StatusChange, len(list))}
	for i, h := range list {
		out.Items[i] = StatusChange{
			From: ptr(h.From), To: h.To, EffectiveOn: ptr(h.EffectiveOn.String()),
			RecordedAt: utc(h.RecordedAt), Actor: actorOut(h.Actor), Reason: ptr(h.Reason),
		}
	}
	return out
}

func (in ProjectTransitionInput) transition() coop.Transition {
	return coop.Transition{To: in.To, EffectiveOn: in.EffectiveOn, Reason: in.Reason}
}

func (in CooperationTransitionInput) transition() coop.Transition {
	return coop.Transition{To: in.To, EffectiveOn: in.EffectiveOn, Reason: in.Reason}
}

// handleProjectTransition moves a project along its status machine.
//
//	@ID				transitionProject
//	@Summary		Status eines Vorhabens ändern / move a project to another status
//	@Description	Bewegt das Vorhaben entlang seiner Statusmaschine und antwortet mit dem geänderten Vorhaben. Nicht erlaubter Übergang: 409 mit `allowed`; unbekannter Status, Datum in der Zukunft oder vor dem letzten datierten Eintrag: 422. `If-Match` wird beachtet. Moves the project along its machine; a refused move is 409 naming the allowed targets; an unknown status or a bad, future or out-of-order effective_on is 422; If-Match is honoured.
//	@Tags			projects
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string			true	"id or slug"	example(rechenzentren)	maxLength(100)
//	@Param			If-Match	header		string			false	"ETag of the version this change is based on"	maxLength(200)
//	@Param			body		body		ProjectTransitionInput	true	"target status, effective date and reason"
//	@Success		200			{object}	Project
//	@Header			200			{string}	ETag	"strong tag of the new version"
//	@Failure		400			{object}	Problem
//	@Failure		401			{object}	Problem
//	@Failure		403			{object}	Problem
//	@Failure		404			{object}	Problem
//	@Failure		409			{object}	Problem
//	@Failure		412			{object}	Problem
//	@Failure		413			{object}	Problem
//	@Failure		415			{object}	Problem
//	@Failure		422			{object}	Problem
//	@Failure		503			{object}	Problem
//	@Failure		429			{object}	Problem
//	@Failure		500			{object}	Problem
//	@Security		BearerAuth
//	@Router			/api/v1/projects/{id}/transitions [post]
func (s *Server) handleProjectTransition(c echo.Context) error {
	if err := canWrite(c); err != nil {
		return err
	}
	ctx := c.Request().Context()
	ref, want, err := transitionTarget(c, s.svc.FindProject)
	if err != nil {
		return err
	}
	var in ProjectTransitionInput
	if err := bindBody(c, &in); err != nil {
		return err
	}
	var p coop.Project
	err = applyInTurn(c, func() (err error) {
		p, err = s.svc.TransitionProject(ctx, ref, in.transition(), want)
		return err
	})
	if err != nil {
		return err
	}
	countWrite(coop.TypeProject, coop.ActionTransition)
	return s.writeResource(c, http.StatusOK, p.ID, p.Version, projectOut(p, seesFinance(c)))
}

// handleProjectHistory shows a project's status timeline.
//
//	@ID				getProjectHistory
//	@Summary		Statusverlauf eines Vorhabens / status history of a project
//	@Description	Jeder Status, den das Vorhaben hatte, mit Wirksamkeitsdatum, Erfassungszeit, Akteur und Grund, älteste zuerst. Every status the project has been in, oldest first.
//	@Tags			projects
//	@Produce		json
//	@Param			id	path		string	true	"id or slug"	example(it-hotline)	maxLength(100)
//	@Success		200	{object}	History
//	@Header			200	{string}	ETag	"weak tag of the timeline"
//	@Success		304	"not modified"
//	@Failure		400	{object}	Problem
//	@Failure		401	{object}	Problem
//	@Failure		404	{object}	Problem
//	@Failure		503	{object}	Problem
//	@Failure		429	{object}	Problem
//	@Failure		500	{object}	Problem
//	@Router			/api/v1/projects/{id}/history [get]
func (s *Server) handleProjectHistory(c echo.Context) error {
	if err := s.canRead(c); err != nil {
		return err
	}
	list, err := s.svc.ProjectHistory(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return s.writeCached(c, http.StatusOK, historyOut(list), "")
}

// handleCooperationTransition moves a cooperation along its status machine.
//
//	@ID				transitionCooperation
//	@Summary		Status einer Kooperation ändern / move a cooperation to another status
//	@Description	Bewegt die Kooperation entlang ihrer Statusmaschine (planned → active, ended; active → suspended, ended; suspended → active, ended) und antwortet mit der geänderten Kooperation. Nicht erlaubter Übergang: 409 mit `allowed`; unbekannter Status oder ungültiges Datum: 422. Moves the cooperation along its machine; a refused move is 409 naming the allowed targets; an unknown status or a bad date is 422; If-Match is honoured.
//	@Tags			cooperations
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string			true	"id or slug"	example(archivverbund-westfalen)	maxLength(100)
//	@Param			If-Match	header		string			false	"ETag of the version this change is based on"	maxLength(200)
//	@Param			body		body		CooperationTransitionInput	true	"target status, effective date and reason"
//	@Success		200			{object}	Cooperation
//	@Header			200			{string}	ETag	"strong tag of the new version"
//	@Failure		400			{object}	Problem
//	@Failure		401			{object}	Problem
//	@Failure		403			{object}	Problem
//	@Failure		404			{object}	Problem
//	@Failure		409			{object}	Problem
//	@Failure		412			{object}	Problem
//	@Failure		413			{object}	Problem
//	@Failure		415			{object}	Problem
//	@Failure		422			{object}	Problem
//	@Failure		503			{object}	Problem
//	@Failure		429			{object}	Problem
//	@Failure		500			{object}	Problem
//	@Security		BearerAuth
//	@Router			/api/v1/cooperations/{id}/transitions [post]
func (s *Server) handleCooperationTransition(c echo.Context) error {
	if err := canWrite(c); err != nil {
		return err
	}
	ctx := c.Request().Context()
	ref, want, err := transitionTarget(c, s.svc.FindCooperation)
	if err != nil {
		return err
	}
	var in CooperationTransitionInput
	if err := bindBody(c, &in); err != nil {
		return err
	}
	var co coop.Cooperation
	err = applyInTurn(c, func() (err error) {
		co, err = s.svc.TransitionCooperation(ctx, ref, in.transition(), want)
		return err
	})
	if err != nil {
		return err
	}
	countWrite(coop.TypeCooperation, coop.ActionTransition)
	return s.writeResource(c, http.StatusOK, co.ID, co.Version, cooperationOut(co))
}

// handleCooperationHistory shows a cooperation's status timeline.
//
//	@ID				getCooperationHistory
//	@Summary		Statusverlauf einer Kooperation / status history of a cooperation
//	@Description	Jeder Status, den die Kooperation hatte, mit Wirksamkeitsdatum, Erfassungszeit, Akteur und Grund, älteste zuerst. Every status the cooperation has been in, oldest first.
//	@Tags			cooperations
//	@Produce		json
//	@Param			id	path		string	true	"id or slug"	example(it-kooperation-muenster-lwl)	maxLength(100)
//	@Success		200	{object}	History
//	@Header			200	{string}	ETag	"weak tag of the timeline"
//	@Success		304	"not modified"
//	@Failure		400	{object}	Problem
//	@Failure		401	{object}	Problem
//	@Failure		404	{object}	Problem
//	@Failure		503	{object}	Problem
//	@Failure		429	{object}	Problem
//	@Failure		500	{object}	Problem
//	@Router			/api/v1/cooperations/{id}/history [get]
func (s *Server) handleCooperationHistory(c echo.Context) error {
	if err := s.canRead(c); err != nil {
		return err
	}
	list, err := s.svc.CooperationHistory(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return s.writeCached(c, http.StatusOK, historyOut(list), "")
}
