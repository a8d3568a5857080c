package export

import (
	"archive/zip"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Number formats of typed XLSX cells.
const (
	moneyFormat = `#,##0.00 "€"`
	dayFormat   = "dd.mm.yyyy"
	monthFormat = "mm.yyyy"
	yearFormat  = "yyyy"
)

// XLSX writes a workbook with excelize's StreamWriter: rows go to a buffer that excelize
// moves to a temporary file beyond 16 MiB, and Close zips the workbook straight into
// the destination, so memory stays bounded whatever the row count. The first sheet has
// a bold, frozen header row, an autofilter over all rows and the given column widths;
// dates are date cells (a partial date as its first day, shown with its precision),
// money numbers with a euro format.
type XLSX struct {
	dst    io.Writer
	f      *excelize.File
	sw     *excelize.StreamWriter
	sheet  string
	cols   int
	row    int
	main   bool // sw is the first sheet's writer (it gets the autofilter)
	styles struct{ header, day, month, year, money, hundredths int }
	vals   []any
}

// NewXLSX starts a workbook whose first sheet is named sheet and writes its header.
func NewXLSX(dst io.Writer, sheet string, cols []Column) (*XLSX, error) {
	x := &XLSX{dst: dst, f: excelize.NewFile()}
	if err := x.f.SetSheetName(x.f.GetSheetName(0), sheet); err != nil {
		return nil, x.fail(err)
	}
	var err error
	for _, s := range []struct {
		id    *int
		style excelize.Style
	}{
		{&x.styles.header, excelize.Style{Font: &excelize.Font{Bold: true}}},
		{&x.styles.day, excelize.Style{CustomNumFmt: ptr(dayFormat)}},
		{&x.styles.month, excelize.Style{CustomNumFmt: ptr(monthFormat)}},
		{&x.styles.year, excelize.Style{CustomNumFmt: ptr(yearFormat)}},
		{&x.styles.money, excelize.Style{CustomNumFmt: ptr(moneyFormat)}},
		{&x.styles.hundredths, excelize.Style{NumFmt: 4}}, // #,##0.00
	} {
		if *s.id, err = x.f.NewStyle(&s.style); err != nil {
			return nil, x.fail(err)
		}
	}
	if err := x.startSheet(sheet, cols); err != nil {
		return nil, x.fail(err)
	}
	x.main = true
	return x, nil
}

func ptr[T any](v T) *T { return &v }

// MarkDemo states in the workbook's properties (title, subject, keywords) that its
// data is invented demo data.
func (x *XLSX) MarkDemo() error {
	return x.f.SetDocProps(&excelize.DocProperties{Title: "DEMODATEN – erfunden / invented demo data",
		Subject:  "IKZ-Verzeichnis: erfundene Demodaten (ikz-verzeichnis seed --demo), keine echten Vorhaben",
		Keywords: "Demodaten; demo data", Creator: "IKZ-Verzeichnis"})
}

// fail releases the workbook's temporary files and returns err.
func (x *XLSX) fail(err error) error {
	_ = x.f.Close()
	return err
}

// startSheet opens a stream writer on sheet (created unless it exists) with a frozen,
// bold header row and the column widths.
func (x *XLSX) startSheet(sheet string, cols []Column) error {
	if idx, _ := x.f.GetSheetIndex(sheet); idx < 0 {
		if _, err := x.f.NewSheet(sheet); err != nil {
			return err
		}
	}
	sw, err := x.f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for i, c := range cols {
		if c.Width > 0 {
			if err := sw.SetColWidth(i+1, i+1, c.Width); err != nil {
				return err
			}
		}
	}
	head := make([]any, len(cols))
	for i, c := range cols {
		head[i] = excelize.Cell{StyleID: x.styles.header, Value: c.Header}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	x.sw, x.sheet, x.cols, x.row, x.main = sw, sheet, len(cols), 1, false
	x.vals = make([]any, len(cols))
	return nil
}

// WriteRow writes one row of typed cells to the current sheet.
func (x *XLSX) WriteRow(cells []Cell) error {
	if x.sw == nil {
		return fmt.Errorf("export: workbook closed")
	}
	if len(cells) > x.cols {
		return fmt.Errorf("export: %d cells for %d columns", len(cells), x.cols)
	}
	for i := range x.vals {
		x.vals[i] = nil
		if i < len(cells) {
			x.vals[i] = x.value(cells[i])
		}
	}
	x.row++
	ref, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	return x.sw.SetRow(ref, x.vals)
}

// maxExactCents bounds the amounts a spreadsheet number holds to the cent: 10^15
// cents, 15 significant digits.
const maxExactCents = 1_000_000_000_000_000

func (x *XLSX) value(c Cell) any {
	switch c.kind {
	case kindText:
		return c.text
	case kindDate:
		style := x.styles.day
		switch {
		case c.date.Month == 0:
			style = x.styles.year
		case c.date.Day == 0:
			style = x.styles.month
		}
		return excelize.Cell{StyleID: style, Value: c.date.First()}
	case kindMoney:
		// The one place a float appears: the spreadsheet's number type. Spreadsheets
		// keep 15 significant digits, so amounts below 10^13 euros stay exact to the
		// cent (every single amount: coop.MaxAmount); a larger sum is written as its
		// decimal text rather than rounded.
		if cents, ok := c.money.Cents(); ok && cents > -maxExactCents && cents < maxExactCents {
			return excelize.Cell{StyleID: x.styles.money, Value: cents.Float()}
		}
		return c.money.String()
	case kindInt:
		return c.num
	case kindHundredths:
		return excelize.Cell{StyleID: x.styles.hundredths, Value: float64(c.num) / 100}
	}
	return nil
}

// Flush does nothing: a workbook can only be written whole, at Close.
func (x *XLSX) Flush() error { return nil }

// finishSheet ends the current sheet; the first one gets an autofilter over its rows.
func (x *XLSX) finishSheet() error {
	if x.sw == nil {
		return nil
	}
	if x.main && x.cols > 0 {
		last, err := excelize.CoordinatesToCellName(x.cols, x.row)
		if err != nil {
			return err
		}
		if err := x.f.AutoFilter(x.sheet, "A1:"+last, nil); err != nil {
			return err
		}
	}
	err := x.sw.Flush()
	x.sw = nil
	return err
}

// AddSheet ends the current sheet and adds another one with its own header and rows
// (e.g. a summary), written the same way.
func (x *XLSX) AddSheet(name string, cols []Column, rows [][]Cell) error {
	if err := x.finishSheet(); err != nil {
		return err
	}
	if err := x.startSheet(name, cols); err != nil {
		return err
	}
	for _, r := range rows {
		if err := x.WriteRow(r); err != nil {
			return err
		}
	}
	return x.finishSheet()
}

// Close ends the current sheet, zips the workbook straight into the destination (not
// into a buffer first) and removes excelize's temporary files.
func (x *XLSX) Close() error {
	if err := x.finishSheet(); err != nil {
		return x.fail(err)
	}
	// No SetActiveSheet or other whole-sheet call here: on a streamed sheet it would read
	// all its rows back into memory. The first sheet is the active one anyway.
	x.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(x.dst) })
	// The io.Writer handed to WriteTo receives only excelize's (now empty) buffer.
	if _, err := x.f.WriteTo(io.Discard); err != nil {
		return x.fail(err)
	}
	if err := x.f.Close(); err != nil {
		return err
	}
	return flush(x.dst)
}

// Discard drops the workbook without writing anything and removes its temporary files.
func (x *XLSX) Discard() error {
	x.sw = nil
	return x.f.Close()
}
