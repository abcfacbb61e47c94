package output

import (
	"cmp"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/aims-dev/aims/pkg/diag"
)

// JUnit XML as GitLab and Jenkins read it. Each finding is a test case: an
// error fails it; a warning or note passes with the message in system-out,
// so it is visible without failing the pipeline. A clean run is one passing
// case with a fixed name, never an empty suite (which CI tools treat as "no
// tests ran").
//
// Case names are unique within a run (GitLab and xunit-viewer merge cases
// with one name, hiding failures) and stable across commits: rule, then the
// document and field the finding is about (or its file), never a line
// number. file and line attributes say where it is, from the repository root.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Type    string `xml:"type,attr"`
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

type junitWriter struct {
	w     io.Writer
	opts  Options
	cases []junitCase
	names map[string]int
	fails int
}

// cleanCase is the one case of a run without findings.
const cleanCase = "no findings"

func newJUnit(w io.Writer, opts Options) Writer {
	return &junitWriter{w: w, opts: opts, names: map[string]int{}}
}

func (j *junitWriter) Write(d diag.Diagnostic) error {
	file := j.opts.repoFile(d.Pos)
	class := cmp.Or(file, "aims")
	c := junitCase{Name: j.unique(j.caseName(d)), Classname: class, File: file, Line: d.Pos.Line}
	text := j.opts.diag(d).String()
	if d.Severity == diag.Error {
		c.Failure = &junitFailure{Type: d.Code, Message: d.Msg, Text: text}
		j.fails++
	} else {
		c.SystemOut = text
	}
	j.cases = append(j.cases, c)
	return nil
}

// caseName is the rule and what the finding is about: the document and
// field when known, else the message (AIMS-wide findings, syntax errors).
func (j *junitWriter) caseName(d diag.Diagnostic) string {
	if j.opts.Locate != nil && d.Pos.IsValid() {
		if doc, field := j.opts.Locate(d.Pos); doc != "" {
			return strings.TrimSpace(d.Code + " " + doc + field)
		}
	}
	return strings.TrimSpace(d.Code + " " + strings.Join(strings.Fields(d.Msg), " "))
}

// unique numbers the second and later cases of one name: "... (2)".
func (j *junitWriter) unique(name string) string {
	j.names[name]++
	if n := j.names[name]; n > 1 {
		return fmt.Sprintf("%s (%d)", name, n)
	}
	return name
}

func (j *junitWriter) Flush(s Summary) error {
	cases := j.cases
	if len(cases) == 0 {
		cases = []junitCase{{Name: cleanCase, Classname: "aims", SystemOut: fmt.Sprintf("%s checked: no problems", plural(s.Documents, "document"))}}
	}
	suite := junitSuite{Name: "aims check", Tests: len(cases), Failures: j.fails, Cases: cases}
	out := junitSuites{Name: "aims", Tests: len(cases), Failures: j.fails, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(j.w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(j.w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(j.w, "\n")
	return err
}
