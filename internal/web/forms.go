package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// registerForms adds the editor forms. Every form posts its CSRF token; writes go
// through the same coop services as the API, with the same validation, and send the
// version the form was loaded with (the API's If-Match), so a change made in between
// is shown instead of overwritten.
func (s *Site) registerForms(get, post func(string, handler)) {
	get("/verzeichnis/vorhaben/neu", s.handleProjectNew)
	post("/verzeichnis/vorhaben/neu", s.handleProjectCreate)
	get("/verzeichnis/vorhaben/:slug/bearbeiten", s.handleProjectEdit)
	post("/verzeichnis/vorhaben/:slug/bearbeiten", s.handleProjectUpdate)
	get("/verzeichnis/vorhaben/:slug/status", s.handleProjectStatusForm)
	post("/verzeichnis/vorhaben/:slug/status", s.handleProjectTransition)
	s.registerDeletion(post, s.projectDeletion())
	get("/verzeichnis/partner/neu", s.handlePartnerNew)
	post("/verzeichnis/partner/neu", s.handlePartnerCreate)
	get("/verzeichnis/partner/:slug/bearbeiten", s.handlePartnerEdit)
	post("/verzeichnis/partner/:slug/bearbeiten", s.handlePartnerUpdate)
	s.registerDeletion(post, s.partnerDeletion())
	s.registerCooperationForms(get, post)
	s.registerSolutionForms(get, post)
}

// maxRows bounds the rows (participants, members) a form accepts.
const maxRows = 50

// form is what every editor form has: where it posts, the loaded version, and the
// problems of the last attempt.
type form struct {
	Action    string
	Version   int
	Errors    map[string]string // API field path → German message
	Summary   []coop.FieldError // the same, in order, for the summary at the top
	Problem   string            // a problem of the whole form (not allowed, not found …)
	Conflict  []coop.Change     // changes made since the form was loaded
	Saved     bool
	CanDelete bool
	// locked are the stored rows (participants, members) of other partners than a bound
	// editor's, by partner slug and role: shown read-only and posted back unchanged
	// (auth.MayChangeParticipations; the store checks it again).
	locked map[[2]string]string // → the partner's name
}

// lock marks a stored row as read-only for p when p is bound to other partners.
func (f *form) lock(p *auth.Principal, partner coop.Ref, role string) {
	if !p.Bound() || auth.MayEditPartner(p, partner.ID, partner.Slug) {
		return
	}
	if f.locked == nil {
		f.locked = map[[2]string]string{}
	}
	f.locked[[2]string{partner.Slug, role}] = partner.Name
}

// Locked reports whether the row of partner (slug) in role is read-only.
func (f *form) Locked(partner, role string) bool {
	_, ok := f.locked[[2]string{partner, role}]
	return ok
}

// LockedName is the name of a read-only row's partner.
func (f *form) LockedName(partner, role string) string { return f.locked[[2]string{partner, role}] }

// FieldError returns the message for a field path, or "".
func (f *form) FieldError(path string) string { return f.Errors[path] }

// fail records err on the form: field errors at their fields, anything else as the
// form's problem. Errors that are not the caller's (database down …) are returned.
func (f *form) fail(r *request, err error) error {
	var ce *coop.Error
	if !errors.As(err, &ce) {
		return err
	}
	switch ce.Code {
	case coop.EValidation:
		f.Errors = map[string]string{}
		for _, fe := range ce.Fields {
			if _, dup := f.Errors[fe.Field]; !dup {
				f.Errors[fe.Field] = fe.Message
				f.Summary = append(f.Summary, fe)
			}
		}
		f.Problem = r.T("Bitte korrigieren Sie die markierten Angaben.")
	case coop.EForbidden:
		f.Problem = r.T("Ihre Rolle oder Ihre Partner-Bindung erlaubt diese Änderung nicht.")
	case coop.EConflict, coop.ENotFound, coop.EInvalid:
		f.Problem = ce.Message
		if a := ce.Allowed; a != nil {
			labels := make([]string, len(a))
			for i, s := range a {
				labels[i] = label(r.lang, "status", s)
			}
			f.Problem += " – " + r.T("erlaubt sind") + ": " + strings.Join(labels, ", ")
		}
	case coop.EPrecondition:
		f.Problem = r.T("Jemand hat diesen Eintrag geändert, nachdem Sie das Formular geladen haben. Ihre Angaben sind nicht gespeichert; die Änderungen seitdem stehen unten. Prüfen Sie Ihre Angaben und speichern Sie erneut.")
	default:
		return err
	}
	return nil
}

// invalid records a field error found before the service was asked (input that has
// no API form, such as a count that is no number, or no choice made), in r's language.
func (f *form) invalid(r *request, path, msg string) {
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	msg = r.T(msg)
	f.Errors[path] = msg
	f.Summary = append(f.Summary, coop.FieldError{Field: path, Code: "invalid", Message: msg})
	f.Problem = r.T("Bitte korrigieren Sie die markierten Angaben.")
}

// status is the HTTP status of a form shown again with its problems.
func (f *form) status() int {
	switch {
	case len(f.Conflict) > 0:
		return 409
	case len(f.Errors) > 0:
		return 422
	case f.Problem != "":
		return 403
	}
	return 200
}

// stored names the stored resource a form changes, for the conflict view: its type,
// id and current version (the zero value when the form creates one).
type stored struct {
	typ, id string
	version int
}

// save is the one way a form writes: unless reading the form found problems, write
// saves (a create, or a change with the version the form was loaded with, the API's
// If-Match) and returns the page to go to, marked as saved. Otherwise again shows the
// form with the problems: the API's field errors at their fields, and after a change
// made in between (EPrecondition) the changes since the form was loaded, with the
// current version, so that saving again is a deliberate decision over them. Errors
// that are not the caller's are returned.
func (s *Site) save(c echo.Context, r *request, f *form, at stored, write func(ctx context.Context) (string, error),
	again func() error) error {
	if len(f.Errors) > 0 {
		return again()
	}
	ctx := c.Request().Context()
	page, err := write(ctx)
	if err == nil {
		return c.Redirect(http.StatusSeeOther, page+"?gespeichert=1")
	}
	if err := f.fail(r, err); err != nil {
		return err
	}
	if coop.ErrorCode(err) == coop.EPrecondition && at.id != "" {
		if f.Conflict, err = s.changesSince(ctx, at.typ, at.id, f.Version); err != nil {
			return err
		}
		f.Version = at.version
	}
	return again()
}

// editsRows reports whether the post only adds or removes a row (participants,
// members, developers) instead of saving; on "add" it appends an empty row to list.
func editsRows[T any](c echo.Context, list *[]T) bool {
	add := c.FormValue("add") != ""
	if !add && c.FormValue("remove") == "" {
		return false
	}
	if add && len(*list) < maxRows {
		var empty T
		*list = append(*list, empty)
	}
	return true
}

// changesSince returns the changes of a resource after version (the conflict view).
func (s *Site) changesSince(ctx context.Context, typ, id string, version int) ([]coop.Change, error) {
	all, err := s.svc.FindChanges(ctx, coop.ChangeFilter{ResourceType: typ, ResourceID: id, Limit: 500})
	if err != nil {
		return nil, err
	}
	var out []coop.Change
	for _, c := range all {
		if c.Version > version {
			out = append(out, c)
		}
	}
	return out, nil
}

// requireWriter lets editors and admins in; others get the sign-in or a 403.
func (r *request) requireWriter() error {
	if auth.CanWriteDirectory(r.p) {
		return nil
	}
	if r.p == nil {
		return errSignIn
	}
	return coop.Errorf(coop.EForbidden, "%s", r.T("Nur die Redaktion und die Administration dürfen Einträge ändern."))
}

// rows reads the indexed rows of a form (prefix[0].field …) up to maxRows, skipping
// rows marked for removal and rows left entirely empty.
func rows(c echo.Context, prefix string, fields ...string) []map[string]string {
	var out []map[string]string
	remove := c.FormValue("remove")
	for i := 0; i < maxRows; i++ {
		row := map[string]string{}
		present, empty := false, true
		for _, f := range fields {
			name := fmt.Sprintf("%s[%d].%s", prefix, i, f)
			if _, ok := c.Request().PostForm[name]; ok {
				present = true
			}
			v := strings.TrimSpace(c.FormValue(name))
			row[f] = v
			if v != "" {
				empty = false
			}
		}
		if !present {
			break
		}
		if remove == fmt.Sprintf("%s[%d]", prefix, i) || empty {
			continue
		}
		out = append(out, row)
	}
	return out
}

// lines splits a text area into its non-empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// commaList splits a comma-separated input.
func commaList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func formInt(c echo.Context, name string) int {
	n, _ := strconv.Atoi(c.FormValue(name))
	return n
}

// optMoney reads a money input: "" is no amount; German input (1.234,56) is accepted
// and passed on as the API's decimal form, so that validation has the final word.
func optMoney(s string) *string {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "€"))
	if s == "" {
		return nil
	}
	if strings.Contains(s, ",") {
		s = strings.ReplaceAll(strings.ReplaceAll(s, ".", ""), ",", ".")
	}
	return &s
}

// fieldID is the HTML id of the input of an API field path: participants[1].since →
// f-participants-1-since.
func fieldID(path string) string {
	r := strings.NewReplacer("[", "-", "]", "", ".", "-", "_", "-")
	return "f-" + r.Replace(path)
}

// input is one form field as the input partial draws it.
type input struct {
	V        *view
	ID, Name string
	Label    string
	Value    string
	Hint     string
	Error    string
	Required bool
	Type     string // text, textarea, date, money
	Options  []option
}

type option struct {
	Value, Label string
	Selected     bool
}

// In describes a field for the input partial: its API path, label and value, and
// optionally a hint; its error comes from the page's form.
func (v *view) In(path, label, value string, hint ...string) input {
	in := input{V: v, ID: fieldID(path), Name: path, Label: v.T(label), Value: value, Type: "text"}
	if len(hint) > 0 {
		in.Hint = v.T(hint[0])
	}
	if fe, ok := v.Data.(interface{ FieldError(string) string }); ok {
		in.Error = fe.FieldError(path)
	}
	return in
}

// Req marks a field as required.
func (in input) Req() input { in.Required = true; return in }

// Named sends the field under another form name than its API path (rows read by rows).
func (in input) Named(name string) input { in.Name = name; return in }

// Bool makes the field a select of yes and no ("" adds an empty choice labelled by
// empty).
func (in input) Bool(empty string) input {
	in.Type = "select"
	if empty != "" {
		in.Options = append(in.Options, option{"", in.V.T(empty), in.Value == ""})
	}
	in.Options = append(in.Options, option{"true", in.V.T("ja"), in.Value == "true"}, option{"false", in.V.T("nein"), in.Value == "false"})
	return in
}

// Area makes the field a text area.
func (in input) Area() input { in.Type = "textarea"; return in }

// Sel makes the field a select of an enumeration's codes ("" adds an empty choice
// labelled by empty).
func (in input) Sel(enum, empty string) input {
	in.Type = "select"
	if empty != "" {
		in.Options = append(in.Options, option{"", in.V.T(empty), in.Value == ""})
	}
	for _, l := range enums[enum] {
		in.Options = append(in.Options, option{l.Code, in.V.Label(enum, l.Code), l.Code == in.Value})
	}
	return in
}

// Refs makes the field a select of references (partners, cooperations, solutions).
func (in input) Refs(refs []coop.Ref, empty string) input {
	in.Type = "select"
	if empty != "" {
		in.Options = append(in.Options, option{"", in.V.T(empty), in.Value == ""})
	}
	for _, r := range refs {
		in.Options = append(in.Options, option{r.Slug, r.Name, r.Slug == in.Value || r.ID == in.Value})
	}
	return in
}

// formParts are the parts every editor form shares (the partials form-actions and
// delete-form): the view, the form's list page, and texts in the page's language.
type formParts struct {
	V              *view
	List           string // the list page; a stored resource's page is List/slug
	Label, Explain string
}

// Actions describes the form's buttons: save (labelled create when the form creates)
// and cancel, back to the resource or the list.
func (v *view) Actions(list, create string) formParts {
	return formParts{V: v, List: list, Label: create}
}

// Deletion describes the form that deletes the stored resource: its heading and
// button, and what deleting does.
func (v *view) Deletion(list, label, explain string) formParts {
	return formParts{V: v, List: list, Label: label, Explain: explain}
}

// dateHint is the hint of every partial-date field.
const dateHint = "JJJJ, JJJJ-MM oder JJJJ-MM-TT, z. B. 2018-02"
