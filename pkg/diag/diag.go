package diag

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Pos is a place in a file. Line and Col are 1-based; zero means unknown
// (a finding about the AIMS as a whole has no position at all).
type Pos struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	Col  int    `json:"column,omitempty"`
}

// String is file:line:col for text output; a hostile file name is shown
// escaped (see Printable).
func (p Pos) String() string {
	switch {
	case p.File == "":
		return ""
	case p.Line == 0:
		return Printable(p.File)
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", Printable(p.File), p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", Printable(p.File), p.Line, p.Col)
}

// IsValid reports whether p names a file.
func (p Pos) IsValid() bool { return p.File != "" }

// Severity orders findings; a higher value is worse.
type Severity int

const (
	Off Severity = iota // a rule switched off in aims.yaml
	Info
	Warning
	Error
)

var severityNames = [...]string{"off", "info", "warning", "error"}

func (s Severity) String() string {
	if s < 0 || int(s) >= len(severityNames) {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity accepts the names String returns.
func ParseSeverity(s string) (Severity, error) {
	for i, n := range severityNames {
		if n == s {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want one of %s)", s, strings.Join(severityNames[:], ", "))
}

func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	*s = v
	return err
}

// Diagnostic is one problem. Code is a stable rule id such as AIMS-S002;
// Refs are the ISO/IEC 42001 clause and control ids the problem affects.
type Diagnostic struct {
	Pos      Pos
	Severity Severity
	Code     string
	Msg      string
	Refs     []string
	// Related are other places the message is about (the first definition
	// of a duplicate id), rendered as "(also at ...)".
	Related []Pos
}

// String formats d the way compilers do, so editors and CI can jump to it:
//
//	policy.yaml:12:3: error: unknown field "ownr" (did you mean "owner"?) [AIMS-S002]
func (d Diagnostic) String() string {
	var b strings.Builder
	if p := d.Pos.String(); p != "" {
		b.WriteString(p)
		b.WriteString(": ")
	}
	b.WriteString(d.Severity.String())
	b.WriteString(": ")
	b.WriteString(Printable(d.Msg))
	if len(d.Related) > 0 {
		b.WriteString(" (also at ")
		for i, r := range d.Related {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(r.String())
		}
		b.WriteString(")")
	}
	if d.Code != "" {
		b.WriteString(" [")
		b.WriteString(d.Code)
		b.WriteString("]")
	}
	return b.String()
}

// List collects diagnostics. The zero value is ready to use.
type List []Diagnostic

// Add appends a diagnostic.
func (l *List) Add(pos Pos, sev Severity, code, format string, args ...any) {
	*l = append(*l, Diagnostic{Pos: pos, Severity: sev, Code: code, Msg: fmt.Sprintf(format, args...)})
}

// Compare orders diagnostics by file, line, column, then code and message, so
// output is the same whatever order stages found them in. Findings without a
// file (about the AIMS as a whole) come first.
func Compare(a, b Diagnostic) int {
	return cmp.Or(
		cmp.Compare(a.Pos.File, b.Pos.File),
		cmp.Compare(a.Pos.Line, b.Pos.Line),
		cmp.Compare(a.Pos.Col, b.Pos.Col),
		cmp.Compare(a.Code, b.Code),
		cmp.Compare(a.Msg, b.Msg),
		cmp.Compare(b.Severity, a.Severity),
	)
}

// Sort sorts the list in place and drops exact duplicates (two stages may
// notice the same thing).
func (l *List) Sort() {
	slices.SortFunc(*l, Compare)
	*l = slices.CompactFunc(*l, func(a, b Diagnostic) bool {
		return Compare(a, b) == 0 && slices.Equal(a.Refs, b.Refs)
	})
}

// Count returns how many diagnostics have exactly severity s.
func (l List) Count(s Severity) int {
	n := 0
	for _, d := range l {
		if d.Severity == s {
			n++
		}
	}
	return n
}

// Max returns the worst severity in the list, Off when empty.
func (l List) Max() Severity {
	m := Off
	for _, d := range l {
		m = max(m, d.Severity)
	}
	return m
}
