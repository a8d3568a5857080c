package imports

import (
	"regexp"
	"strconv"
	"strings"
)

// Cells come as a person or a spreadsheet wrote them. These functions turn the forms
// the export writes, and the usual German ones, into the API's form; text they do not
// recognise is handed on unchanged, so that the API's own validation refuses it with
// its code and message.

var (
	germanDay   = regexp.MustCompile(`^(\d{1,2})\.(\d{1,2})\.(\d{4})$`)
	germanMonth = regexp.MustCompile(`^(\d{1,2})\.(\d{4})$`)
)

// Date is a cell's partial date in ISO form: "2016", "2016-11", "2016-11-15" stay;
// "15.11.2016" and "11.2016" (the XLSX export's day and month formats, German
// usage) become "2016-11-15" and "2016-11".
func Date(s string) string {
	s = strings.TrimSpace(s)
	if m := germanDay.FindStringSubmatch(s); m != nil {
		return m[3] + "-" + pad2(m[2]) + "-" + pad2(m[1])
	}
	if m := germanMonth.FindStringSubmatch(s); m != nil {
		return m[2] + "-" + pad2(m[1])
	}
	return s
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

var (
	amountRe  = regexp.MustCompile(`^-?[0-9.,' ]*[0-9]$`)
	groupedRe = regexp.MustCompile(`^\d{1,3}(\.\d{3})+$`)
)

// Amount is a cell's amount of euro as the API writes it ("125000.30"): it takes
// "125000,30" (German CSV), "125,000.30 €" (the XLSX money format as shown),
// "125.000,30 €" and "125000.3". A separator followed by exactly three digits at the
// end groups thousands; with one or two it is the decimal separator (amounts have at
// most two fraction digits).
func Amount(s string) string {
	t := strings.TrimSpace(s)
	t = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(t, "EUR"), "€"))
	t = strings.ReplaceAll(strings.ReplaceAll(t, "\u00a0", ""), "\u202f", "")
	if !amountRe.MatchString(t) {
		return s
	}
	dec := strings.LastIndexAny(t, ".,")
	whole, frac := t, ""
	if dec >= 0 && len(t)-dec-1 <= 2 {
		whole, frac = t[:dec], t[dec+1:]
	}
	whole = strings.NewReplacer(".", "", ",", "", "'", "", " ", "").Replace(whole)
	if whole == "" || whole == "-" {
		whole += "0"
	}
	if frac == "" {
		return whole
	}
	return whole + "." + frac
}

// Int is a cell's whole number as JSON: a number when it is one ("12", "12.0",
// "1.200" grouped), the text otherwise (the API then names the type).
func Int(s string) any {
	t := strings.TrimSpace(s)
	if n, err := strconv.ParseInt(t, 10, 64); err == nil {
		return n
	}
	if groupedRe.MatchString(t) {
		if n, err := strconv.ParseInt(strings.ReplaceAll(t, ".", ""), 10, 64); err == nil {
			return n
		}
	}
	if f, err := strconv.ParseFloat(t, 64); err == nil && f == float64(int64(f)) && !strings.ContainsAny(t, "eE") {
		return int64(f)
	}
	return s
}

// Bool is a cell's yes or no as JSON ("ja"/"nein" as the export writes them, also
// "true"/"false", "yes"/"no", "1"/"0", "x"), the text otherwise.
func Bool(s string) any {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "ja", "j", "true", "wahr", "yes", "y", "1", "x":
		return true
	case "nein", "n", "false", "falsch", "no", "0":
		return false
	}
	return s
}

// List splits a cell of several values ("EGovG NRW; GkG NRW") at semicolons (or,
// without any, at line breaks); blanks around each are dropped, empty ones left out.
func List(s string) []string {
	sep := ";"
	if !strings.Contains(s, ";") {
		sep = "\n"
	}
	var out []string
	for _, p := range strings.Split(s, sep) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
