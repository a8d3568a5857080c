package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// readJSON reads the request body as a JSON object after checking its media type.
// mergePatch also accepts application/merge-patch+json. Errors: 415, 413, 400.
func readJSON(c echo.Context, mergePatch bool) ([]byte, error) {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	mt, params, err := mime.ParseMediaType(ct)
	ok := err == nil && (mt == "application/json" || (mergePatch && mt == "application/merge-patch+json"))
	if cs, named := params["charset"]; ok && named && !strings.EqualFold(cs, "utf-8") {
		return nil, coop.Errorf(coop.EUnsupported, "charset %q wird nicht unterstützt; JSON ist UTF-8 / only charset=utf-8", clip(cs, 40))
	}
	if !ok {
		want := "application/json"
		if mergePatch {
			want += ", application/merge-patch+json"
		}
		return nil, coop.Errorf(coop.EUnsupported, "Content-Type %q wird nicht unterstützt; erwartet %s / not supported; expected %[2]s", clip(ct, 100), want)
	}
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		var he *echo.HTTPError
		if errors.As(err, &he) && he.Code == http.StatusRequestEntityTooLarge {
			return nil, coop.Errorf(coop.ETooLarge, "Der Body ist zu groß / body too large")
		}
		return nil, coop.Errorf(coop.EInvalid, "Body nicht lesbar / body not readable")
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		if !json.Valid(trimmed) {
			return nil, coop.Errorf(coop.EInvalid, "Kein gültiges JSON / malformed JSON")
		}
		return nil, coop.Errorf(coop.EInvalid, "Erwartet ein JSON-Objekt / expected a JSON object")
	}
	if !json.Valid(trimmed) {
		return nil, coop.Errorf(coop.EInvalid, "Kein gültiges JSON / malformed JSON")
	}
	return trimmed, nil
}

// decodeStrict decodes one JSON object into v, refusing unknown fields (400) and
// reporting a value of the wrong type as a 422 on its field path.
func decodeStrict(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		var se *json.SyntaxError
		switch {
		case errors.As(err, &te):
			var vs coop.Violations
			field := jsonPath(te.Field)
			if field == "" {
				field = "(body)"
			}
			vs.Add(field, "type", "Erwartet %s, nicht %s", jsonTypeName(te.Type.Kind().String()), te.Value)
			return vs.Err()
		case errors.As(err, &se), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
			return coop.Errorf(coop.EInvalid, "Kein gültiges JSON / malformed JSON")
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return coop.Errorf(coop.EInvalid, "Unbekanntes Feld %s / unknown field", strings.TrimPrefix(err.Error(), "json: unknown field "))
		default:
			return coop.Errorf(coop.EInvalid, "Body nicht lesbar / body not readable: %s", err.Error())
		}
	}
	if dec.More() {
		return coop.Errorf(coop.EInvalid, "Nach dem JSON-Objekt folgt noch etwas / trailing data")
	}
	return nil
}

// jsonPath drops the Go type names that encoding/json puts into an error's field path
// for embedded structs ("ProjectInput.title" → "title"); JSON names are snake_case.
func jsonPath(field string) string {
	parts := strings.Split(field, ".")
	out := parts[:0]
	for _, p := range parts {
		if p != "" && !unicode.IsUpper(rune(p[0])) {
			out = append(out, p)
		}
	}
	return strings.Join(out, ".")
}

func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "eine Zeichenkette"
	case "int", "int64", "int32", "float64":
		return "eine Zahl"
	case "bool":
		return "true oder false"
	case "slice":
		return "eine Liste"
	case "struct", "map", "ptr":
		return "ein Objekt"
	}
	return kind
}

// bindBody reads a create body, checks its keys and strings (checkBody) and decodes it
// strictly into v: the one way a body comes in.
func bindBody(c echo.Context, v any) error {
	body, err := readJSON(c, false)
	if err != nil {
		return err
	}
	if err := checkBody(body, reflect.TypeOf(v)); err != nil {
		return err
	}
	return decodeStrict(bytes.NewReader(body), v)
}

// readOnlyFields may appear in responses but never in a write.
var readOnlyFields = []string{"id", "status", "version", "created_at", "updated_at"}

// readPatch reads the request's JSON Merge Patch (RFC 7396) for a resource whose
// request form is t: read-only fields are 422, then keys and strings are checked as
// bindBody checks them.
func readPatch(c echo.Context, t reflect.Type) (map[string]any, error) {
	body, err := readJSON(c, true)
	if err != nil {
		return nil, err
	}
	var patch map[string]any
	if err := json.Unmarshal(body, &patch); err != nil {
		return nil, coop.Errorf(coop.EInvalid, "Kein gültiges JSON / malformed JSON")
	}
	var vs coop.Violations
	for _, f := range readOnlyFields {
		if _, ok := patch[f]; ok {
			msg := "Feld ist nur lesbar / read-only"
			if f == "status" {
				msg = "Der Status ändert sich nur über POST …/transitions / use transitions"
			}
			vs.Add(f, "read_only", "%s", msg)
		}
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}
	return patch, checkBody(body, t)
}

// mergeInto applies patch to base (the current resource in its request form) and
// decodes the result strictly into out.
func mergeInto(patch map[string]any, base any, out any) error {
	raw, err := json.Marshal(base)
	if err != nil {
		return err
	}
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return err
	}
	merged, err := json.Marshal(mergePatch(doc, patch))
	if err != nil {
		return err
	}
	return decodeStrict(bytes.NewReader(merged), out)
}

// mergePatch implements RFC 7396: objects merge recursively, null deletes, anything
// else replaces. It changes target, never patch, so one patch can be merged again.
func mergePatch(target any, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	t, ok := target.(map[string]any)
	if !ok {
		t = map[string]any{}
	}
	for k, v := range p {
		if v == nil {
			delete(t, k)
			continue
		}
		t[k] = mergePatch(t[k], v)
	}
	return t
}

// etag is the strong entity tag of a resource version in one representation: a
// strong validator belongs to one representation (RFC 9110), so a variant of the body
// (a project with its finance) has a tag of its own, and a copy cached without money
// never validates one with it, nor the reverse.
func etag(id string, version int, variant string) string {
	if variant != "" {
		return fmt.Sprintf(`"%s.%d.%s"`, id, version, variant)
	}
	return fmt.Sprintf(`"%s.%d"`, id, version)
}

// variant is a body that is not the resource's public representation; etagVariant
// names it ("" for the public one).
type variant interface{ etagVariant() string }

// variantOf names the representation body is.
func variantOf(body any) string {
	if v, ok := body.(variant); ok {
		return v.etagVariant()
	}
	return ""
}

// ifMatchVersion reads If-Match for the resource id: 0 when absent or "*"; a tag of
// another resource or a malformed one can never match, so it is stale (412).
func ifMatchVersion(c echo.Context, id string) (int, error) {
	if !conditional(c) {
		return 0, nil
	}
	h := strings.TrimSpace(c.Request().Header.Get("If-Match"))
	for _, tag := range strings.Split(h, ",") {
		tag = strings.TrimSpace(tag)
		// The JSON representations' tags (with or without finance) name the version a
		// write is based on.
		rest, ok := strings.CutPrefix(tag, `"`+id+".")
		rest, quoted := strings.CutSuffix(rest, `"`)
		if !ok || !quoted {
			continue
		}
		num, variant, _ := strings.Cut(rest, ".")
		if variant != "" && variant != financeVariant(true) && !isRegisterVariant(variant) {
			continue // the JSON-LD's tag, say: a representation no write is based on
		}
		if v, err := strconv.Atoi(num); err == nil && v > 0 && strconv.Itoa(v) == num {
			return v, nil
		}
	}
	return 0, coop.Errorf(coop.EPrecondition, "If-Match passt nicht zur aktuellen Version / stale If-Match")
}

// conditional reports whether the request names the version it is based on: an
// If-Match other than "*" (which any current representation matches).
func conditional(c echo.Context) bool {
	h := strings.TrimSpace(c.Request().Header.Get("If-Match"))
	return h != "" && h != "*"
}

// notModified answers 304 when If-None-Match names tag.
func notModified(c echo.Context, tag string) bool {
	h := c.Request().Header.Get("If-None-Match")
	if h == "" {
		return false
	}
	for _, t := range strings.Split(h, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || t == tag || strings.TrimPrefix(t, "W/") == strings.TrimPrefix(tag, "W/") {
			return true
		}
	}
	return false
}
