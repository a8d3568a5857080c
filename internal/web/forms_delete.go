package web

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// deletable describes a kind of resource to the one delete and restore flow of the
// forms (projects, partners, cooperations, solutions): the delete form posts the
// version it was loaded with (the API's If-Match), the services' rules decide (a
// resource still referred to is refused, and the page lists what refers to it), and
// admins restore.
type deletable struct {
	kind string // the list page's path segment: vorhaben, partner, kooperationen, loesungen
	done string // the title of the page after a delete, e.g. "Vorhaben gelöscht"
	// load reads the stored resource if the signed-in person may change it.
	load    func(c echo.Context, r *request) (entry, error)
	remove  func(ctx context.Context, id string, version int) error
	restore func(ctx context.Context, slug string) (string, error) // → the restored resource's slug
}

// entry is what the delete flow shows of a resource.
type entry struct{ ID, Slug, Title string }

// registerDeletion adds POST …/{slug}/loeschen and …/{slug}/wiederherstellen of d.
func (s *Site) registerDeletion(post func(string, handler), d deletable) {
	post("/verzeichnis/"+d.kind+"/:slug/loeschen", func(c echo.Context, r *request) error { return s.remove(c, r, d) })
	post("/verzeichnis/"+d.kind+"/:slug/wiederherstellen", func(c echo.Context, r *request) error { return s.restore(c, r, d) })
}

type deletedPage struct {
	Title, Slug, Kind string
	Restore           bool
}

// remove soft-deletes the resource and shows admins the way back; a delete refused
// because live resources still refer to it shows them (409).
func (s *Site) remove(c echo.Context, r *request, d deletable) error {
	e, err := d.load(c, r)
	if err != nil {
		return err
	}
	err = d.remove(c.Request().Context(), e.ID, max(formInt(c, "version"), 1))
	var ce *coop.Error
	if errors.As(err, &ce) && len(ce.BlockedBy) > 0 {
		return s.renderBlocked(c, r, e, ce.BlockedBy)
	}
	if err != nil {
		return err
	}
	return r.render(http.StatusOK, "deleted", r.T(d.done), deletedPage{Title: e.Title, Slug: e.Slug,
		Restore: auth.CanRestore(r.p), Kind: d.kind})
}

// restore brings a soft-deleted resource back (admin) and opens its page.
func (s *Site) restore(c echo.Context, r *request, d deletable) error {
	if err := r.requireRestorer(); err != nil {
		return err
	}
	slug, err := d.restore(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, r.url("/verzeichnis/"+d.kind+"/"+slug)+"?gespeichert=1")
}

// requireRestorer lets admins restore deleted entries.
func (r *request) requireRestorer() error {
	if auth.CanRestore(r.p) {
		return nil
	}
	if r.p == nil {
		return errSignIn
	}
	return coop.Errorf(coop.EForbidden, "%s", r.T("Nur die Administration darf gelöschte Einträge wiederherstellen."))
}

// maxBlockers bounds the referring resources a refused delete names one by one.
const maxBlockers = 20

// blockers are the live resources of one kind that refer to one whose delete was
// refused: the kind's list label (Vorhaben, Kooperationen …) and each one's link.
type blockers struct {
	Label string
	Items []blocker
}

type blocker struct{ Type, Slug, Name string }

// listLabels name the kinds of resources as the navigation does.
var listLabels = map[string]string{coop.TypePartner: "Partner", coop.TypeCooperation: "Kooperationen",
	coop.TypeProject: "Vorhaben", coop.TypeSolution: "Lösungen"}

// renderBlocked shows why a delete was refused: the resources that still refer to e,
// by kind, each by its name and linked (the first maxBlockers; the rest counted).
func (s *Site) renderBlocked(c echo.Context, r *request, e entry, by []coop.Blocker) error {
	ctx := c.Request().Context()
	data := errorPage{Status: http.StatusConflict, RequestID: c.Response().Header().Get(echo.HeaderXRequestID),
		Message: r.Tf("„%s“ lässt sich nicht löschen, solange diese Einträge darauf verweisen:", e.Title)}
	for i, b := range by {
		if i == maxBlockers {
			data.More = len(by) - i
			break
		}
		label := r.T(listLabels[b.Type])
		if n := len(data.Blockers); n == 0 || data.Blockers[n-1].Label != label {
			data.Blockers = append(data.Blockers, blockers{Label: label})
		}
		g := &data.Blockers[len(data.Blockers)-1]
		g.Items = append(g.Items, blocker{Type: b.Type, Slug: b.Slug, Name: s.nameOf(ctx, b)})
	}
	return r.render(http.StatusConflict, "error", r.T("Löschen nicht möglich"), data)
}

// nameOf is the name or title of a referring resource (its slug if it cannot be read).
func (s *Site) nameOf(ctx context.Context, b coop.Blocker) string {
	var name string
	var err error
	switch b.Type {
	case coop.TypePartner:
		var p coop.Partner
		p, err = s.svc.FindPartner(ctx, b.ID)
		name = p.Name
	case coop.TypeCooperation:
		var co coop.Cooperation
		co, err = s.svc.FindCooperation(ctx, b.ID)
		name = co.Title
	case coop.TypeProject:
		var p coop.Project
		p, err = s.svc.FindProject(ctx, b.ID)
		name = p.Title
	case coop.TypeSolution:
		var so coop.Solution
		so, err = s.svc.FindSolution(ctx, b.ID)
		name = so.Name
	}
	if err != nil || name == "" {
		return b.Slug
	}
	return name
}

// The four kinds of resources the forms delete and admins restore.

func (s *Site) projectDeletion() deletable {
	return deletable{kind: "vorhaben", done: "Vorhaben gelöscht",
		load: func(c echo.Context, r *request) (entry, error) {
			p, err := s.loadEditable(c, r)
			return entry{p.ID, p.Slug, p.Title}, err
		},
		remove: s.svc.DeleteProject,
		restore: func(ctx context.Context, slug string) (string, error) {
			p, err := s.svc.RestoreProject(ctx, slug, 0)
			return p.Slug, err
		}}
}

func (s *Site) partnerDeletion() deletable {
	return deletable{kind: "partner", done: "Partner gelöscht",
		load: func(c echo.Context, r *request) (entry, error) {
			p, err := s.loadEditablePartner(c, r)
			return entry{p.ID, p.Slug, p.Name}, err
		},
		remove: s.svc.DeletePartner,
		restore: func(ctx context.Context, slug string) (string, error) {
			p, err := s.svc.RestorePartner(ctx, slug, 0)
			return p.Slug, err
		}}
}

func (s *Site) cooperationDeletion() deletable {
	return deletable{kind: "kooperationen", done: "Kooperation gelöscht",
		load: func(c echo.Context, r *request) (entry, error) {
			co, err := s.loadEditableCooperation(c, r)
			return entry{co.ID, co.Slug, co.Title}, err
		},
		remove: s.svc.DeleteCooperation,
		restore: func(ctx context.Context, slug string) (string, error) {
			co, err := s.svc.RestoreCooperation(ctx, slug, 0)
			return co.Slug, err
		}}
}

func (s *Site) solutionDeletion() deletable {
	return deletable{kind: "loesungen", done: "Lösung gelöscht",
		load: func(c echo.Context, r *request) (entry, error) {
			so, err := s.loadEditableSolution(c, r)
			return entry{so.ID, so.Slug, so.Name}, err
		},
		remove: s.svc.DeleteSolution,
		restore: func(ctx context.Context, slug string) (string, error) {
			so, err := s.svc.RestoreSolution(ctx, slug, 0)
			return so.Slug, err
		}}
}
