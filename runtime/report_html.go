package runtime

import (
	"fmt"
	"html/template"
	"io"
	"time"
)

// WriteHTML writes the report as a self-contained HTML page: inline style,
// no scripts, no external assets; every value is escaped.
func (r *Report) WriteHTML(w io.Writer) error {
	if err := reportTemplate.Execute(w, r); err != nil {
		return fmt.Errorf("render report: %w", err)
	}
	return nil
}

var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"time": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2006-01-02 15:04:05 MST")
	},
	"ms": func(ms int64) string {
		return roundDuration(time.Duration(ms) * time.Millisecond).String()
	},
	"op": actionOp,
}).Parse(reportHTML))

const reportHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>pcmig report: {{.Script}}</title>
<style>
body { font-family: "Segoe UI", system-ui, sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.5em; }
table { border-collapse: collapse; margin: .5em 0; }
th, td { border: 1px solid #ccc; padding: .25em .6em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.done { color: #176117; } .skipped { color: #666; } .failed, .error { color: #a00; font-weight: bold; }
.warning { color: #8a5a00; }
code { font-family: Consolas, monospace; }
</style>
</head>
<body>
<h1>pcmig report: {{.Script}}</h1>
<table>
<tr><th>Script</th><td><code>{{.Script}}</code></td></tr>
{{- if .Estate}}<tr><th>Estate</th><td>{{.Estate}}</td></tr>{{end}}
<tr><th>Mode</th><td>{{if .DryRun}}dry run (nothing was changed){{else}}real run{{end}}{{if .Resumed}}, resumed{{end}}</td></tr>
<tr><th>Status</th><td class="{{.Status}}">{{.Status}}{{if .ChangesPending}} (changes pending){{end}}</td></tr>
<tr><th>Started</th><td>{{time .Start}}</td></tr>
<tr><th>Ended</th><td>{{time .End}}</td></tr>
<tr><th>Duration</th><td>{{ms .DurationMS}}</td></tr>
{{- if .Error}}<tr><th>Error</th><td class="error"><code>{{.Error}}</code></td></tr>{{end}}
</table>
{{- if .Steps}}
<h2>Steps</h2>
<table>
<tr><th>#</th><th>Step</th><th>Status</th><th>Duration</th><th>{{if .DryRun}}Planned{{else}}Applied{{end}}</th></tr>
{{- range .Steps}}
<tr><td>{{.Index}}</td><td>{{.Name}}</td><td class="{{.Status}}">{{.Status}}</td><td>{{ms .DurationMS}}</td><td>{{if $.DryRun}}{{.Planned}}{{else}}{{.Applied}}{{end}}</td></tr>
{{- end}}
</table>
{{- range .Steps}}{{if or .Actions .Warnings .Errors}}
<h2>Step {{.Index}}: {{.Name}}</h2>
{{- template "details" .}}
{{- end}}{{end}}
{{- end}}
{{- if or .Actions .Warnings .Errors}}
<h2>Outside any step</h2>
{{- template "details" .}}
{{- end}}
</body>
</html>
{{define "details"}}
{{- range .Errors}}
<p class="error">Error: {{.}}</p>
{{- end}}
{{- range .Warnings}}
<p class="warning">Warning: {{.}}</p>
{{- end}}
{{- if .Actions}}
<table>
<tr><th>Operation</th><th>Target</th><th>Count</th><th>Detail</th></tr>
{{- range .Actions}}
<tr><td><code>{{op .}}</code></td><td>{{.Target}}</td><td>{{if .Count}}{{.Count}}{{end}}</td><td>{{.Detail}}</td></tr>
{{- end}}
</table>
{{- end}}
{{- end}}
`
