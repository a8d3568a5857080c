package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// freeText are the body fields of running text, which may carry bidirectional
// formatting (a right-to-left quotation); every other string is a name, slug,
// identifier, tag or code and may not.
var freeText = map[string]bool{"description": true, "reason": true}

// checkBody walks a JSON body once, as a stream of tokens, against the type it is
// decoded into (nil: any): it refuses what encoding/json lets pass — an object key
// twice, or a key that names a field only up to case ({"Title": …}) — with 400, and
// strings that may not be stored (invalid UTF-8, control characters, bidirectional
// overrides outside running text: coop.TextProblem) with 422 naming each field.
func checkBody(body []byte, t reflect.Type) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	// encoding/json reads invalid UTF-8 as U+FFFD: where the body has some, the
	// strings that hold U+FFFD are the ones to name.
	w := bodyWalk{dec: dec, badUTF8: !utf8.Valid(body)}
	if err := w.value(t, "", ""); err != nil {
		return err
	}
	if w.badUTF8 && len(w.violations) == 0 {
		return coop.Errorf(coop.EInvalid, "Der Body ist kein gültiges UTF-8 / the body is not valid UTF-8")
	}
	return w.violations.Err()
}

type bodyWalk struct {
	dec        *json.Decoder
	badUTF8    bool
	violations coop.Violations
}

func (w *bodyWalk) value(t reflect.Type, path, key string) error {
	tok, err := w.dec.Token()
	if err != nil {
		return malformed(err)
	}
	t = elemType(t)
	switch v := tok.(type) {
	case string:
		p := coop.TextProblem(v, !freeText[key])
		if w.badUTF8 && strings.ContainsRune(v, utf8.RuneError) {
			p = coop.TextUTF8
		}
		if p != "" {
			w.violations.Add(orBody(path), p, "%s", coop.TextMessage(p))
		}
	case json.Delim:
		switch v {
		case '{':
			return w.object(t, path)
		case '[':
			var elem reflect.Type
			if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
				elem = t.Elem()
			}
			for i := 0; w.dec.More(); i++ {
				if err := w.value(elem, fmt.Sprintf("%s[%d]", path, i), key); err != nil {
					return err
				}
			}
			_, err := w.dec.Token()
			return malformed(err)
		}
	}
	return nil
}

func (w *bodyWalk) object(t reflect.Type, path string) error {
	var fields map[string]reflect.Type
	if t != nil && t.Kind() == reflect.Struct {
		fields = jsonFields(t)
	}
	seen := map[string]bool{}
	for w.dec.More() {
		tok, err := w.dec.Token()
		if err != nil {
			return malformed(err)
		}
		key, _ := tok.(string)
		at := key
		if path != "" {
			at = path + "." + key
		}
		if seen[key] {
			return coop.Errorf(coop.EInvalid, "Feld %q steht zweimal im Objekt / duplicate key", at)
		}
		seen[key] = true
		ft, known := fields[key]
		if fields != nil && !known {
			return coop.Errorf(coop.EInvalid, "Unbekanntes Feld %q (Feldnamen unterscheiden Groß- und Kleinschreibung) / unknown field", at)
		}
		if err := w.value(ft, at, key); err != nil {
			return err
		}
	}
	_, err := w.dec.Token()
	return malformed(err)
}

func malformed(err error) error {
	if err == nil {
		return nil
	}
	return coop.Errorf(coop.EInvalid, "Kein gültiges JSON / malformed JSON")
}

func orBody(path string) string {
	if path == "" {
		return "(body)"
	}
	return path
}

func elemType(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// jsonFields maps the exact JSON names of a struct's fields (embedded structs'
// fields included, as encoding/json flattens them) to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-" || (!f.IsExported() && !f.Anonymous):
		case f.Anonymous && name == "" && elemType(f.Type).Kind() == reflect.Struct:
			for k, v := range jsonFields(elemType(f.Type)) {
				m[k] = v
			}
		case name == "":
			m[f.Name] = f.Type
		default:
			m[name] = f.Type
		}
	}
	fieldCache.Store(t, m)
	return m
}

var fieldCache sync.Map // reflect.Type → map[string]reflect.Type

// checkParams refuses a request whose path parameters or query parameters (names and
// values) hold text that may not be stored or searched for (coop.TextProblem; the
// search text q may carry bidirectional formatting): 400 naming the parameter, before
// any handler or database sees it. Path parameters reach handlers unescaped whichever
// way the client escaped them: Echo routes by the raw path when it differs from Go's
// own escaping (%c3%bc rather than %C3%BC) and then hands on the escaped text.
func checkParams(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		values := c.ParamValues()
		if c.Request().URL.RawPath != "" && len(values) > 0 {
			values = slices.Clone(values)
			for i, v := range values {
				if u, err := url.PathUnescape(v); err == nil {
					values[i] = u
				}
			}
			c.SetParamValues(values...)
		}
		for i, name := range c.ParamNames() {
			if i < len(values) {
				if p := coop.TextProblem(values[i], true); p != "" {
					return paramProblem(name, p)
				}
			}
		}
		for name, list := range c.QueryParams() {
			if p := coop.TextProblem(name, true); p != "" {
				return paramProblem(name, p)
			}
			for _, v := range list {
				if p := coop.TextProblem(v, name != "q"); p != "" {
					return paramProblem(name, p)
				}
			}
		}
		return next(c)
	}
}

func paramProblem(name, problem string) error {
	return coop.Errorf(coop.EInvalid, "Parameter %q: %s", strings.ToValidUTF8(clip(name, 40), "\uFFFD"), coop.TextMessage(problem))
}
