package stats

// reportHTML is the page of WriteHTML: everything inline, no script, no external
// resource, so it opens offline and prints as it shows.
const reportHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>smarthook stats</title>
<link rel="icon" href="data:,">
<style>
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2330; margin: 2rem auto; max-width: 1000px; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 .4rem; }
.meta { color: #5a6273; }
.cards { display: flex; flex-wrap: wrap; gap: .6rem; margin: 1rem 0; }
.card { border: 1px solid #d8dde6; border-radius: 6px; padding: .5rem .8rem; min-width: 7.5rem; }
.card b { display: block; font-size: 1.35rem; }
.card span { color: #5a6273; font-size: .85rem; }
svg { max-width: 100%; height: auto; }
svg text { font-size: 11px; fill: #3b4252; }
.legend span { display: inline-block; margin-right: 1rem; }
.legend i { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; vertical-align: -1px; }
table { border-collapse: collapse; margin: .3rem 0 1rem; font-size: .9rem; }
th, td { border-bottom: 1px solid #e3e6ec; padding: .2rem .6rem; text-align: left; }
td { font-variant-numeric: tabular-nums; }
th { background: #f3f5f9; }
section { break-inside: avoid; }
.scroll { overflow-x: auto; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; }
  .card { border-color: #999; }
  .scroll { overflow: visible; }
}
</style>
</head>
<body>
<h1>Chat statistics</h1>
<p class="meta">{{with .R.Range}}{{if .First}}Chats from {{.First}} to {{.Last}}{{else}}No chats{{end}}{{if .Since}}, since {{.Since}}{{end}}{{if .Until}}, until {{.Until}}{{end}}; times in {{.TZ}}.{{end}}
{{with .R.Documents}}{{.Hooks}} POST hooks, {{.Webhooks}} REST webhooks, {{.StatsReports}} stats reports{{if .OutsideRange}}, {{.OutsideRange}} outside the range{{end}}{{if .Skipped}}, {{.Skipped}} skipped as broken{{end}}; {{.Duplicates}} duplicate deliveries {{if .DuplicatesCounted}}counted{{else}}left out{{end}}.{{end}}
Made by smarthook stats at {{.Made}}.</p>
{{with .R.Chats}}
<div class="cards">
<div class="card"><b>{{.Chats}}</b><span>chats</span></div>
<div class="card"><b>{{percent .Rates.Missed}}</b><span>missed ({{.Missed}})</span></div>
<div class="card"><b>{{percent .Rates.Offline}}</b><span>offline ({{.Offline}})</span></div>
<div class="card"><b>{{percent .Rates.Completed}}</b><span>completed ({{.Completed}})</span></div>
<div class="card"><b>{{f .FirstResponseTime.Hook.P50}} s</b><span>first response p50 (p90 {{f .FirstResponseTime.Hook.P90}} s)</span></div>
<div class="card"><b>{{f .ResponseTime.Hook.P50}} s</b><span>response p50</span></div>
<div class="card"><b>{{f .Ratings.Mean}}</b><span>mean rating ({{.Ratings.Rated}} rated)</span></div>
</div>
{{end}}
{{range .Charts}}
<section>
<h2>{{.Title}}</h2>
<svg id="chart-{{.ID}}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{.W}} {{.H}}" width="{{.W}}" height="{{.H}}" role="img" aria-label="{{.Title}}">
{{range .Marks}}<rect class="mark" x="{{f .X}}" y="{{f .Y}}" width="{{f .W}}" height="{{f .H}}" fill="{{.Fill}}"><title>{{.Title}}</title></rect>
{{end}}{{range .Lines}}<polyline class="mark" points="{{.Points}}" fill="none" stroke="{{.Color}}" stroke-width="2"><title>{{.Title}}</title></polyline>
{{end}}{{range .Labels}}<text x="{{f .X}}" y="{{f .Y}}" text-anchor="{{.Anchor}}">{{.Text}}</text>
{{end}}</svg>
{{if .Legend}}<p class="legend">{{range .Legend}}<span><i style="background: {{.Color}}"></i>{{.Text}}</span>{{end}}</p>{{end}}
{{if .Note}}<p class="meta">{{.Note}}</p>{{end}}
</section>
{{end}}
{{range .Tables}}
<section>
<h2>{{.Title}}</h2>
<div class="scroll"><table id="table-{{.Name}}">
<thead><tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</tbody>
</table></div>
</section>
{{end}}
</body>
</html>
`
