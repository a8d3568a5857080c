package store

import (
	"context"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// Who may write what: the partner scope of an editor bound to partners, applied where
// the data is (the rules are package auth's). The role checks themselves are the HTTP
// layer's, so an actor that is not a bound editor passes these. The write sequence
// (write.go) asks after it has resolved a draft's references.

// boundEditor returns ctx's actor as a principal if it is an editor bound to partners.
func boundEditor(ctx context.Context) (*auth.Principal, bool) {
	p := auth.PrincipalOf(coop.ActorFrom(ctx))
	return p, p.Bound()
}

// mayEdit refuses a write by a bound editor whose partners do not take part in the
// resource before (the stored state; nil for a create) and after it.
func mayEdit(ctx context.Context, before, after []string) error {
	p, bound := boundEditor(ctx)
	if !bound {
		return nil
	}
	ok := auth.MayCreateProject(p, after)
	if before != nil {
		ok = auth.MayEditProject(p, before, after)
	}
	if !ok {
		return coop.Errorf(coop.EForbidden, "Ihr Zugang ist an Partner gebunden, die hier nicht beteiligt sind (oder nicht mehr wären) / your token's partners do not take part")
	}
	return nil
}

// mayChangeParticipations refuses a bound editor's change or removal of another
// partner's participation (or membership).
func mayChangeParticipations(ctx context.Context, before, after []auth.Participation) error {
	p, bound := boundEditor(ctx)
	if bound && !auth.MayChangeParticipations(p, before, after) {
		return coop.Errorf(coop.EForbidden, "Die Beteiligung eines anderen Partners ändern oder entfernen darf nur ein Zugang dieses Partners / only an editor of that partner may change or remove its part")
	}
	return nil
}

// mayMakeParent: a bound editor may make only one of its own partners a parent.
func mayMakeParent(ctx context.Context, parentID string) error {
	if p, bound := boundEditor(ctx); bound && parentID != "" && !auth.MayMakeParent(p, parentID) {
		return coop.Errorf(coop.EForbidden, "Einen anderen Partner zum übergeordneten machen darf nur ein Zugang dieses Partners / only an editor of that partner may make it a parent")
	}
	return nil
}

// mayCreatePartner: an editor bound to partners may change only its own partners and
// create none.
func mayCreatePartner(ctx context.Context) error {
	if _, bound := boundEditor(ctx); bound {
		return coop.Errorf(coop.EForbidden, "Ein an Partner gebundener Zugang kann keine Partner anlegen / an access bound to partners cannot create partners")
	}
	return nil
}

// mayEditSolution: solutions are shared by all partners, so an editor bound to
// partners may not change them; unbound editors and admins may (README.md, "Roles").
func mayEditSolution(ctx context.Context) error {
	if _, bound := boundEditor(ctx); bound {
		return coop.Errorf(coop.EForbidden, "Ein an Partner gebundener Zugang kann keine Lösungen ändern / bound editors cannot change solutions")
	}
	return nil
}

// participationsOf are a stored project's participants as the partner scope compares
// them.
func participationsOf(p coop.Project) []auth.Participation {
	out := make([]auth.Participation, len(p.Participants))
	for i, x := range p.Participants {
		out[i] = auth.Participation{Partner: x.Partner.ID, Role: x.Role, Since: x.Since.String(), Until: x.Until.String()}
	}
	return out
}

// participations are a project write's participants as the partner scope compares them.
func (w *projectWrite) participations() []auth.Participation {
	out := make([]auth.Participation, len(w.participants))
	for i, p := range w.participants {
		out[i] = auth.Participation{Partner: p.PartnerID, Role: p.Role, Since: p.Since, Until: p.Until}
	}
	return out
}

// membershipsOf are a stored cooperation's members as the partner scope compares them.
func membershipsOf(c coop.Cooperation) []auth.Participation {
	out := make([]auth.Participation, len(c.Members))
	for i, m := range c.Members {
		out[i] = auth.Participation{Partner: m.Partner.ID, Role: m.Role}
	}
	return out
}

// memberships are a cooperation write's members as the partner scope compares them.
func (w *cooperationWrite) memberships() []auth.Participation {
	out := make([]auth.Participation, len(w.members))
	for i, r := range w.members {
		out[i] = auth.Participation{Partner: r.PartnerID, Role: r.Role}
	}
	return out
}

// participantPartnerIDs returns the partner ids of p's participants, for the editor
// scope.
func participantPartnerIDs(p coop.Project) []string {
	out := make([]string, len(p.Participants))
	for i, x := range p.Participants {
		out[i] = x.Partner.ID
	}
	return out
}
