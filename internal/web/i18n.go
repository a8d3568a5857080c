package web

import (
	"strconv"
	"strings"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// The languages of the pages: German at the root, English under /en.
const (
	langDE = "de"
	langEN = "en"
)

func prefixOf(lang string) string {
	if lang == langEN {
		return "/en"
	}
	return ""
}

// T translates a German text of the pages; German pages show it as it is. A text
// without an English entry stays German (TestEnglishComplete finds such texts).
func (r *request) T(s string) string { return translate(r.lang, s) }

// translate is a German text of the pages in lang.
func translate(lang, s string) string {
	if lang == langDE {
		return s
	}
	if en, ok := english[s]; ok {
		return en
	}
	return s
}

// enums are the enumerations the pages label, by the names templates use.
var enums = map[string]coop.Enum{
	"status":       coop.ProjectStatuses,
	"category":     coop.ProjectCategories,
	"role":         coop.ParticipantRoles,
	"partner_type": coop.PartnerTypes,
	"coop_status":  coop.CooperationStatuses,
	"legal_form":   coop.CooperationLegalForms,
	"member_role":  coop.MemberRoles,
	"vat":          coop.VATTreatments,
	"state":        coop.States,
}

// label is the label_de or label_en of a code (the code itself if unknown).
func label(lang, enum, code string) string {
	for _, l := range enums[enum] {
		if l.Code == code {
			if lang == langEN {
				return l.LabelEN
			}
			return l.LabelDE
		}
	}
	if code == coop.UnknownKey {
		if lang == langEN {
			return "unknown"
		}
		return "unbekannt"
	}
	return code
}

// prefersEnglish reports whether an Accept-Language header ranks English above German
// (or names English and no German at all).
func prefersEnglish(header string) bool {
	best := map[string]float64{}
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		tag = strings.ToLower(strings.TrimSpace(tag))
		base, _, _ := strings.Cut(tag, "-")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		if q > best[base] {
			best[base] = q
		}
	}
	return best["en"] > 0 && best["en"] > best["de"]
}

var monthsEN = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// formatDate writes a partial date with its precision: German 2016, 11/2016,
// 15.11.2016; English 2016, 11/2016, 15 Nov 2016.
func formatDate(lang string, d coop.PartialDate) string {
	switch {
	case d.IsZero():
		return "–"
	case d.Month == 0:
		return strconv.Itoa(d.Year)
	case d.Day == 0:
		return pad2(d.Month) + "/" + strconv.Itoa(d.Year)
	case lang == langEN:
		return strconv.Itoa(d.Day) + " " + monthsEN[d.Month-1] + " " + strconv.Itoa(d.Year)
	default:
		return pad2(d.Day) + "." + pad2(d.Month) + "." + strconv.Itoa(d.Year)
	}
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// formatMoney writes cents as 1.234,56 € or €1,234.56.
func formatMoney(lang string, c coop.Cents) string {
	v := int64(c)
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	cents := pad2(int(v % 100))
	if lang == langEN {
		return sign + "€" + group(v/100, ",") + "." + cents
	}
	return sign + group(v/100, ".") + "," + cents + "\u00a0€"
}

// formatInt writes a count with thousands separators.
func formatInt(lang string, n int64) string {
	sep := "."
	if lang == langEN {
		sep = ","
	}
	if n < 0 {
		return "-" + group(-n, sep)
	}
	return group(n, sep)
}

func group(n int64, sep string) string {
	s := strconv.FormatInt(n, 10)
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	first := len(s) % 3
	if first > 0 {
		b.WriteString(s[:first])
	}
	for i := first; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}
