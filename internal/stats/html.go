package stats

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
	"time"
)

// mark is one drawn value of a chart (a bar or a heatmap cell); the class "mark" is
// what tests count.
type mark struct {
	X, Y, W, H float64
	Fill       string
	Title      string
}

// line is a drawn series (one domain's visits); it counts as one mark.
type line struct {
	Points string
	Color  string
	Title  string
}

// label is a piece of text on a chart.
type label struct {
	X, Y   float64
	Text   string
	Anchor string // start, middle or end
}

// chart is an inline SVG chart.
type chart struct {
	ID, Title, Note string
	W, H            float64
	Marks           []mark
	Lines           []line
	Labels          []label
	Legend          []legendItem
}

type legendItem struct{ Color, Text string }

// Colours of the report (also readable in print).
const (
	colorMain   = "#2f6fb3"
	colorSecond = "#e08a2c"
)

// WriteHTML writes the report as one self-contained HTML page: inline CSS and SVG,
// no script, no request to anywhere, laid out for screens and for print.
func WriteHTML(w io.Writer, r *Report) error {
	page := struct {
		R      *Report
		Charts []chart
		Tables []Table
		Made   string
	}{R: r, Made: time.Now().UTC().Format(time.RFC3339)}
	if r.Chats.Chats > 0 {
		page.Charts = []chart{volumeChart(r.Volume), heatmapChart(&r.Heatmap, r.Range.TZ), responseChart(&r.ResponseHistogram), ratingsChart(&r.Chats.Ratings, r.Chats.Chats)}
	}
	if len(r.Domains) > 0 {
		page.Charts = append(page.Charts, domainsChart(r.Domains))
	}
	for _, t := range Tables(r) {
		if len(t.Rows) > 0 && t.Name != "heatmap" && t.Name != "volume" {
			page.Tables = append(page.Tables, t)
		}
	}
	return reportTemplate.Execute(w, page)
}

// plot is the drawing area of the bar charts.
const (
	plotLeft   = 48.0
	plotTop    = 16.0
	plotHeight = 160.0
	plotWidth  = 720.0
)

// barChart lays out values as bars (several series side by side per slot).
func barChart(id, title string, slots []string, series [][]float64, colors []string, tip func(slot, s int) string) chart {
	c := chart{ID: id, Title: title, W: plotLeft + plotWidth + 8, H: plotTop + plotHeight + 40}
	top := 0.0
	for _, s := range series {
		for _, v := range s {
			top = math.Max(top, v)
		}
	}
	if top == 0 {
		top = 1
	}
	slotW := plotWidth / float64(max(len(slots), 1))
	barW := slotW * 0.8 / float64(len(series))
	for i := range slots {
		for s := range series {
			h := series[s][i] / top * plotHeight
			c.Marks = append(c.Marks, mark{X: plotLeft + float64(i)*slotW + slotW*0.1 + float64(s)*barW,
				Y: plotTop + plotHeight - h, W: math.Max(barW, 0.5), H: h, Fill: colors[s], Title: tip(i, s)})
		}
	}
	// Label at most about 12 slots so that the text never overlaps.
	step := max(1, (len(slots)+11)/12)
	for i := 0; i < len(slots); i += step {
		c.Labels = append(c.Labels, label{X: plotLeft + (float64(i)+0.5)*slotW, Y: plotTop + plotHeight + 16, Text: slots[i], Anchor: "middle"})
	}
	for _, f := range []float64{0, 0.5, 1} {
		c.Labels = append(c.Labels, label{X: plotLeft - 6, Y: plotTop + plotHeight - f*plotHeight + 4, Text: num(round(top*f, 1)), Anchor: "end"})
	}
	return c
}

func volumeChart(v []DayCount) chart {
	slots := make([]string, len(v))
	vals := make([]float64, len(v))
	for i, d := range v {
		slots[i], vals[i] = d.Date, float64(d.Chats)
	}
	c := barChart("volume", "Chats per day", slots, [][]float64{vals}, []string{colorMain},
		func(i, _ int) string { return fmt.Sprintf("%s: %d chats", v[i].Date, v[i].Chats) })
	if len(v) == 0 {
		c.Note = "No chats."
	}
	return c
}

func heatmapChart(h *Heatmap, tz string) chart {
	const cell, left, top = 28.0, 40.0, 20.0
	c := chart{ID: "heatmap", Title: "Chats by weekday and hour (" + tz + ")", W: left + 24*cell + 8, H: top + 7*cell + 8}
	var most int64
	for d := range h.Counts {
		for _, n := range h.Counts[d] {
			most = max(most, n)
		}
	}
	for d := range h.Counts {
		c.Labels = append(c.Labels, label{X: left - 6, Y: top + float64(d)*cell + cell/2 + 4, Text: h.Weekdays[d], Anchor: "end"})
		for hr, n := range h.Counts[d] {
			c.Marks = append(c.Marks, mark{X: left + float64(hr)*cell, Y: top + float64(d)*cell, W: cell - 2, H: cell - 2,
				Fill: shade(n, most), Title: fmt.Sprintf("%s %02d:00–%02d:59: %d chats", h.Weekdays[d], hr, hr, n)})
		}
	}
	for hr := 0; hr < 24; hr += 3 {
		c.Labels = append(c.Labels, label{X: left + float64(hr)*cell + cell/2, Y: top - 6, Text: strconv.Itoa(hr), Anchor: "middle"})
	}
	return c
}

// shade is a colour from light to dark blue for n of most.
func shade(n, most int64) string {
	f := 0.0
	if most > 0 {
		f = float64(n) / float64(most)
	}
	mix := func(a, b int) int { return a + int(math.Round(f*float64(b-a))) }
	return fmt.Sprintf("#%02x%02x%02x", mix(0xf1, 0x17), mix(0xf5, 0x4a), mix(0xfb, 0x8c))
}

func responseChart(h *Histogram) chart {
	slots := make([]string, len(h.Edges))
	hook, msgs := make([]float64, len(h.Edges)), make([]float64, len(h.Edges))
	for i, e := range h.Edges {
		if i+1 < len(h.Edges) {
			slots[i] = num(e) + "–" + num(h.Edges[i+1])
		} else {
			slots[i] = num(e) + "+"
		}
		hook[i], msgs[i] = float64(h.Hook[i]), float64(h.Messages[i])
	}
	names := []string{"from the hooks", "from message times"}
	c := barChart("response", "First response time (seconds)", slots, [][]float64{hook, msgs}, []string{colorMain, colorSecond},
		func(i, s int) string {
			n := h.Hook[i]
			if s == 1 {
				n = h.Messages[i]
			}
			return fmt.Sprintf("%s s, %s: %d chats", slots[i], names[s], n)
		})
	c.Legend = []legendItem{{colorMain, names[0]}, {colorSecond, names[1]}}
	return c
}

func ratingsChart(r *Ratings, chats int64) chart {
	slots := []string{"1", "2", "3", "4", "5"}
	vals := make([]float64, 5)
	for i, n := range r.Distribution {
		vals[i] = float64(n)
	}
	c := barChart("ratings", "Ratings", slots, [][]float64{vals}, []string{colorMain},
		func(i, _ int) string { return fmt.Sprintf("rated %d: %d chats", i+1, r.Distribution[i]) })
	of := "chats"
	if r.Of != chats {
		// Conversations known only from REST webhooks count too.
		of = fmt.Sprintf("%d chats and webhook conversations", r.Of)
	}
	c.Note = fmt.Sprintf("%d rated (%s of %s), mean %s, %d with a comment.", r.Rated, percent(r.Share), of, num(r.Mean), r.WithComment)
	return c
}

// maxDomainLines is how many domains the series chart draws (the busiest).
const maxDomainLines = 8

var lineColors = []string{colorMain, colorSecond, "#3a9a5b", "#b8433f", "#7b5cb8", "#7a6a4f", "#d070a8", "#5f6b7a"}

// domainsChart draws the visits of the busiest domains, report after report.
func domainsChart(ds []Domain) chart {
	ds = ds[:min(len(ds), maxDomainLines)]
	c := chart{ID: "domains", Title: "Visits per stats report, by domain", W: plotLeft + plotWidth + 8, H: plotTop + plotHeight + 24}
	var top int64 = 1
	points := 1
	for _, d := range ds {
		points = max(points, len(d.Series))
		for _, v := range d.Series {
			top = max(top, v)
		}
	}
	step := plotWidth / float64(max(points-1, 1))
	for k, d := range ds {
		var pts []byte
		for i, v := range d.Series {
			x := plotLeft + float64(i)*step
			y := plotTop + plotHeight - float64(v)/float64(top)*plotHeight
			pts = fmt.Appendf(pts, "%.1f,%.1f ", x, y)
		}
		color := lineColors[k%len(lineColors)]
		c.Lines = append(c.Lines, line{Points: string(pts), Color: color, Title: fmt.Sprintf("%s: %d visits in %d reports", d.Domain, d.Visits, d.Reports)})
		c.Legend = append(c.Legend, legendItem{color, d.Domain})
	}
	for _, f := range []float64{0, 0.5, 1} {
		c.Labels = append(c.Labels, label{X: plotLeft - 6, Y: plotTop + plotHeight - f*plotHeight + 4, Text: num(round(float64(top)*f, 1)), Anchor: "end"})
	}
	if ds[0].SeriesStep > 1 {
		c.Note = fmt.Sprintf("Each point sums %d reports.", ds[0].SeriesStep)
	}
	return c
}

func percent(f float64) string { return num(round(f*100, 1)) + "%" }

var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"percent": percent,
	"f":       func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) },
}).Parse(reportHTML))
