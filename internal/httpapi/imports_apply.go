package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/imports"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
)

// The bulk import applies a file's rows with the API's rules: each row becomes the
// body of a POST (a new slug) or a JSON Merge Patch of the resource with that slug
// (upsert), checked by the same body check (input.go) and decoded into the same DTOs;
// an update is written by the same service as a PATCH, and the creates of a chunk of
// rows by the store's bulk entry points (store/imports_write.go), which check each
// record as the create path does, so every rule of the API holds for a row, with its
// code and message. All rows run in one transaction of the store (store.DB.Batch): a
// later row sees what an earlier one created, and the file is written whole or not
// at all. A row that would change nothing writes nothing.

// Import parameters.
const (
	ImportUpsert = "upsert" // create new slugs, merge the given fields into existing ones
	ImportCreate = "create" // create only; an existing slug is an error
	// maxReportEntries bounds the errors and the row results a report lists (its
	// counts are always complete), so that a report of 100,000 rows stays small.
	maxReportEntries = 1000
)

// ImportRequest is what to import.
type ImportRequest struct {
	Resource string // partners, cooperations, projects
	Format   imports.Format
	Mode     string // ImportUpsert (default) or ImportCreate
	DryRun   bool
	Limits   imports.Limits
}

// ImportError is a problem of one row (row 0: of the file as a whole).
type ImportError struct {
	// the row as a spreadsheet shows it (the header is row 1); for NDJSON the line,
	// for a JSON array the item's position; 0 for the file as a whole
	Row int `json:"row" example:"3"`
	// the column header (CSV and XLSX), if one column is to blame
	Column string `json:"column,omitempty" example:"Beginn"`
	// the API field
	Field string `json:"field,omitempty" example:"started_on"`
	// the API's error code
	Code string `json:"code" example:"date"`
	// the API's message
	Message string `json:"message" example:"\"2016-13\" ist kein Datum der Form JJJJ, JJJJ-MM oder JJJJ-MM-TT"`
} // @name ImportError

// ImportRowResult says what a row did (or, in a dry run, would do).
type ImportRowResult struct {
	// the row as a spreadsheet shows it
	Row int `json:"row" example:"2"`
	// slug of the resource
	Slug string `json:"slug" example:"it-hotline"`
	// what the row does
	Action string `json:"action" enums:"created,updated" example:"updated"`
	// the fields an update changes
	Fields []string `json:"fields,omitempty" example:"started_on"`
} // @name ImportRowResult

// ImportReport is the state and outcome of an import.
type ImportReport struct {
	// id of the import (also in the change log entries it wrote)
	ID string `json:"id" format:"uuid" example:"3f2b8c1a-4d5e-4f60-8a7b-9c0d1e2f3a4b"`
	// queued, running, succeeded (every row applied, or checked in a dry run) or failed (nothing written)
	Status string `json:"status" enums:"queued,running,succeeded,failed" example:"succeeded"`
	// resource type the rows are
	Resource string `json:"resource" enums:"partners,cooperations,projects" example:"projects"`
	// upsert or create
	Mode string `json:"mode" enums:"upsert,create" example:"upsert"`
	// checked only, nothing written
	DryRun bool `json:"dry_run" example:"true"`
	// data rows in the file
	RowsTotal int `json:"rows_total" example:"120"`
	// rows checked so far
	RowsDone int `json:"rows_done" example:"120"`
	// rows that create a resource
	Created int `json:"created" example:"20"`
	// rows that change one
	Updated int `json:"updated" example:"3"`
	// rows that change nothing
	Unchanged int `json:"unchanged" example:"97"`
	// rows with errors
	Failed int `json:"failed" example:"0"`
	// the errors, row by row (at most 1000)
	Errors []ImportError `json:"errors"`
	// what each created or updated row does (at most 1000)
	Results []ImportRowResult `json:"results"`
	// more errors or results than listed
	Truncated bool `json:"truncated,omitempty" example:"false"`
} // @name ImportReport

// importKind is how rows of one resource type are applied.
type importKind interface {
	typ() string
	columns() []importColumn
	// createType and inputType are the DTOs of a POST and of a PATCH's merged form.
	createType() reflect.Type
	inputType() reflect.Type
	// current reads the live resource with that slug (ok false: none): its id and
	// version, its request form as JSON and its status ("" without one).
	current(ctx context.Context, slug string) (cur importCurrent, ok bool, err error)
	// draft decodes a create's body as a POST does, into the resource's draft.
	draft(body []byte) (any, error)
	// createAll creates drafts (from draft) as one write; store.RecordErrors names
	// the refused ones, and then nothing is written.
	createAll(ctx context.Context, drafts []any) error
	update(ctx context.Context, id string, merged []byte, version int) error
	// list is the field of the partners with their roles (kept since/until on a merge).
	list() string
}

type importCurrent struct {
	id, status string
	version    int
	form       map[string]any
}

// kindOf is an importKind from the functions of one resource's API: R the resource,
// In its PATCH form, Cr its POST body, D its draft.
type kindOf[R resource, In any, Cr any, D any] struct {
	name, listField string
	cols            []importColumn
	find            func(context.Context, string) (R, error)
	base            func(R) In
	status          func(R) string
	draftOf         func(Cr) D
	createAll_      func(context.Context, []D) error
	update_         func(ctx context.Context, id string, in In, version int) error
}

func (k kindOf[R, In, Cr, D]) typ() string              { return k.name }
func (k kindOf[R, In, Cr, D]) columns() []importColumn  { return k.cols }
func (k kindOf[R, In, Cr, D]) createType() reflect.Type { return reflect.TypeFor[*Cr]() }
func (k kindOf[R, In, Cr, D]) inputType() reflect.Type  { return reflect.TypeFor[*In]() }
func (k kindOf[R, In, Cr, D]) list() string             { return k.listField }

func (k kindOf[R, In, Cr, D]) current(ctx context.Context, slug string) (importCurrent, bool, error) {
	r, err := k.find(ctx, slug)
	if coop.ErrorCode(err) == coop.ENotFound {
		return importCurrent{}, false, nil
	}
	if err != nil {
		return importCurrent{}, false, err
	}
	form, err := jsonMap(k.base(r))
	if err != nil {
		return importCurrent{}, false, err
	}
	m := r.Metadata()
	cur := importCurrent{id: m.ID, version: m.Version, form: form}
	if k.status != nil {
		cur.status = k.status(r)
	}
	return cur, true, nil
}

func (k kindOf[R, In, Cr, D]) draft(body []byte) (any, error) {
	var in Cr
	if err := decodeStrict(bytes.NewReader(body), &in); err != nil {
		return nil, err
	}
	return k.draftOf(in), nil
}

func (k kindOf[R, In, Cr, D]) createAll(ctx context.Context, drafts []any) error {
	ds := make([]D, len(drafts))
	for i, d := range drafts {
		ds[i] = d.(D)
	}
	return k.createAll_(ctx, ds)
}

func (k kindOf[R, In, Cr, D]) update(ctx context.Context, id string, merged []byte, version int) error {
	var in In
	if err := decodeStrict(bytes.NewReader(merged), &in); err != nil {
		return err
	}
	return k.update_(ctx, id, in, version)
}

// importKinds are the resource types an import takes.
func (s *Server) importKind(resource string) importKind {
	switch resource {
	case "partners":
		return kindOf[coop.Partner, PartnerInput, PartnerInput, coop.PartnerDraft]{name: coop.TypePartner,
			cols: partnerImportColumns, find: s.svc.FindPartner, base: partnerInputOf,
			draftOf: PartnerInput.draft, createAll_: s.svc.CreatePartners,
			update_: func(ctx context.Context, id string, in PartnerInput, v int) error {
				_, err := s.svc.UpdatePartner(ctx, id, in.draft(), v)
				return err
			}}
	case "cooperations":
		return kindOf[coop.Cooperation, CooperationInput, CooperationCreate, coop.CooperationDraft]{name: coop.TypeCooperation,
			listField: "members", cols: cooperationImportColumns, find: s.svc.FindCooperation, base: cooperationInputOf,
			status:  func(c coop.Cooperation) string { return c.Status },
			draftOf: CooperationCreate.draft, createAll_: s.svc.CreateCooperations,
			update_: func(ctx context.Context, id string, in CooperationInput, v int) error {
				_, err := s.svc.UpdateCooperation(ctx, id, in.draft(), v)
				return err
			}}
	case "projects":
		return kindOf[coop.Project, ProjectInput, ProjectCreate, coop.ProjectDraft]{name: coop.TypeProject,
			listField: "participants", cols: projectImportColumns, find: s.svc.FindProject, base: projectInputOf,
			status:  func(p coop.Project) string { return p.Status },
			draftOf: ProjectCreate.draft, createAll_: s.svc.CreateProjects,
			update_: func(ctx context.Context, id string, in ProjectInput, v int) error {
				_, err := s.svc.UpdateProject(ctx, id, in.draft(), v)
				return err
			}}
	}
	return nil
}

// importChunk is how many rows are applied together: their slugs looked up in one
// statement, their creates written as one.
const importChunk = 500

// importer applies one file.
type importer struct {
	svc    Services
	kind   importKind
	req    ImportRequest
	who    *auth.Principal
	refs   *importRefs
	report *ImportReport
	// header and cols of a table (nil for JSON)
	header []string
	cols   []*importColumn
	// the creates not yet written, and their slugs
	pending      []pendingCreate
	pendingSlugs map[string]bool
	// the errors and results of the chunk being applied (added to the report in row
	// order when it is done)
	errs    []ImportError
	results []ImportRowResult
}

// importRow is a row read and turned into the JSON Merge Patch of its fields.
type importRow struct {
	line     int
	slug     string
	patch    map[string]any
	columnOf map[string]string
}

// pendingCreate is a row that creates a resource, with its draft.
type pendingCreate struct {
	importRow
	draft any
}

// RunImport applies (or, dry, checks) a file's rows as ctx's actor and fills report;
// progress, if not nil, is told the rows done and the total after each chunk. The
// file is read twice: once to count and check its rows, once to apply them, a chunk
// of rows at a time (importer.chunk). Errors of the file as a whole are
// *imports.FileError; a report with failed rows has status failed and nothing
// written.
func (s *Server) RunImport(ctx context.Context, req ImportRequest, data []byte, report *ImportReport, progress func(done, total int)) error {
	kind := s.importKind(req.Resource)
	if kind == nil {
		return coop.Errorf(coop.EInvalid, "resource: partners, cooperations oder projects / partners, cooperations or projects")
	}
	if req.Mode == "" {
		req.Mode = ImportUpsert
	}
	report.Resource, report.Mode, report.DryRun = req.Resource, req.Mode, req.DryRun
	report.Errors, report.Results = []ImportError{}, []ImportRowResult{}
	total, err := countRows(req, data)
	if err != nil {
		return err
	}
	report.RowsTotal = total
	if progress != nil {
		progress(0, total)
	}
	ctx = coop.WithImportID(ctx, report.ID)
	err = s.svc.Batch(ctx, func(ctx context.Context) error {
		// from the start: the store runs a batch again that PostgreSQL broke off to
		// end a deadlock
		report.RowsDone, report.Created, report.Updated, report.Unchanged, report.Failed = 0, 0, 0, 0, 0
		report.Errors, report.Results, report.Truncated = report.Errors[:0], report.Results[:0], false
		im := &importer{svc: s.svc, kind: kind, req: req, who: auth.PrincipalOf(coop.ActorFrom(ctx)), report: report,
			refs: &importRefs{ctx: ctx, svc: s.svc}, pendingSlugs: map[string]bool{}}
		r, err := imports.Open(req.Format, data, req.Limits)
		if err != nil {
			return err
		}
		defer r.Close()
		if h := r.Header(); h != nil {
			im.header, im.cols = h, headerColumns(kind.columns(), h)
			im.unknownColumns()
		}
		chunk := make([]imports.Record, 0, importChunk)
		apply := func() error {
			if err := im.chunk(ctx, chunk); err != nil {
				return err
			}
			report.RowsDone += len(chunk)
			chunk = chunk[:0]
			if progress != nil {
				progress(report.RowsDone, total)
			}
			return nil
		}
		for {
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			if chunk = append(chunk, rec); len(chunk) == importChunk {
				if err := apply(); err != nil {
					return err
				}
			}
		}
		if err := apply(); err != nil {
			return err
		}
		if req.DryRun || report.Failed > 0 {
			return store.ErrRollback
		}
		return nil
	})
	if err != nil {
		return err
	}
	report.Status = "succeeded"
	if report.Failed > 0 {
		report.Status = "failed"
	}
	return nil
}

// countRows reads the file once for its number of rows (and its errors as a whole).
func countRows(req ImportRequest, data []byte) (int, error) {
	r, err := imports.Open(req.Format, data, req.Limits)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	n := 0
	for {
		if _, err := r.Next(); err == io.EOF {
			return n, nil
		} else if err != nil {
			return 0, err
		}
		n++
	}
}

// unknownColumns reports the header's columns no field belongs to (row 1): a typo
// in a header would otherwise silently leave a field as it is.
func (im *importer) unknownColumns() {
	for i, c := range im.cols {
		if c == nil && im.header[i] != "" {
			im.fail(1, ImportError{Column: im.header[i], Code: "unknown_column",
				Message: "Unbekannte Spalte; erwartet werden die Spaltenköpfe des Exports / unknown column"})
		}
	}
	if len(im.errs) > 0 {
		im.report.Failed = 1
	}
	im.report.Errors, im.report.Truncated = appendCapped(im.report.Errors, im.errs, im.report.Truncated)
	im.errs = im.errs[:0]
}

// fail records a problem of row line.
func (im *importer) fail(line int, e ImportError) {
	e.Row = line
	im.errs = append(im.errs, e)
}

// failErr records err, a coop error of one row, with the columns its fields came from.
func (im *importer) failErr(line int, columnOf map[string]string, err error) error {
	var ce *coop.Error
	if !errors.As(err, &ce) || ce.Code == coop.EInternal || ce.Code == coop.EUnavailable {
		return err // not the row's fault: the import stops
	}
	im.report.Failed++
	if len(ce.Fields) == 0 {
		im.fail(line, ImportError{Code: string(ce.Code), Message: ce.Message})
		return nil
	}
	for _, f := range ce.Fields {
		im.fail(line, ImportError{Column: columnFor(columnOf, f.Field), Field: f.Field, Code: f.Code, Message: f.Message})
	}
	return nil
}

// columnFor is the column a field path came from: the longest field of columnOf that
// is the path or a prefix of it ("participants[1].partner" → "Beteiligte").
func columnFor(columnOf map[string]string, path string) string {
	best, col := -1, ""
	for f, c := range columnOf {
		if (path == f || strings.HasPrefix(path, f+".") || strings.HasPrefix(path, f+"[")) && len(f) > best {
			best, col = len(f), c
		}
	}
	return col
}

// chunk applies a chunk of records in their order, with the writes of every earlier
// row seen: each row is read into its patch (prepare), one statement tells which
// slugs are live, a row of a new slug becomes a pending create, and the pending
// creates are written as one (flush) at the chunk's end and before any row that
// writes otherwise or names a pending slug again. A row that changes nothing writes
// nothing.
func (im *importer) chunk(ctx context.Context, recs []imports.Record) error {
	rows := make([]importRow, 0, len(recs))
	slugs := make([]string, 0, len(recs))
	for _, rec := range recs {
		row, ok, err := im.prepare(rec)
		if err != nil {
			return err
		}
		if ok {
			rows = append(rows, row)
			slugs = append(slugs, row.slug)
		}
	}
	live, err := im.svc.LiveSlugs(ctx, im.kind.typ(), slugs)
	if err != nil {
		return err
	}
	for _, row := range rows {
		exists := live[row.slug]
		if im.pendingSlugs[row.slug] {
			// the slug again: its create is written first, then looked at as it is
			if err := im.flush(ctx); err != nil {
				return err
			}
			exists = true
		}
		var cur importCurrent
		if exists {
			if cur, exists, err = im.kind.current(ctx, row.slug); err != nil {
				if err := im.failErr(row.line, row.columnOf, err); err != nil {
					return err
				}
				continue
			}
		}
		switch {
		case !exists:
			err = im.create(row)
		case im.req.Mode == ImportCreate:
			var vs coop.Violations
			vs.Add("slug", "exists", "Slug %q ist schon vergeben (mode=create) / slug exists", row.slug)
			err = im.failErr(row.line, row.columnOf, vs.Err())
		default:
			err = im.update(ctx, row, cur)
		}
		if err != nil {
			return err
		}
	}
	if err := im.flush(ctx); err != nil {
		return err
	}
	slices.SortStableFunc(im.errs, func(a, b ImportError) int { return a.Row - b.Row })
	slices.SortStableFunc(im.results, func(a, b ImportRowResult) int { return a.Row - b.Row })
	im.report.Errors, im.report.Truncated = appendCapped(im.report.Errors, im.errs, im.report.Truncated)
	im.report.Results, im.report.Truncated = appendCapped(im.report.Results, im.results, im.report.Truncated)
	im.errs, im.results = im.errs[:0], im.results[:0]
	return nil
}

// appendCapped appends add to list up to maxReportEntries; truncated tells whether
// anything was left out, now or before.
func appendCapped[T any](list, add []T, truncated bool) ([]T, bool) {
	n := min(len(add), max(0, maxReportEntries-len(list)))
	return append(list, add[:n]...), truncated || n < len(add)
}

// prepare reads a record into its patch and checks what needs no database: the
// body check of a JSON record, the slug, the right to write finance. ok is false for
// a row that failed. A partner's name is known to later rows at once (a parent named
// by the name of a partner an earlier row creates).
func (im *importer) prepare(rec imports.Record) (row importRow, ok bool, err error) {
	row = importRow{line: rec.Line, columnOf: map[string]string{}}
	if rec.Object != nil {
		// a JSON record: the body check of a POST (duplicate keys, unknown fields, text)
		if err := checkBody(rec.Object, im.kind.createType()); err != nil {
			return row, false, im.failErr(rec.Line, nil, err)
		}
		if err := json.Unmarshal(rec.Object, &row.patch); err != nil {
			return row, false, im.failErr(rec.Line, nil, coop.Errorf(coop.EInvalid, "Kein gültiges JSON / malformed JSON"))
		}
	} else {
		row.patch, row.columnOf = rowPatch(im.cols, im.header, rec.Cells, im.refs)
		if im.refs.err != nil {
			return row, false, im.refs.err
		}
	}
	row.slug, _ = row.patch["slug"].(string)
	if row.slug == "" {
		var vs coop.Violations
		vs.Add("slug", "required", "Der Slug fehlt: er sagt, welche Ressource die Zeile anlegt oder ändert / slug required")
		return row, false, im.failErr(rec.Line, row.columnOf, vs.Err())
	}
	if _, ok := row.patch["finance"]; ok && !auth.CanWriteFinance(im.who) {
		var vs coop.Violations
		vs.Add("finance", "forbidden", "finance schreiben darf nur, wer es lesen darf (controlling oder admin) / writing finance needs the controlling or admin role")
		return row, false, im.failErr(rec.Line, row.columnOf, vs.Err())
	}
	im.refs.created(im.kind.typ(), row.slug, row.patch)
	return row, true, nil
}

// create checks a new slug's row as a POST's body and adds it to the pending creates.
func (im *importer) create(row importRow) error {
	body, err := json.Marshal(dropNulls(row.patch))
	if err != nil {
		return err
	}
	if err := checkBody(body, im.kind.createType()); err != nil {
		return im.failErr(row.line, row.columnOf, err)
	}
	d, err := im.kind.draft(body)
	if err != nil {
		return im.failErr(row.line, row.columnOf, err)
	}
	im.pending = append(im.pending, pendingCreate{importRow: row, draft: d})
	im.pendingSlugs[row.slug] = true
	return nil
}

// flush writes the pending creates as one write. Refused rows are reported and the
// others written again without them, so that later rows see them as the API would.
func (im *importer) flush(ctx context.Context) error {
	for len(im.pending) > 0 {
		drafts := make([]any, len(im.pending))
		for i, p := range im.pending {
			drafts[i] = p.draft
		}
		err := im.kind.createAll(ctx, drafts)
		var refused store.RecordErrors
		if !errors.As(err, &refused) {
			if err != nil {
				return err
			}
			for _, p := range im.pending {
				im.report.Created++
				im.result(ImportRowResult{Row: p.line, Slug: p.slug, Action: "created"})
			}
			break
		}
		out := map[int]bool{}
		for _, r := range refused {
			p := im.pending[r.Index]
			if err := im.failErr(p.line, p.columnOf, r.Err); err != nil {
				return err
			}
			out[r.Index] = true
		}
		kept := im.pending[:0]
		for i, p := range im.pending {
			if !out[i] {
				kept = append(kept, p)
			}
		}
		im.pending = kept
	}
	im.pending = im.pending[:0]
	clear(im.pendingSlugs)
	return nil
}

func (im *importer) update(ctx context.Context, row importRow, cur importCurrent) error {
	line, patch, columnOf := row.line, row.patch, row.columnOf
	// status changes only through a transition: the same status is no change
	if st, ok := patch["status"]; ok {
		if st != nil && st != cur.status {
			var vs coop.Violations
			vs.Add("status", "read_only", "Der Status ändert sich nur über POST …/transitions (jetzt %q) / use transitions", cur.status)
			return im.failErr(line, columnOf, vs.Err())
		}
		delete(patch, "status")
		delete(patch, "status_effective_on")
	}
	norm, err := jsonMap(patch)
	if err != nil {
		return err
	}
	keepDates(norm, cur.form, im.kind.list())
	before, _ := jsonMap(cur.form)
	merged, _ := mergePatch(before, norm).(map[string]any)
	changed := changedFields(cur.form, merged, im.kind.list())
	if len(changed) == 0 {
		im.report.Unchanged++
		return nil
	}
	patchBody, err := json.Marshal(norm)
	if err != nil {
		return err
	}
	if err := checkBody(patchBody, im.kind.inputType()); err != nil {
		return im.failErr(line, columnOf, err)
	}
	body, err := json.Marshal(merged)
	if err != nil {
		return err
	}
	// the creates of earlier rows first: the update may name them
	if err := im.flush(ctx); err != nil {
		return err
	}
	if err := im.kind.update(ctx, cur.id, body, cur.version); err != nil {
		return im.failErr(line, columnOf, err)
	}
	im.report.Updated++
	im.result(ImportRowResult{Row: line, Slug: row.slug, Action: "updated", Fields: changed})
	return nil
}

func (im *importer) result(r ImportRowResult) {
	im.results = append(im.results, r)
}

// jsonMap is v as a generic JSON object (numbers as float64), a deep copy.
func jsonMap(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.Unmarshal(b, &m)
}

// dropNulls leaves out the fields a create does not set.
func dropNulls(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if v == nil {
			continue
		}
		if sub, ok := v.(map[string]any); ok {
			v = dropNulls(sub)
		}
		out[k] = v
	}
	return out
}

// keepDates carries since and until of a partner's part over to a list that names
// the partner with the same role without them (the export does not write them).
func keepDates(patch, cur map[string]any, field string) {
	if field == "" {
		return
	}
	next, _ := patch[field].([]any)
	old, _ := cur[field].([]any)
	for _, n := range next {
		nm, _ := n.(map[string]any)
		if nm == nil || nm["since"] != nil || nm["until"] != nil {
			continue
		}
		for _, o := range old {
			om, _ := o.(map[string]any)
			if om != nil && om["partner"] == nm["partner"] && om["role"] == nm["role"] {
				for _, k := range []string{"since", "until"} {
					if v, ok := om[k]; ok {
						nm[k] = v
					}
				}
			}
		}
	}
}

// changedFields are the top-level fields whose values differ; the list of partners
// with roles is compared as a set (its order is not kept by every format).
func changedFields(before, after map[string]any, list string) []string {
	var out []string
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	for k := range keys {
		a, b := before[k], after[k]
		if k == list {
			a, b = sortedJSON(a), sortedJSON(b)
		}
		if !jsonSame(a, b) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func sortedJSON(v any) any {
	list, ok := v.([]any)
	if !ok {
		return v
	}
	keys := make([]string, len(list))
	for i, x := range list {
		b, _ := json.Marshal(x)
		keys[i] = string(b)
	}
	slices.Sort(keys)
	return keys
}

// jsonSame compares JSON values; an empty list or object is the same as none.
func jsonSame(a, b any) bool {
	if isEmptyJSON(a) && isEmptyJSON(b) {
		return true
	}
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

func isEmptyJSON(v any) bool {
	switch t := v.(type) {
	case nil:
		return true
	case string:
		return t == ""
	case []any:
		return len(t) == 0
	case []string:
		return len(t) == 0
	case map[string]any:
		return len(t) == 0
	}
	return false
}
