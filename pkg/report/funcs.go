package report

import (
	"strings"
	texttemplate "text/template"
)

// Template functions are formatting only: escaping for Markdown, icons and
// words for statuses. Anything that decides belongs in the view.

var icons = map[string]string{
	"met": "✓", "partial": "◐", "missing": "✗", "excluded": "–",
	"yes": "✓", "no": "✗",
	"current": "✓", "expiring": "◷", "grace": "⚠", "stale": "✗", "undated": "?", "future": "✗",
	"error": "✗", "warning": "⚠", "info": "ℹ",
}

// icon is the symbol shown next to a status word (never instead of it).
func icon(s string) string { return icons[s] }

// title capitalises the first letter: met -> Met.
func title(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// orDash is s, or an em dash for an empty cell.
func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

var common = map[string]any{
	"icon":  icon,
	"title": title,
	"dash":  orDash,
	"join":  strings.Join,
	"list":  func(v ...any) []any { return v },
}

var mdFuncs = texttemplate.FuncMap{
	// md escapes a YAML string as inline Markdown (also safe in a table cell).
	"md": func(s string) string { return mdText(orDash(s)) },
	// mdlink writes a link; mdlinks a comma-separated list of them.
	"mdlink": mdLink,
	"mdlinks": func(ls []link) string {
		if len(ls) == 0 {
			return "—"
		}
		out := make([]string, len(ls))
		for i, l := range ls {
			out[i] = mdLink(l)
		}
		return strings.Join(out, ", ")
	},
	// mdlist escapes and joins strings.
	"mdlist": func(ss []string) string {
		if len(ss) == 0 {
			return "—"
		}
		out := make([]string, len(ss))
		for i, s := range ss {
			out[i] = mdText(s)
		}
		return strings.Join(out, ", ")
	},
}

var htmlFuncs = map[string]any{}

func init() {
	for k, v := range common {
		mdFuncs[k] = v
		htmlFuncs[k] = v
	}
}
