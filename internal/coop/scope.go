package coop

// MayEdit applies the partner scope of an editor bound to partners: a write that
// involves the partners before (the stored state; nil for a create) and after (the new
// state) is allowed only if one of the editor's partners is among them on both sides,
// so a bound editor can neither touch other partners' entries nor write its own
// partner out of one. Unbound editors, admins and the system may write everything;
// the role check itself is the HTTP layer's.
func MayEdit(a Actor, before, after []string) bool {
	if a.Type == ActorSystem || a.Role == "admin" || len(a.Partners) == 0 {
		return true
	}
	if before != nil && !intersects(a.Partners, before) {
		return false
	}
	return intersects(a.Partners, after)
}

func intersects(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}
