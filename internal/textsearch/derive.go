package textsearch

import "strings"

// Derive returns the prefixes a query word finds documents by: its stem first,
// then the forms German derives from it where the derivation is regular.
//
//   - Verbs in -ieren and their nouns share a root: archiviert, archivieren and
//     Archivierung all start with "archivier"; kooperieren and Kooperation share
//     "kooper", so a verb form also finds the noun in -ation and the noun finds
//     the verb ("kooperier", "kooperation"). A root in -iz/-ik changes its
//     consonant: kommunizieren ↔ Kommunikation.
//   - Weak verbs and their nouns in -ung share the stem already (planen and
//     Planung: "plan"), which needs nothing here.
//
// The root must have at least four letters (Papier, Station stay as they are).
// A prefix that another prefix of the list starts with is left out: it finds
// nothing more. w is a folded word (see [Fold]).
func Derive(w string) []string {
	out := []string{stem(w)}
	add := func(p string) {
		if len(p) > MaxTokenLen {
			p = p[:MaxTokenLen]
		}
		out = append(out, p)
	}
	if root, ok := ierenRoot(w); ok {
		add(root + "ier")
		add(root + "ation")
		if r, ok := strings.CutSuffix(root, "iz"); ok {
			add(r + "ikation")
		}
	}
	if root, ok := ationRoot(w); ok {
		add(root + "ier")
		if r, ok := strings.CutSuffix(root, "ik"); ok {
			add(r + "izier")
		}
	}
	return minimalPrefixes(out)
}

// minRootLen is the shortest root Derive derives from.
const minRootLen = 4

// ierenEndings are the endings after the -ier- of a verb in -ieren (its
// inflections and participles) or of its noun in -ierung.
var ierenEndings = []string{"", "e", "en", "end", "ende", "endem", "enden", "ender", "endes", "est", "et",
	"st", "t", "te", "tem", "ten", "ter", "tes", "test", "tet", "ung", "ungen"}

// ierenRoot returns the root of a form of a verb in -ieren ("archiviert" →
// "archiv").
func ierenRoot(w string) (string, bool) {
	for i := strings.LastIndex(w, "ier"); i >= minRootLen; i = strings.LastIndex(w[:i], "ier") {
		for _, e := range ierenEndings {
			if w[i+3:] == e {
				return w[:i], true
			}
		}
		break // only the last -ier- can carry an ending
	}
	return "", false
}

// ationRoot returns the root of a noun in -ation ("kooperationen" → "kooper").
func ationRoot(w string) (string, bool) {
	for _, e := range []string{"ation", "ationen"} {
		if root, ok := strings.CutSuffix(w, e); ok && len(root) >= minRootLen {
			return root, true
		}
	}
	return "", false
}

// minimalPrefixes keeps the first occurrence of each prefix that no other prefix
// of the list starts (a shorter prefix finds all it finds).
func minimalPrefixes(ps []string) []string {
	var out []string
	for i, p := range ps {
		covered := false
		for j, q := range ps {
			if i != j && strings.HasPrefix(p, q) && (len(q) < len(p) || j < i) {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, p)
		}
	}
	return out
}
