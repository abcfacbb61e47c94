package diag

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDiagnosticString(t *testing.T) {
	tests := []struct {
		name string
		d    Diagnostic
		want string
	}{
		{"full position", Diagnostic{Pos: Pos{"policy.yaml", 12, 3}, Severity: Error, Code: "AIMS-S002", Msg: `unknown field "ownr"`},
			`policy.yaml:12:3: error: unknown field "ownr" [AIMS-S002]`},
		{"file only", Diagnostic{Pos: Pos{File: "a.yaml"}, Severity: Warning, Code: "X", Msg: "m"}, "a.yaml: warning: m [X]"},
		{"related places", Diagnostic{Pos: Pos{"a.yaml", 8, 5}, Severity: Error, Code: "R", Msg: `duplicate id "x"`, Related: []Pos{{"b.yaml", 3, 5}}},
			`a.yaml:8:5: error: duplicate id "x" (also at b.yaml:3:5) [R]`},
		{"no position", Diagnostic{Severity: Info, Msg: "m"}, "info: m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSortOrdersByPositionAndDropsDuplicates(t *testing.T) {
	var l List
	l.Add(Pos{"b.yaml", 1, 1}, Error, "C", "x")
	l.Add(Pos{"a.yaml", 10, 2}, Error, "C", "x")
	l.Add(Pos{"a.yaml", 2, 5}, Warning, "C", "x")
	l.Add(Pos{"a.yaml", 10, 2}, Error, "C", "x")
	l.Add(Pos{}, Error, "G", "global")
	l.Sort()
	var got []string
	for _, d := range l {
		got = append(got, d.String())
	}
	want := []string{
		"error: global [G]",
		"a.yaml:2:5: warning: x [C]",
		"a.yaml:10:2: error: x [C]",
		"b.yaml:1:1: error: x [C]",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sorted (-want +got):\n%s", diff)
	}
	if l.Max() != Error || l.Count(Warning) != 1 {
		t.Errorf("Max=%v Count(Warning)=%d", l.Max(), l.Count(Warning))
	}
}

func TestSuggest(t *testing.T) {
	fields := []string{"owner", "approved_by", "approved_on", "next_review", "title"}
	tests := []struct{ in, want string }{
		{"ownr", "owner"},
		{"onwer", "owner"},
		{"approvd_by", "approved_by"},
		{"next_reveiw", "next_review"},
		{"colour", ""},
		{"x", ""},
	}
	for _, tt := range tests {
		if got := Suggest(tt.in, fields); got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseSeverity(t *testing.T) {
	if s, err := ParseSeverity("warning"); err != nil || s != Warning {
		t.Fatalf("got %v, %v", s, err)
	}
	if _, err := ParseSeverity("fatal"); err == nil {
		t.Fatal("want error for unknown severity")
	}
}
