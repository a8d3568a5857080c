// Package imports reads the files of a bulk import — CSV (';' or ','), XLSX, a JSON
// array or NDJSON — as a stream of records, each with its row number as a
// spreadsheet shows it, within limits. It knows nothing of the directory's
// resources, databases or HTTP: the HTTP layer maps the columns to fields and
// applies the rows (internal/httpapi/imports*.go).
package imports

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Format is the kind of an import file.
type Format string

// The formats an import reads.
const (
	CSV    Format = "csv"
	XLSX   Format = "xlsx"
	JSON   Format = "json"
	NDJSON Format = "ndjson"
)

// Media types of the formats.
const (
	MIMECSV    = "text/csv"
	MIMEXLSX   = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	MIMEJSON   = "application/json"
	MIMENDJSON = "application/x-ndjson"
)

// FormatOf is the format of a media type (parameters ignored), or "".
func FormatOf(mediaType string) Format {
	switch strings.ToLower(mediaType) {
	case MIMECSV:
		return CSV
	case MIMEXLSX:
		return XLSX
	case MIMEJSON:
		return JSON
	case MIMENDJSON, "application/jsonl", "application/jsonlines":
		return NDJSON
	}
	return ""
}

// FormatOfName is the format a file name's extension names, or "".
func FormatOfName(name string) Format {
	name = strings.ToLower(name)
	for ext, f := range map[string]Format{".csv": CSV, ".xlsx": XLSX, ".json": JSON, ".ndjson": NDJSON, ".jsonl": NDJSON} {
		if strings.HasSuffix(name, ext) {
			return f
		}
	}
	return ""
}

// Limits bound what a file may hold; a file beyond them is refused whole.
type Limits struct {
	MaxRows    int // data rows (records)
	MaxColumns int // columns of a table
	MaxCell    int // characters of a cell (of a JSON record: bytes)
}

// DefaultLimits are the limits unless configured otherwise: Excel's own limit for a
// cell's characters.
var DefaultLimits = Limits{MaxRows: 200_000, MaxColumns: 64, MaxCell: 32_767}

// Record is one data row: its number (Line) as a spreadsheet shows it (the header is
// row 1; for NDJSON the line, for a JSON array the item's position) and either its
// cells (a table, in the header's order) or its object (JSON).
type Record struct {
	Line   int
	Cells  []string
	Object json.RawMessage
}

// Reader reads a file record by record; Next answers io.EOF after the last.
type Reader interface {
	// Header is the table's header row (nil for JSON).
	Header() []string
	Next() (Record, error)
	Close() error
}

// FileError is a problem with the file as a whole (unreadable, beyond the limits):
// nothing of it is applied. Line is 0 when no row is to blame.
type FileError struct {
	Line    int
	Message string
}

func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("Zeile %d: %s", e.Line, e.Message)
	}
	return e.Message
}

func fileErr(line int, format string, args ...any) error {
	return &FileError{Line: line, Message: fmt.Sprintf(format, args...)}
}

// Open reads data as a file of format f.
func Open(f Format, data []byte, lim Limits) (Reader, error) {
	if lim == (Limits{}) {
		lim = DefaultLimits
	}
	switch f {
	case CSV:
		return openCSV(data, lim)
	case XLSX:
		return openXLSX(data, lim)
	case JSON:
		return openJSON(data, lim)
	case NDJSON:
		return &ndjsonReader{sc: newLineScanner(data, lim), lim: lim}, nil
	}
	return nil, fileErr(0, "Unbekanntes Format %q", f)
}

// table is what the table formats share: the header and the checks of a row.
type table struct {
	header []string
	lim    Limits
	rows   int
}

func (t *table) Header() []string { return t.header }

// setHeader checks the header row: not empty, within the column limit, no column
// twice; blanks around a header are dropped.
func (t *table) setHeader(cells []string) error {
	for len(cells) > 0 && strings.TrimSpace(cells[len(cells)-1]) == "" {
		cells = cells[:len(cells)-1]
	}
	if len(cells) == 0 {
		return fileErr(1, "Die Kopfzeile fehlt / no header row")
	}
	if len(cells) > t.lim.MaxColumns {
		return fileErr(1, "%d Spalten, höchstens %d / too many columns", len(cells), t.lim.MaxColumns)
	}
	seen := map[string]bool{}
	t.header = make([]string, len(cells))
	for i, c := range cells {
		c = strings.TrimSpace(strings.TrimPrefix(c, "\uFEFF"))
		if !utf8.ValidString(c) {
			return fileErr(1, "Die Kopfzeile ist kein gültiges UTF-8 / header not UTF-8")
		}
		if c != "" && seen[c] {
			return fileErr(1, "Spalte %q steht zweimal in der Kopfzeile / duplicate column", clip(c))
		}
		seen[c] = true
		t.header[i] = c
	}
	return nil
}

// row checks a data row against the limits: the row count, cells beyond the header
// (unless empty) and the length of a cell.
func (t *table) row(line int, cells []string) (Record, error) {
	if t.rows++; t.rows > t.lim.MaxRows {
		return Record{}, fileErr(line, "mehr als %d Zeilen / too many rows", t.lim.MaxRows)
	}
	for i, c := range cells {
		if i >= len(t.header) && c != "" {
			return Record{}, fileErr(line, "mehr Zellen als Spalten in der Kopfzeile / more cells than columns")
		}
		if len(c) > t.lim.MaxCell && utf8.RuneCountInString(c) > t.lim.MaxCell {
			return Record{}, fileErr(line, "eine Zelle hat mehr als %d Zeichen / cell too long", t.lim.MaxCell)
		}
	}
	if len(cells) > len(t.header) {
		cells = cells[:len(t.header)]
	}
	return Record{Line: line, Cells: cells}, nil
}

// empty tells whether a row has no text at all (skipped, as a spreadsheet's blank
// rows are).
func empty(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func clip(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	return string([]rune(s)[:40]) + "…"
}

// csvReader reads CSV as the export writes it (internal/export/csv.go): a UTF-8 BOM
// or none, ';' or ',' (whichever the header row uses), RFC 4180 quoting.
type csvReader struct {
	table
	r    *csv.Reader
	line int
}

func openCSV(data []byte, lim Limits) (Reader, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if !utf8.Valid(data) {
		return nil, fileErr(0, "Die Datei ist kein gültiges UTF-8 (in Excel: „CSV UTF-8“ speichern) / not UTF-8")
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = sniffComma(data)
	r.FieldsPerRecord = -1
	r.ReuseRecord = false
	c := &csvReader{table: table{lim: lim}, r: r}
	head, err := r.Read()
	if err == io.EOF {
		return nil, fileErr(1, "Die Datei ist leer / empty file")
	}
	if err != nil {
		return nil, csvErr(1, err)
	}
	c.line = 1
	return c, c.setHeader(head)
}

// sniffComma is the separator of the header row: ';' unless the first line holds
// more commas than semicolons outside quotes.
func sniffComma(data []byte) rune {
	semi, comma, quoted := 0, 0, false
	for _, b := range data {
		switch {
		case b == '"':
			quoted = !quoted
		case quoted:
		case b == '\n':
			if comma > semi {
				return ','
			}
			return ';'
		case b == ';':
			semi++
		case b == ',':
			comma++
		}
	}
	if comma > semi {
		return ','
	}
	return ';'
}

func csvErr(line int, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fileErr(line, "CSV nicht lesbar: %s", pe.Err)
	}
	return fileErr(line, "CSV nicht lesbar")
}

func (c *csvReader) Next() (Record, error) {
	for {
		cells, err := c.r.Read()
		if err == io.EOF {
			return Record{}, io.EOF
		}
		c.line++
		if err != nil {
			return Record{}, csvErr(c.line, err)
		}
		if empty(cells) {
			continue
		}
		for i, s := range cells {
			cells[i] = unneutralise(s)
		}
		return c.row(c.line, cells)
	}
}

func (c *csvReader) Close() error { return nil }

// unneutralise takes away the apostrophe that the CSV export puts before text a
// spreadsheet would take for a formula (internal/export/csv.go: neutralise), so that
// an exported file reads back as it was.
func unneutralise(s string) string {
	rest, ok := strings.CutPrefix(s, "'")
	if !ok || rest == "" {
		return s
	}
	if strings.ContainsRune("\t\r\n", rune(rest[0])) {
		return rest
	}
	if t := strings.TrimLeft(rest, " \t\r\n\v\f\u00a0"); t != "" && strings.ContainsRune("=+-@", rune(t[0])) {
		return rest
	}
	return s
}

// xlsxReader reads the first sheet of a workbook, with each cell's text as Excel
// shows it (dates and amounts in their cells' number formats).
type xlsxReader struct {
	table
	f    *excelize.File
	rows *excelize.Rows
	line int
}

func openXLSX(data []byte, lim Limits) (Reader, error) {
	// The unzipped workbook is bounded too (a small zip may unpack to gigabytes);
	// sheets beyond 16 MiB are unzipped to a temporary file, not into memory.
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: max(int64(len(data))*20, 64<<20), UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return nil, fileErr(0, "XLSX nicht lesbar / unreadable workbook")
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		_ = f.Close()
		return nil, fileErr(0, "Die Arbeitsmappe hat kein Blatt / no sheet")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		_ = f.Close()
		return nil, fileErr(0, "XLSX nicht lesbar / unreadable sheet")
	}
	x := &xlsxReader{table: table{lim: lim}, f: f, rows: rows}
	if !rows.Next() {
		_ = x.Close()
		return nil, fileErr(1, "Das Blatt ist leer / empty sheet")
	}
	x.line = 1
	head, err := rows.Columns()
	if err != nil {
		_ = x.Close()
		return nil, fileErr(1, "XLSX nicht lesbar / unreadable row")
	}
	if err := x.setHeader(head); err != nil {
		_ = x.Close()
		return nil, err
	}
	return x, nil
}

func (x *xlsxReader) Next() (Record, error) {
	for x.rows.Next() {
		x.line++
		cells, err := x.rows.Columns()
		if err != nil {
			return Record{}, fileErr(x.line, "XLSX nicht lesbar / unreadable row")
		}
		if empty(cells) {
			continue
		}
		return x.row(x.line, cells)
	}
	if err := x.rows.Error(); err != nil {
		return Record{}, fileErr(x.line+1, "XLSX nicht lesbar / unreadable sheet")
	}
	return Record{}, io.EOF
}

func (x *xlsxReader) Close() error {
	if x.rows != nil {
		_ = x.rows.Close()
	}
	return x.f.Close()
}

// jsonReader reads a JSON array of objects, one at a time.
type jsonReader struct {
	dec  *json.Decoder
	lim  Limits
	item int
}

func openJSON(data []byte, lim Limits) (Reader, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('[') {
		return nil, fileErr(0, "Erwartet ein JSON-Array von Objekten / expected a JSON array of objects")
	}
	return &jsonReader{dec: dec, lim: lim}, nil
}

func (j *jsonReader) Header() []string { return nil }

func (j *jsonReader) Next() (Record, error) {
	if !j.dec.More() {
		if tok, err := j.dec.Token(); err != nil || tok != json.Delim(']') {
			return Record{}, fileErr(j.item+1, "Kein gültiges JSON / malformed JSON")
		}
		if _, err := j.dec.Token(); err != io.EOF {
			return Record{}, fileErr(j.item+1, "Nach dem Array folgt noch etwas / trailing data")
		}
		return Record{}, io.EOF
	}
	j.item++
	if j.item > j.lim.MaxRows {
		return Record{}, fileErr(j.item, "mehr als %d Einträge / too many rows", j.lim.MaxRows)
	}
	var raw json.RawMessage
	if err := j.dec.Decode(&raw); err != nil {
		return Record{}, fileErr(j.item, "Kein gültiges JSON / malformed JSON")
	}
	return object(j.item, raw, j.lim)
}

func (j *jsonReader) Close() error { return nil }

func object(line int, raw json.RawMessage, lim Limits) (Record, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return Record{}, fileErr(line, "Erwartet ein JSON-Objekt / expected a JSON object")
	}
	if len(raw) > lim.MaxCell*8 {
		return Record{}, fileErr(line, "Eintrag zu groß / record too large")
	}
	return Record{Line: line, Object: raw}, nil
}

// ndjsonReader reads one JSON object per line (blank lines skipped).
type ndjsonReader struct {
	sc    *bufio.Scanner
	lim   Limits
	line  int
	count int
}

func newLineScanner(data []byte, lim Limits) *bufio.Scanner {
	sc := bufio.NewScanner(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF"))))
	sc.Buffer(make([]byte, 0, 64<<10), lim.MaxCell*8+2)
	return sc
}

func (n *ndjsonReader) Header() []string { return nil }

func (n *ndjsonReader) Next() (Record, error) {
	for n.sc.Scan() {
		n.line++
		b := bytes.TrimSpace(n.sc.Bytes())
		if len(b) == 0 {
			continue
		}
		if n.count++; n.count > n.lim.MaxRows {
			return Record{}, fileErr(n.line, "mehr als %d Zeilen / too many rows", n.lim.MaxRows)
		}
		if !json.Valid(b) {
			return Record{}, fileErr(n.line, "Kein gültiges JSON / malformed JSON")
		}
		return object(n.line, bytes.Clone(b), n.lim)
	}
	if err := n.sc.Err(); err != nil {
		return Record{}, fileErr(n.line+1, "Zeile zu lang oder nicht lesbar / line too long")
	}
	return Record{}, io.EOF
}

func (n *ndjsonReader) Close() error { return nil }
