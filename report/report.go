// Package report writes what export and import did: a short console
// summary, an HTML page for people and JSON for machines (the same content),
// like the cmdlets' -Report. Reports never contain secrets: databases are
// named by their redacted descriptions.
package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"path/filepath"
	"strings"
	"time"

	"github.com/pcmig/pcmig/atomicfile"
)

// Doc is a report page: a summary and tables.
type Doc struct {
	Title     string
	Generated time.Time
	Summary   [][2]string
	Sections  []Section
}

// Section is one table of a report.
type Section struct {
	Title   string
	Note    string
	Columns []string
	Rows    [][]string
	Empty   string // shown when there are no rows
}

var page = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>
body{font-family:Segoe UI,Helvetica,Arial,sans-serif;margin:2em;color:#222}
h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f0f0f0}.summary th{width:14em}.note{color:#555}.empty{color:#777;font-style:italic}
</style></head><body>
<h1>{{.Title}}</h1>
<p class="note">Generated {{.Generated.Format "2006-01-02 15:04:05 MST"}} by pcmig.</p>
<table class="summary">{{range .Summary}}<tr><th>{{index . 0}}</th><td>{{index . 1}}</td></tr>{{end}}</table>
{{range .Sections}}<h2>{{.Title}}</h2>{{if .Note}}<p class="note">{{.Note}}</p>{{end}}
{{if .Rows}}<table><tr>{{range .Columns}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>{{else}}<p class="empty">{{if .Empty}}{{.Empty}}{{else}}None.{{end}}</p>{{end}}
{{end}}</body></html>
`))

// Write writes the report: JSON of data when path ends in .json, otherwise
// the HTML page of doc. The file is replaced atomically.
func Write(path string, doc Doc, data any) error {
	var buf bytes.Buffer
	if strings.EqualFold(filepath.Ext(path), ".json") {
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		if err := enc.Encode(data); err != nil {
			return fmt.Errorf("report %s: %w", path, err)
		}
	} else if err := page.Execute(&buf, doc); err != nil {
		return fmt.Errorf("report %s: %w", path, err)
	}
	return atomicfile.Write(path, buf.Bytes())
}

func itoa[T ~int | ~int64](n T) string { return fmt.Sprint(n) }
