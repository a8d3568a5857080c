package store

import (
	"context"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// Who may write what: an editor bound to partners (coop.Actor.Partners) may write
// only what its partners take part in, before and after the write (coop.MayEdit).
// The write sequence (write.go) asks after it has resolved a draft's references.

// mayEdit applies the editor's partner scope (coop.MayEdit) to a write touching the
// given partner ids before and after it.
func mayEdit(ctx context.Context, before, after []string) error {
	if !coop.MayEdit(coop.ActorFrom(ctx), before, after) {
		return coop.Errorf(coop.EForbidden, "Ihr Zugang ist an Partner gebunden, die hier nicht beteiligt sind (oder nicht mehr wären) / your token's partners do not take part")
	}
	return nil
}

// mayCreatePartner: an editor bound to partners may change only its own partners and
// create none.
func mayCreatePartner(ctx context.Context) error {
	if a := coop.ActorFrom(ctx); a.Role == "editor" && len(a.Partners) > 0 {
		return coop.Errorf(coop.EForbidden, "Ein an Partner gebundener Zugang kann keine Partner anlegen")
	}
	return nil
}

// mayEditSolution: solutions are shared by all partners, so an editor bound to
// partners may not change them; unbound editors and admins may (api.md "Access").
func mayEditSolution(ctx context.Context) error {
	if a := coop.ActorFrom(ctx); a.Role == "editor" && len(a.Partners) > 0 {
		return coop.Errorf(coop.EForbidden, "Ein an Partner gebundener Zugang kann keine Lösungen ändern / bound editors cannot change solutions")
	}
	return nil
}
