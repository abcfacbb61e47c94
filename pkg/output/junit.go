package output

import (
	"encoding/xml"
	"fmt"
	"io"

	"github.com/aims-dev/aims/pkg/diag"
)

// JUnit XML as GitLab and Jenkins read it. Each finding is a test case: an
// error fails it; a warning or note passes with the message in system-out,
// so it is visible without failing the pipeline. A clean run is one passing
// case, never an empty suite (which CI tools treat as "no tests ran").

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
	fails int
}

func newJUnit(w io.Writer, opts Options) Writer { return &junitWriter{w: w, opts: opts} }

func (j *junitWriter) Write(d diag.Diagnostic) error {
	d = j.opts.diag(d)
	class := d.Pos.File
	if class == "" {
		class = "aims"
	}
	c := junitCase{Name: fmt.Sprintf("%s %s", d.Code, d.Pos), Classname: class}
	if d.Severity == diag.Error {
		c.Failure = &junitFailure{Type: d.Code, Message: d.Msg, Text: d.String()}
		j.fails++
	} else {
		c.SystemOut = d.String()
	}
	j.cases = append(j.cases, c)
	return nil
}

func (j *junitWriter) Flush(s Summary) error {
	cases := j.cases
	if len(cases) == 0 {
		cases = []junitCase{{Name: fmt.Sprintf("%s checked", plural(s.Documents, "document")), Classname: "aims"}}
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
