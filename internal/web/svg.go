package web

import (
	"fmt"
	"html"
	"html/template"
	"strings"
)

// Charts are drawn on the server as inline SVG: no script, no library to ship or to keep
// accessible, nothing for the Content-Security-Policy to allow, and the page reads
// without JavaScript. Each chart is an image with a title and a description
// (role="img", aria-labelledby) that names what it shows; its data stands beside it as
// a table, which is what screen readers and keyboard users read.

// chartRow is one row of a horizontal bar chart: a label and one value per series.
type chartRow struct {
	Label  string
	Values []float64
	Texts  []string // the values as shown (formatted), one per series
}

// chart is a horizontal bar chart: series side by side (grouped) or on top of each
// other (stacked), with a legend when there is more than one series.
type chart struct {
	ID      string
	Title   string
	Desc    string
	Series  []string
	Rows    []chartRow
	Stacked bool
}

// palette has colours with at least 4.5:1 contrast on white, distinguishable from one
// another; segments are also separated by white lines and named in the legend.
var palette = []string{"#1a3da5", "#b3470f", "#2d7a3e", "#6b3fa0", "#8a1c2b", "#005f73", "#7a5c00", "#4a4f6a"}

const (
	chartWidth  = 720.0
	labelWidth  = 230.0
	valueRoom   = 110.0 // room right of the longest bar for its value
	barHeight   = 18.0
	rowGap      = 12.0
	legendLine  = 22.0
	chartMargin = 8.0
)

// svg renders the chart.
func (c chart) svg() template.HTML {
	maxV := 0.0
	for _, r := range c.Rows {
		if c.Stacked {
			sum := 0.0
			for _, v := range r.Values {
				sum += v
			}
			maxV = max(maxV, sum)
		} else {
			for _, v := range r.Values {
				maxV = max(maxV, v)
			}
		}
	}
	if maxV <= 0 {
		maxV = 1
	}
	perRow := barHeight
	if !c.Stacked {
		perRow = barHeight * float64(len(c.Series))
	}
	legendRows := 0
	if len(c.Series) > 1 {
		legendRows = (len(c.Series) + 2) / 3
	}
	top := chartMargin + float64(legendRows)*legendLine
	height := top + float64(len(c.Rows))*(perRow+rowGap) + chartMargin
	scale := (chartWidth - labelWidth - valueRoom) / maxV

	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-labelledby="%s-t %s-d" focusable="false">`,
		chartWidth, height, c.ID, c.ID)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, c.ID, html.EscapeString(c.Title), c.ID, html.EscapeString(c.Desc))
	if legendRows > 0 {
		for i, s := range c.Series {
			x := chartMargin + float64(i%3)*(chartWidth/3)
			y := chartMargin + float64(i/3)*legendLine
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="14" height="14" fill="%s"/><text class="chart__legend" x="%.1f" y="%.1f">%s</text>`,
				x, y, palette[i%len(palette)], x+20, y+12, html.EscapeString(s))
		}
	}
	for i, r := range c.Rows {
		y := top + float64(i)*(perRow+rowGap)
		fmt.Fprintf(&b, `<text class="chart__label" x="%.1f" y="%.1f" text-anchor="end">%s</text>`,
			labelWidth-8, y+perRow/2+5, html.EscapeString(clip(r.Label, 34)))
		x := labelWidth
		for j, v := range r.Values {
			w := v * scale
			by := y
			if !c.Stacked {
				by = y + float64(j)*barHeight
			}
			if w > 0 {
				fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" stroke="#fff" stroke-width="1"/>`,
					x, by+1, w, barHeight-2, palette[j%len(palette)])
			}
			if !c.Stacked {
				fmt.Fprintf(&b, `<text class="chart__value" x="%.1f" y="%.1f">%s</text>`, x+w+6, by+barHeight/2+5, html.EscapeString(r.Texts[j]))
			} else {
				x += w
			}
		}
		if c.Stacked {
			total := 0.0
			for _, v := range r.Values {
				total += v
			}
			fmt.Fprintf(&b, `<text class="chart__value" x="%.1f" y="%.1f">%s</text>`, x+6, y+perRow/2+5, html.EscapeString(fmt.Sprintf("%.0f", total)))
		}
	}
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#4a4f6a" stroke-width="1"/>`, labelWidth, top-4, labelWidth, height-chartMargin)
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every text above is escaped
}

// clip shortens a label for the chart; the table shows it whole.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
