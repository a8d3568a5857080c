package auth_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
)

// Callers of the permission tests, by name.
var (
	anonymous   *auth.Principal
	noRole      = &auth.Principal{Kind: auth.KindToken, ID: "t0"}
	reader      = &auth.Principal{Kind: auth.KindToken, ID: "t1", Roles: []auth.Role{auth.RoleReader}}
	controlling = &auth.Principal{Kind: auth.KindToken, ID: "t2", Roles: []auth.Role{auth.RoleControlling}}
	editor      = &auth.Principal{Kind: auth.KindToken, ID: "t3", Roles: []auth.Role{auth.RoleEditor}}
	bound       = &auth.Principal{Kind: auth.KindToken, ID: "t4", Roles: []auth.Role{auth.RoleEditor}, Partners: []string{"citeq", "lwl-it"}}
	admin       = &auth.Principal{Kind: auth.KindOIDC, ID: "u1", Roles: []auth.Role{auth.RoleAdmin}}
	boundAdmin  = &auth.Principal{Kind: auth.KindOIDC, ID: "u2", Roles: []auth.Role{auth.RoleAdmin}, Partners: []string{"citeq"}}
	boundReader = &auth.Principal{Kind: auth.KindOIDC, ID: "u3", Roles: []auth.Role{auth.RoleReader}, Partners: []string{"citeq"}}
	// sets of roles: the rights add up
	editorControlling = &auth.Principal{Kind: auth.KindOIDC, ID: "u4", Roles: []auth.Role{auth.RoleControlling, auth.RoleEditor}}
	boundEditorCtrl   = &auth.Principal{Kind: auth.KindToken, ID: "t5", Roles: []auth.Role{auth.RoleControlling, auth.RoleEditor}, Partners: []string{"citeq"}}
	readerControlling = &auth.Principal{Kind: auth.KindToken, ID: "t6", Roles: []auth.Role{auth.RoleReader, auth.RoleControlling}}
)

func TestRoleRules(t *testing.T) {
	type row struct {
		name                                              string
		p                                                 *auth.Principal
		readPublic, readPrivate, finance, changes, export bool
		write, restore, tokens, solution, writeFinance    bool
	}
	tests := []row{
		{"anonymous", anonymous, true, false, false, false, false, false, false, false, false, false},
		{"no role", noRole, true, false, false, false, false, false, false, false, false, false},
		{"reader", reader, true, true, false, true, true, false, false, false, false, false},
		{"bound reader", boundReader, true, true, false, true, true, false, false, false, false, false},
		{"controlling", controlling, true, true, true, true, true, false, false, false, false, false},
		{"editor", editor, true, true, false, true, true, true, false, false, true, false},
		{"bound editor", bound, true, true, false, true, true, true, false, false, false, false},
		{"admin", admin, true, true, true, true, true, true, true, true, true, true},
		{"bound admin", boundAdmin, true, true, true, true, true, true, true, true, true, true},
		{"editor and controlling", editorControlling, true, true, true, true, true, true, false, false, true, true},
		{"bound editor and controlling", boundEditorCtrl, true, true, true, true, true, true, false, false, false, true},
		{"reader and controlling", readerControlling, true, true, true, true, true, false, false, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checks := []struct {
				rule      string
				got, want bool
			}{
				{"CanReadDirectory(public)", auth.CanReadDirectory(tt.p, true), tt.readPublic},
				{"CanReadDirectory(private)", auth.CanReadDirectory(tt.p, false), tt.readPrivate},
				{"CanSeeFinance", auth.CanSeeFinance(tt.p), tt.finance},
				{"CanReadChanges", auth.CanReadChanges(tt.p), tt.changes},
				{"CanExport(public)", auth.CanExport(tt.p, true), tt.readPublic},
				{"CanExport(private)", auth.CanExport(tt.p, false), tt.export},
				{"CanWriteDirectory", auth.CanWriteDirectory(tt.p), tt.write},
				{"CanRestore", auth.CanRestore(tt.p), tt.restore},
				{"CanManageTokens", auth.CanManageTokens(tt.p), tt.tokens},
				{"MayEditSolution", auth.MayEditSolution(tt.p), tt.solution},
				{"CanWriteFinance", auth.CanWriteFinance(tt.p), tt.writeFinance},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s = %v, want %v", c.rule, c.got, c.want)
				}
			}
		})
	}
}

func TestMayEditPartner(t *testing.T) {
	tests := []struct {
		name    string
		p       *auth.Principal
		partner []string
		want    bool
	}{
		{"anonymous", anonymous, []string{"citeq"}, false},
		{"reader", reader, []string{"citeq"}, false},
		{"controlling", controlling, []string{"citeq"}, false},
		{"unbound editor, any partner", editor, []string{"lwl"}, true},
		{"unbound editor, new partner", editor, nil, true},
		{"admin, any partner", admin, []string{"lwl"}, true},
		{"bound admin, foreign partner", boundAdmin, []string{"lwl"}, true},
		{"bound editor, own partner by slug", bound, []string{"0b7e…", "citeq"}, true},
		{"bound editor, other own partner", bound, []string{"lwl-it"}, true},
		{"bound editor, case-insensitive", bound, []string{"CITEQ"}, true},
		{"bound editor, foreign partner", bound, []string{"b1", "stadt-muenster"}, false},
		{"bound editor, new partner", bound, nil, false},
		{"bound editor, empty identifier", bound, []string{""}, false},
	}
	for _, tt := range tests {
		if got := auth.MayEditPartner(tt.p, tt.partner...); got != tt.want {
			t.Errorf("%s: MayEditPartner(%v) = %v, want %v", tt.name, tt.partner, got, tt.want)
		}
	}
}

func TestMayEditProjectAndCooperation(t *testing.T) {
	own := []string{"citeq", "stadt-muenster"}
	ownOther := []string{"lwl-it"}
	foreign := []string{"stadt-muenster", "lwl"}
	tests := []struct {
		name          string
		p             *auth.Principal
		before, after []string
		want          bool
	}{
		{"anonymous", anonymous, own, own, false},
		{"reader", reader, own, own, false},
		{"controlling", controlling, own, own, false},
		{"unbound editor, foreign", editor, foreign, foreign, true},
		{"admin, foreign", admin, foreign, foreign, true},
		{"bound admin, foreign", boundAdmin, foreign, foreign, true},
		{"bound editor, own unchanged", bound, own, own, true},
		{"bound editor, own to other own", bound, own, ownOther, true},
		{"bound editor, adds a foreign partner", bound, own, append([]string{"lwl"}, own...), true},
		{"bound editor, writes itself out", bound, own, foreign, false},
		{"bound editor, takes over foreign", bound, foreign, own, false},
		{"bound editor, foreign unchanged", bound, foreign, foreign, false},
		{"bound editor, removes all participants", bound, own, nil, false},
		{"bound editor, no participants", bound, nil, nil, false},
	}
	for _, tt := range tests {
		if got := auth.MayEditProject(tt.p, tt.before, tt.after); got != tt.want {
			t.Errorf("%s: MayEditProject(%v, %v) = %v, want %v", tt.name, tt.before, tt.after, got, tt.want)
		}
		if got := auth.MayEditCooperation(tt.p, tt.before, tt.after); got != tt.want {
			t.Errorf("%s: MayEditCooperation(%v, %v) = %v, want %v", tt.name, tt.before, tt.after, got, tt.want)
		}
	}
}

func TestMayCreateProjectAndCooperation(t *testing.T) {
	tests := []struct {
		name         string
		p            *auth.Principal
		participants []string
		want         bool
	}{
		{"anonymous", anonymous, []string{"citeq"}, false},
		{"reader", reader, []string{"citeq"}, false},
		{"unbound editor, foreign", editor, []string{"lwl"}, true},
		{"unbound editor, none", editor, nil, true},
		{"admin", admin, []string{"lwl"}, true},
		{"bound editor, own", bound, []string{"lwl", "citeq"}, true},
		{"bound editor, foreign", bound, []string{"lwl"}, false},
		{"bound editor, none", bound, nil, false},
	}
	for _, tt := range tests {
		if got := auth.MayCreateProject(tt.p, tt.participants); got != tt.want {
			t.Errorf("%s: MayCreateProject(%v) = %v, want %v", tt.name, tt.participants, got, tt.want)
		}
		if got := auth.MayCreateCooperation(tt.p, tt.participants); got != tt.want {
			t.Errorf("%s: MayCreateCooperation(%v) = %v, want %v", tt.name, tt.participants, got, tt.want)
		}
	}
}

func TestMayChangeParticipations(t *testing.T) {
	part := func(partner, role string) auth.Participation { return auth.Participation{Partner: partner, Role: role} }
	shared := []auth.Participation{part("citeq", "provider"), part("lwl", "consumer")}
	tests := []struct {
		name          string
		p             *auth.Principal
		before, after []auth.Participation
		want          bool
	}{
		{"reader", reader, shared, shared, false},
		{"unbound editor removes a partner", editor, shared, shared[:1], true},
		{"admin changes a foreign role", admin, shared, []auth.Participation{shared[0], part("lwl", "lead")}, true},
		{"bound editor, unchanged", bound, shared, shared, true},
		{"bound editor, reordered", bound, shared, []auth.Participation{shared[1], shared[0]}, true},
		{"bound editor adds its own partner", bound, shared, append(slices.Clone(shared), part("lwl-it", "operator")), true},
		{"bound editor adds a foreign partner", bound, shared, append(slices.Clone(shared), part("stadt-koeln", "consumer")), true},
		{"bound editor changes its own role", bound, shared, []auth.Participation{part("citeq", "lead"), shared[1]}, true},
		{"bound editor dates its own part", bound, shared, []auth.Participation{{Partner: "citeq", Role: "provider", Since: "2017"}, shared[1]}, true},
		{"bound editor removes its own other role", bound, append(slices.Clone(shared), part("citeq", "operator")), shared, true},
		{"bound editor removes a foreign partner", bound, shared, shared[:1], false},
		{"bound editor changes a foreign role", bound, shared, []auth.Participation{shared[0], part("lwl", "lead")}, false},
		{"bound editor dates a foreign part", bound, shared, []auth.Participation{shared[0], {Partner: "lwl", Role: "consumer", Until: "2020"}}, false},
		{"bound editor with controlling removes a foreign partner", boundEditorCtrl, shared, shared[:1], false},
	}
	for _, tt := range tests {
		if got := auth.MayChangeParticipations(tt.p, tt.before, tt.after); got != tt.want {
			t.Errorf("%s: MayChangeParticipations = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestMayMakeParent(t *testing.T) {
	for _, tt := range []struct {
		name   string
		p      *auth.Principal
		parent []string
		want   bool
	}{
		{"reader", reader, []string{"citeq"}, false},
		{"unbound editor, any", editor, []string{"lwl"}, true},
		{"admin, any", admin, []string{"lwl"}, true},
		{"bound editor, own partner", bound, []string{"id-x", "lwl-it"}, true},
		{"bound editor, foreign partner", bound, []string{"id-y", "lwl"}, false},
	} {
		if got := auth.MayMakeParent(tt.p, tt.parent...); got != tt.want {
			t.Errorf("%s: MayMakeParent(%v) = %v, want %v", tt.name, tt.parent, got, tt.want)
		}
	}
}

func TestParseRoles(t *testing.T) {
	got, err := auth.ParseRoles([]string{"Editor", "controlling", "editor"})
	if err != nil || !slices.Equal(got, []auth.Role{auth.RoleControlling, auth.RoleEditor}) {
		t.Errorf("ParseRoles = %v, %v", got, err)
	}
	for _, bad := range [][]string{nil, {}, {"editor", "chef"}, {""}} {
		if _, err := auth.ParseRoles(bad); !errors.Is(err, auth.ErrUnknownRole) {
			t.Errorf("ParseRoles(%q): %v", bad, err)
		}
	}
	if auth.Highest([]auth.Role{auth.RoleControlling, auth.RoleEditor}) != auth.RoleEditor || auth.Highest(nil) != "" {
		t.Error("Highest")
	}
}
