// Command xlsxcheck prints every row of every sheet of an XLSX file as tab-separated
// text, read with excelize: the browser tests (tools/web) open the dashboard's
// downloads with it.
//
//	go run ./tools/xlsxcheck FILE.xlsx
package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/xuri/excelize/v2"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: xlsxcheck FILE.xlsx")
		os.Exit(2)
	}
	f, err := excelize.OpenFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "xlsxcheck:", err)
		os.Exit(1)
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			fmt.Fprintln(os.Stderr, "xlsxcheck:", err)
			os.Exit(1)
		}
		fmt.Printf("# %s\n", sheet)
		for _, r := range rows {
			fmt.Println(strings.Join(r, "\t"))
		}
	}
}
