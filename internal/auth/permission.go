package auth

import "strings"

// The permission rules of the API contract ("Access"). Every function accepts a nil
// *Principal (the anonymous caller) and answers with a bool; use [Require] to turn the
// answer into ErrUnauthenticated or ErrForbidden.

// CanReadDirectory reports whether p may read directory data (partners, cooperations,
// projects, solutions): everyone when publicRead (IKZ_PUBLIC_READ) is on, otherwise
// any authenticated caller.
func CanReadDirectory(p *Principal, publicRead bool) bool {
	return publicRead || p.Authenticated()
}

// CanSeeFinance reports whether p may see finance fields and money sums
// (controlling and admin).
func CanSeeFinance(p *Principal) bool {
	return hasRole(p, RoleControlling, RoleAdmin)
}

// CanReadChanges reports whether p may read the change feed (any authenticated caller).
func CanReadChanges(p *Principal) bool { return p.Authenticated() }

// CanExport reports whether p may download exports: like [CanReadDirectory], everyone
// when publicRead is on (open data), otherwise any authenticated caller. Whether the
// money columns are included is decided by [CanSeeFinance].
func CanExport(p *Principal, publicRead bool) bool { return CanReadDirectory(p, publicRead) }

// CanWriteFinance reports whether p may write finance fields: writing a field needs the
// right to read it, so only a caller who may write the directory and see money
// (admin, or editor with controlling).
func CanWriteFinance(p *Principal) bool {
	return CanWriteDirectory(p) && CanSeeFinance(p)
}

// CanWriteDirectory reports whether p may write directory data at all (editor and
// admin). For a bound editor, the May… functions decide which resources it may write.
func CanWriteDirectory(p *Principal) bool {
	return hasRole(p, RoleEditor, RoleAdmin)
}

// CanRestore reports whether p may restore soft-deleted resources (admin).
func CanRestore(p *Principal) bool { return hasRole(p, RoleAdmin) }

// CanManageTokens reports whether p may list, create and revoke API tokens (admin).
func CanManageTokens(p *Principal) bool { return hasRole(p, RoleAdmin) }

// MayEditPartner reports whether p may create, change or delete the partner known by
// the given identifiers (pass its id and its slug, so either kind of binding matches).
// Admins and unbound editors may change every partner; a bound editor only the partners
// it is bound to, so it can create none.
func MayEditPartner(p *Principal, partner ...string) bool {
	if !CanWriteDirectory(p) {
		return false
	}
	return !p.Bound() || p.boundToAny(partner)
}

// MayCreateProject reports whether p may create a project whose participants are the
// given partners: admins and unbound editors always, a bound editor only if one of its
// partners takes part.
func MayCreateProject(p *Principal, participants []string) bool {
	if !CanWriteDirectory(p) {
		return false
	}
	return !p.Bound() || p.boundToAny(participants)
}

// MayEditProject reports whether p may change a project whose participating partners
// are before (the stored state) and after (the state the write would produce): admins
// and unbound editors always; a bound editor only if one of its partners takes part in
// both states, so it can neither take over a foreign project nor write its own partner
// out. For a delete or a status transition pass the same list twice.
func MayEditProject(p *Principal, before, after []string) bool {
	if !CanWriteDirectory(p) {
		return false
	}
	return !p.Bound() || (p.boundToAny(before) && p.boundToAny(after))
}

// MayCreateCooperation is [MayCreateProject] for a cooperation and its members.
func MayCreateCooperation(p *Principal, members []string) bool {
	return MayCreateProject(p, members)
}

// MayEditCooperation is [MayEditProject] for a cooperation and its members.
func MayEditCooperation(p *Principal, before, after []string) bool {
	return MayEditProject(p, before, after)
}

// Participation is one partner's part in a project (or membership in a cooperation),
// as the partner scope compares them: a partner takes part at most once per role.
type Participation struct {
	Partner      string // the partner's id (or slug, the kind of identifier Partners use)
	Role         string
	Since, Until string
}

// MayChangeParticipations reports whether p may turn the participations before (the
// stored ones) into after: admins and unbound editors always; a bound editor may add
// participations, and change or remove those of its own partners only, since another
// partner's part is for that partner's editors (or an admin) to change. Whether p may
// edit the project at all is [MayEditProject]'s question.
func MayChangeParticipations(p *Principal, before, after []Participation) bool {
	if !CanWriteDirectory(p) {
		return false
	}
	if !p.Bound() {
		return true
	}
	kept := map[[2]string]Participation{}
	for _, a := range after {
		kept[[2]string{a.Partner, a.Role}] = a
	}
	for _, b := range before {
		if a, ok := kept[[2]string{b.Partner, b.Role}]; ok && a == b {
			continue
		}
		if !p.boundToAny([]string{b.Partner}) {
			return false
		}
	}
	return true
}

// MayMakeParent reports whether p may make the partner known by the given identifiers
// (its id and slug) the parent of a partner it edits: admins and unbound editors
// always, a bound editor only one of its own partners, since a child shows among its
// parent's children.
func MayMakeParent(p *Principal, parent ...string) bool {
	return CanWriteDirectory(p) && (!p.Bound() || p.boundToAny(parent))
}

// MayEditSolution reports whether p may create, change or delete a solution: admins
// and unbound editors. A bound editor may change only its partners and the
// cooperations and projects they take part in, not shared resources like solutions.
func MayEditSolution(p *Principal) bool {
	return CanWriteDirectory(p) && !p.Bound()
}

// hasRole reports whether p is authenticated and holds one of roles.
func hasRole(p *Principal, roles ...Role) bool {
	for _, r := range roles {
		if p.Has(r) {
			return true
		}
	}
	return false
}

// boundToAny reports whether one of ids is one of p's partners (case-insensitive, as
// slugs are lower-case and UUIDs may be written either way).
func (p *Principal) boundToAny(ids []string) bool {
	for _, id := range ids {
		for _, mine := range p.Partners {
			if id != "" && strings.EqualFold(id, mine) {
				return true
			}
		}
	}
	return false
}
