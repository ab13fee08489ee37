package report

// pageHTML is the one page layout of every report. The first screen holds
// the status, the totals, the warnings and errors, the reconciliation and
// the chart; the detail follows. Colours are kept for print.
const pageHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="pcmig">
<title>{{.Title}}</title>
<style>
:root{--ink:#1f2933;--muted:#5b6876;--line:#d8dee6;--bg:#f4f6f9;--navy:#123a6b;--ok:#1d7a3a;--okbg:#e8f4ec;--warn:#8a5a00;--warnbg:#fdf3dc;--fail:#b3261e;--failbg:#fbe9e7;--info:#245b9e;--infobg:#e8f0fa;--src:#3566a8;--tgt:#1f9e8f}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;font:14px/1.45 "Segoe UI",-apple-system,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
header.top{display:flex;align-items:baseline;gap:14px;padding:10px 28px;background:var(--navy);color:#fff}
header.top .brand{font-weight:700;font-size:17px;letter-spacing:.5px}
header.top .product{opacity:.85}
header.top .gen{margin-left:auto;opacity:.75;font-size:12px}
main{max-width:1180px;margin:0 auto;padding:18px 28px 32px}
h1{font-size:22px;font-weight:600;margin:4px 0 2px}
p.sub{margin:0 0 14px;color:var(--muted)}
h2{font-size:15px;font-weight:600;margin:0 0 10px}
h3{font-size:13px;font-weight:600;margin:14px 0 6px;color:var(--muted);text-transform:uppercase;letter-spacing:.4px}
.status{display:flex;gap:16px;align-items:center;padding:14px 18px;border:1px solid var(--line);border-left:6px solid var(--info);background:#fff;border-radius:4px;margin-bottom:14px}
.status .badge{font-weight:700;font-size:13px;letter-spacing:.6px;padding:6px 12px;border-radius:3px;background:var(--infobg);color:var(--info);white-space:nowrap}
.status .headline{margin:0;font-size:17px;font-weight:600}
.status .detail{margin:2px 0 0;color:var(--muted)}
.status.ok{border-left-color:var(--ok)}.status.ok .badge{background:var(--okbg);color:var(--ok)}
.status.warn{border-left-color:var(--warn)}.status.warn .badge{background:var(--warnbg);color:var(--warn)}
.status.fail{border-left-color:var(--fail)}.status.fail .badge{background:var(--failbg);color:var(--fail)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;margin-bottom:14px}
.card{background:#fff;border:1px solid var(--line);border-radius:4px;padding:10px 14px}
.card .label{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.4px}
.card .fig{font-size:22px;font-weight:600;margin-top:2px;font-variant-numeric:tabular-nums;white-space:nowrap}
.card .fig .arrow{color:var(--muted);font-weight:400;margin:0 6px;font-size:16px}
.card .fig .bad,.failc{color:var(--fail)}.warnc{color:var(--warn)}
.card .sides{font-size:12px;color:var(--muted)}
.two{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:14px;margin-bottom:14px}
.two>section:only-child{grid-column:1/-1}
.panel{background:#fff;border:1px solid var(--line);border-radius:4px;padding:14px 18px}
.pill{font-size:12px;font-weight:700;letter-spacing:.5px;padding:2px 8px;border-radius:10px;margin-left:6px;vertical-align:1px}
.pill.ok{background:var(--okbg);color:var(--ok)}.pill.fail{background:var(--failbg);color:var(--fail)}
ol.diffs{margin:8px 0 0;padding-left:22px}ol.diffs li{margin:3px 0;color:var(--fail)}ol.diffs li span{color:var(--ink)}
ul.checks{list-style:none;margin:8px 0 0;padding:0}ul.checks li{padding:3px 0;border-bottom:1px solid var(--line)}ul.checks li:last-child{border-bottom:0}
ul.checks .tick{display:inline-block;width:20px;font-weight:700}ul.checks li.ok .tick{color:var(--ok)}ul.checks li.fail .tick{color:var(--fail)}
ul.notes{margin:4px 0 0;padding-left:18px;color:var(--muted);font-size:13px}
p.more{color:var(--muted);font-size:13px;margin:6px 0 0}
svg{max-width:100%;height:auto}
svg text{font:12px "Segoe UI",-apple-system,Arial,sans-serif;fill:var(--ink)}
svg .ph{font-weight:600;fill:var(--muted)}
svg .v{fill:var(--muted);font-size:11px}
svg .s{fill:var(--src)}svg .t{fill:var(--tgt)}svg .differ{fill:var(--fail);font-weight:600}
svg line{stroke:var(--line)}
section.detail{background:#fff;border:1px solid var(--line);border-radius:4px;padding:14px 18px;margin-bottom:14px}
section.detail h2 .mark{display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:7px;background:var(--muted)}
section.detail h2 .mark.ok{background:var(--ok)}section.detail h2 .mark.warn{background:var(--warn)}section.detail h2 .mark.fail{background:var(--fail)}section.detail h2 .mark.info{background:var(--info)}
p.note{color:var(--muted);margin:-4px 0 8px}
p.empty{color:var(--muted);font-style:italic;margin:0}
ul.items{margin:0 0 8px;padding-left:18px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;vertical-align:top;padding:5px 8px;border-bottom:1px solid var(--line)}
th{background:var(--bg);font-weight:600;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.3px}
tr:nth-child(even) td{background:#fafbfc}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
table.kv th{width:200px;text-transform:none;font-size:13px;letter-spacing:0}
code,.mono{font-family:Consolas,"SFMono-Regular",Menlo,monospace;font-size:12px}
footer{max-width:1180px;margin:0 auto;padding:0 28px 24px;color:var(--muted);font-size:12px}
@media (max-width:820px){.two{grid-template-columns:1fr}}
@media print{body{background:#fff;font-size:11px}header.top{padding:6px 0;background:#fff;color:var(--ink);border-bottom:2px solid var(--navy)}main,footer{max-width:none;padding:8px 0}.status,.card,.panel,section.detail{break-inside:avoid}.two{grid-template-columns:1fr 1fr}section.detail{break-inside:auto}tr{break-inside:avoid}thead{display:table-header-group}}
</style>
</head>
<body>
<header class="top"><span class="brand">pcmig</span><span class="product">Persistent Chat migration</span><span class="gen">{{.Kind}} report · generated {{.Generated}}</span></header>
<main>
<h1>{{.Title}}</h1>
{{- if .Subtitle}}
<p class="sub">{{.Subtitle}}</p>
{{- end}}
<section class="status {{.Status.Level}}" id="status">
<div class="badge">{{.Status.Badge}}</div>
<div><p class="headline">{{.Status.Headline}}</p>{{if .Status.Detail}}<p class="detail">{{.Status.Detail}}</p>{{end}}</div>
</section>
<section class="cards" id="totals">
{{- range .Cards}}
<div class="card"><div class="label">{{.Label}}</div><div class="fig"><span class="src">{{.Source}}</span>{{if .HasTarget}}<span class="arrow">→</span><span class="tgt{{if not .Same}} bad{{end}}">{{.Target}}</span>{{end}}</div><div class="sides">{{$.SourceLabel}}{{if .HasTarget}} → {{$.TargetLabel}}{{end}}</div></div>
{{- end}}
<div class="card"><div class="label">Warnings</div><div class="fig{{if .Warnings}} warnc{{end}}">{{.Warnings}}</div><div class="sides">listed below</div></div>
<div class="card"><div class="label">Errors</div><div class="fig{{if .Errors}} failc{{end}}">{{.Errors}}</div><div class="sides">listed below</div></div>
</section>
{{- if or .Verdict .Chart}}
<div class="two">
{{- with .Verdict}}
<section class="panel" id="verdict">
<h2>Reconciliation<span class="pill {{if .Equal}}ok{{else}}fail{{end}}">{{.Verdict}}</span></h2>
<p>{{.Summary}}</p>
{{- if .Checks}}
<ul class="checks">{{range .Checks}}<li class="{{if .OK}}ok{{else}}fail{{end}}"><span class="tick">{{if .OK}}✓{{else}}✗{{end}}</span>{{.Label}}</li>{{end}}</ul>
{{- end}}
{{- if .Differences}}
<ol class="diffs">{{range $i, $d := .Differences}}{{if lt $i 12}}<li><span>{{$d}}</span></li>{{end}}{{end}}</ol>
{{- if gt (len .Differences) 12}}<p class="more">and {{add (len .Differences) -12}} more: see “All differences” below.</p>{{end}}
{{- end}}
{{- if .Notes}}
<h3>Notes</h3>
<ul class="notes">{{range $i, $n := .Notes}}{{if lt $i 6}}<li>{{$n}}</li>{{end}}{{end}}</ul>
{{- if gt (len .Notes) 6}}<p class="more">and {{add (len .Notes) -6}} more: see “All notes” below.</p>{{end}}
{{- end}}
</section>
{{- end}}
{{- with .Chart}}
<section class="panel" id="chart">
<h2>Messages and rooms per category</h2>
<svg xmlns="http://www.w3.org/2000/svg" width="{{.Width}}" height="{{.Height}}" viewBox="0 0 {{.Width}} {{.Height}}" role="img" aria-label="Messages and rooms per category, {{$.SourceLabel}} beside {{$.TargetLabel}}">
<rect x="0" y="6" width="11" height="11" class="s"/><text x="16" y="16">{{$.SourceLabel}}</text>
{{- if not .Single}}<rect x="96" y="6" width="11" height="11" class="t"/><text x="112" y="16">{{$.TargetLabel}}</text>{{end}}
{{- range .Panels}}
<text x="{{.X}}" y="36" class="ph">{{.Title}}</text>
{{- end}}
{{- $single := .Single}}
{{- range .Rows}}
<g><title>{{.Full}}</title>
<text x="{{.LabelX}}" y="{{.TextY}}" text-anchor="end"{{if .Differ}} class="differ"{{end}}>{{.Label}}</text>
<rect x="{{(index .Msg 0).X}}" y="{{(index .Msg 0).Y}}" width="{{(index .Msg 0).W}}" height="9" class="s"/><text x="{{add (index .Msg 0).X (add (index .Msg 0).W 4)}}" y="{{add (index .Msg 0).Y 9}}" class="v">{{index .MsgText 0}}</text>
<rect x="{{(index .Room 0).X}}" y="{{(index .Room 0).Y}}" width="{{(index .Room 0).W}}" height="9" class="s"/><text x="{{add (index .Room 0).X (add (index .Room 0).W 4)}}" y="{{add (index .Room 0).Y 9}}" class="v">{{index .RoomsText 0}}</text>
{{- if not $single}}
<rect x="{{(index .Msg 1).X}}" y="{{(index .Msg 1).Y}}" width="{{(index .Msg 1).W}}" height="9" class="t"/><text x="{{add (index .Msg 1).X (add (index .Msg 1).W 4)}}" y="{{add (index .Msg 1).Y 9}}" class="v">{{index .MsgText 1}}</text>
<rect x="{{(index .Room 1).X}}" y="{{(index .Room 1).Y}}" width="{{(index .Room 1).W}}" height="9" class="t"/><text x="{{add (index .Room 1).X (add (index .Room 1).W 4)}}" y="{{add (index .Room 1).Y 9}}" class="v">{{index .RoomsText 1}}</text>
{{- end}}
</g>
{{- end}}
</svg>
{{- if $.ChartNote}}<p class="more">{{$.ChartNote}}</p>{{end}}
</section>
{{- end}}
</div>
{{- end}}
{{- if .Facts}}
<section class="detail" id="facts">
<h2>Summary</h2>
<table class="kv">{{range .Facts}}<tr><th>{{.Label}}</th><td>{{.Value}}</td></tr>{{end}}</table>
</section>
{{- end}}
{{- range .Sections}}
<section class="detail">
<h2>{{if .Level}}<span class="mark {{.Level}}"></span>{{end}}{{.Title}}</h2>
{{- if .Note}}<p class="note">{{.Note}}</p>{{end}}
{{- if .Items}}<ul class="items">{{range .Items}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{- if .Rows}}
<table><thead><tr>{{range .Columns}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</tbody></table>
{{- else if not .Items}}<p class="empty">{{if .Empty}}{{.Empty}}{{else}}None.{{end}}</p>{{end}}
</section>
{{- end}}
</main>
<footer>pcmig · {{.Kind}} report · a self-contained file: keep it with the change record. The same content is available as JSON (--report FILE.json).</footer>
</body>
</html>
`
