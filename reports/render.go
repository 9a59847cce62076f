package reports

import (
	"bytes"
	"embed"
	htmltemplate "html/template"
	"regexp"
	"strings"
	texttemplate "text/template"
)

//go:embed templates
var templates embed.FS

// LatencyHeader is the header row of the latency table.
func (v view) LatencyHeader() []string { return latencyHeader }

func templateFuncs() map[string]any {
	return map[string]any{
		"chart": func(v view, name string) *Chart {
			for i := range v.Charts {
				if v.Charts[i].Name == name {
					return &v.Charts[i]
				}
			}
			return nil
		},
		"classCharts": func(v view) []Chart {
			var out []Chart
			for _, c := range v.Charts {
				if strings.HasPrefix(c.Name, "latency-") && c.Name != "latency-"+AllTag {
					out = append(out, c)
				}
			}
			return out
		},
		"names": func(s ...string) []string { return s },
		"list":  func(s ...string) []string { return s },
		"prepend": func(h []string, rows [][]string) [][]string {
			return append([][]string{h}, rows...)
		},
	}
}

// renderMarkdown renders report.md from the view.
func renderMarkdown(name string, v any, funcs map[string]any) ([]byte, error) {
	t, err := texttemplate.New(name).Funcs(funcs).ParseFS(templates, "templates/"+name)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, v); err != nil {
		return nil, err
	}
	return collapseBlankLines(b.Bytes()), nil
}

// renderHTML renders report.html from the view, the charts' SVG inline.
func renderHTML(name string, v any, funcs map[string]any) ([]byte, error) {
	funcs["svg"] = func(c Chart) htmltemplate.HTML { return htmltemplate.HTML(inlineSVG(c)) } // our own drawing, not input
	t, err := htmltemplate.New(name).Funcs(funcs).ParseFS(templates, "templates/"+name)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

var xmlProlog = regexp.MustCompile(`(?s)^\s*<\?xml.*?\?>\s*(<!DOCTYPE.*?>\s*)?`)

// inlineSVG is a chart's SVG ready to sit in an HTML page: without the XML prolog, with a
// viewBox so it scales, and labelled for screen readers.
func inlineSVG(c Chart) string {
	s := xmlProlog.ReplaceAllString(string(c.SVG), "")
	return strings.Replace(s, "<svg ", `<svg role="img" aria-label="`+htmltemplate.HTMLEscapeString(c.Title)+`" `, 1)
}

var blankLines = regexp.MustCompile(`\n{3,}`)

func collapseBlankLines(b []byte) []byte { return blankLines.ReplaceAll(b, []byte("\n\n")) }
