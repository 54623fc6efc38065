package stats

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// Write writes the report as opts asks: opts.Format to opts.Out, and the HTML report
// to opts.HTML.
func Write(r *Report, opts Options) error {
	if opts.Out != nil {
		var err error
		switch opts.Format {
		case "json":
			err = writeJSON(opts.Out, r)
		case "csv":
			err = writeCSV(opts.Out, Tables(r), opts.Table)
		default:
			err = writeText(opts.Out, Tables(r), opts.Table, opts.Fancy)
		}
		if err != nil {
			return err
		}
	}
	if opts.HTML != nil {
		return WriteHTML(opts.HTML, r)
	}
	return nil
}

func writeJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// writeCSV writes one table, or every table each after a "# name" line and a blank
// line between tables.
func writeCSV(w io.Writer, tables []Table, only string) error {
	bw := bufio.NewWriter(w)
	cw := csv.NewWriter(bw)
	first := true
	for _, t := range tables {
		if only != "" && t.Name != only {
			continue
		}
		if only == "" {
			if !first {
				bw.WriteString("\n")
			}
			fmt.Fprintf(bw, "# %s\n", t.Name)
		}
		first = false
		cw.Write(t.Header)
		cw.WriteAll(t.Rows)
		if err := cw.Error(); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// writeText writes the tables that have rows, each under its title; fancy adds bars
// and sparklines.
func writeText(w io.Writer, tables []Table, only string, fancy bool) error {
	bw := bufio.NewWriter(w)
	first := true
	for _, t := range tables {
		if (only != "" && t.Name != only) || (only == "" && len(t.Rows) == 0) {
			continue
		}
		if !first {
			bw.WriteString("\n")
		}
		first = false
		fmt.Fprintf(bw, "%s\n", t.Title)
		if t.Name == "volume" && only == "" && len(t.Rows) > 62 {
			t = byMonth(t)
		}
		header, rows := t.Header, t.Rows
		if fancy {
			header, rows = decorate(t)
		}
		// Headers as the CSV and JSON name them, not upper-cased.
		tab := tablewriter.NewTable(bw, tablewriter.WithHeaderAutoFormat(tw.Off))
		tab.Header(header)
		if err := tab.Bulk(rows); err != nil {
			return err
		}
		if err := tab.Render(); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// decorate adds a bar or a sparkline column to a table's rows.
func decorate(t Table) ([]string, [][]string) {
	switch {
	case len(t.Bars) == len(t.Rows) && len(t.Rows) > 0:
		top := 0.0
		for _, b := range t.Bars {
			top = max(top, b)
		}
		rows := make([][]string, len(t.Rows))
		for i, r := range t.Rows {
			rows[i] = append(append([]string(nil), r...), Bar(t.Bars[i], top, 20))
		}
		return append(append([]string(nil), t.Header...), ""), rows
	case len(t.Sparks) == len(t.Rows) && len(t.Rows) > 0:
		rows := make([][]string, len(t.Rows))
		for i, r := range t.Rows {
			rows[i] = append(append([]string(nil), r...), Sparkline(t.Sparks[i], 48))
		}
		return append(append([]string(nil), t.Header...), "trend"), rows
	}
	return t.Header, t.Rows
}

var eighths = []string{"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"}

// Bar draws v of top as a bar of up to width cells, to an eighth of a cell.
func Bar(v, top float64, width int) string {
	if top <= 0 || v <= 0 {
		return ""
	}
	units := int(v / top * float64(width*8))
	units = max(units, 1)
	return strings.Repeat("█", units/8) + eighths[units%8]
}

var ticks = []rune("▁▂▃▄▅▆▇█")

// Sparkline draws a series in at most width characters (neighbours summed when the
// series is longer).
func Sparkline(series []int64, width int) string {
	if len(series) == 0 {
		return ""
	}
	pts := series
	if len(series) > width {
		step := (len(series) + width - 1) / width
		pts = make([]int64, 0, width)
		for i := 0; i < len(series); i += step {
			var s int64
			for _, v := range series[i:min(i+step, len(series))] {
				s += v
			}
			pts = append(pts, s)
		}
	}
	lo, hi := pts[0], pts[0]
	for _, v := range pts {
		lo, hi = min(lo, v), max(hi, v)
	}
	out := make([]rune, len(pts))
	for i, v := range pts {
		k := 0
		if hi > lo {
			k = int((v - lo) * int64(len(ticks)-1) / (hi - lo))
		}
		out[i] = ticks[k]
	}
	return string(out)
}

// byMonth folds the per-day volume table into months, for a terminal.
func byMonth(t Table) Table {
	m := Table{Name: t.Name, Title: "Chats by month", Header: []string{"month", "chats"}}
	for i, r := range t.Rows {
		month := r[0][:7]
		if n := len(m.Rows); n > 0 && m.Rows[n-1][0] == month {
			m.Bars[n-1] += t.Bars[i]
			m.Rows[n-1][1] = strconv.FormatFloat(m.Bars[n-1], 'f', -1, 64)
			continue
		}
		m.Rows = append(m.Rows, []string{month, r[1]})
		m.Bars = append(m.Bars, t.Bars[i])
	}
	return m
}
