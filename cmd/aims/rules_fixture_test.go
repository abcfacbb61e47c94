package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	git "github.com/go-git/go-git/v5"
	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/txtar"

	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/gap"
	"github.com/aims-dev/aims/pkg/workspace"
)

// Every rule id has a fixture in testdata/rules (see its README.md): an AIMS,
// usually a shipped example with one realistic edit, on which the rule fires
// at exactly the positions and severities the fixture lists. The clean
// example must not produce the rule at all, so a fixture proves both that
// the rule catches the problem and that it does not cry wolf.
//
// The fixtures run through the same wiring as `aims check` (workspace.Open,
// then analyze), and depend only on rule ids and each finding's position
// and severity. Ids are compared as strings (string(id)), so they may
// become a typed string without touching this file.

const rulesDir = "../../testdata/rules"

// cleanAsOf is the date the examples are documented as clean on (README).
const cleanAsOf = "2026-12-01"

var ruleFileName = regexp.MustCompile(`^(AIMS-[A-Z][0-9]{3})(-[a-z0-9-]+)?\.txtar$`)

type ruleFixture struct {
	name    string // file name
	rule    string
	base    string // "northwind", "first-steps" or "none"
	asOf    string
	gitDate string // commit the AIMS to a new git repository on this date
	deletes []string
	edits   []edit
	after   []edit // replaced in the git working tree after the commit
	files   []txtar.File
	want    []string // "FILE:LINE:COL SEVERITY", or "- SEVERITY"
	defect  string   // why the rule cannot fire yet (reported as a defect)
}

type edit struct{ file, old, new string }

func TestRuleFixtures(t *testing.T) {
	clean := cleanFindings(t)
	for _, f := range readRuleFixtures(t) {
		t.Run(strings.TrimSuffix(f.name, ".txtar"), func(t *testing.T) {
			t.Parallel()
			if n := clean[f.rule]; len(n) > 0 {
				t.Errorf("%s fires on the clean northwind example as of %s:\n%s", f.rule, cleanAsOf, strings.Join(n, "\n"))
			}
			all := runFixture(t, f)
			var got, msgs []string
			for _, d := range all {
				if string(d.Code) == f.rule {
					got = append(got, findingKey(d))
					msgs = append(msgs, d.String())
				}
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(f.want))
			if f.defect != "" {
				// Not asserted while the defect lasts; once the rule fires
				// as the fixture says, the defect line must go.
				if slices.Equal(want, got) {
					t.Errorf("%s now fires as the fixture wants: remove its defect line (%s)", f.rule, f.defect)
				}
				t.Logf("known defect, not asserted: %s\nwant %q\ngot:\n%s", f.defect, want, strings.Join(msgs, "\n"))
				return
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s findings (-want +got):\n%s\nall findings of the fixture:\n%s", f.rule, diff, listFindings(all))
			}
		})
	}
}

// TestRuleFixtureCoverage: a new rule without a fixture, or a fixture for a
// rule that does not exist, fails the build.
func TestRuleFixtureCoverage(t *testing.T) {
	have := map[string]bool{}
	for _, f := range readRuleFixtures(t) {
		have[f.rule] = true
	}
	registered := map[string]bool{}
	for _, r := range gap.Rules() {
		id := string(r.ID)
		registered[id] = true
		if !have[id] {
			t.Errorf("rule %s has no fixture: add %s/%s.txtar", id, strings.TrimPrefix(rulesDir, "../../"), id)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(have)) {
		if !registered[id] {
			t.Errorf("fixture for %s, which gap.Rules() does not register", id)
		}
	}
}

func findingKey(d diag.Diagnostic) string {
	if !d.Pos.IsValid() {
		return "- " + d.Severity.String()
	}
	return fmt.Sprintf("%s:%d:%d %s", d.Pos.File, d.Pos.Line, d.Pos.Col, d.Severity)
}

func listFindings(l diag.List) string {
	var b strings.Builder
	for _, d := range l {
		fmt.Fprintf(&b, "  %s\n", d.String())
	}
	return b.String()
}

var cleanOnce = sync.OnceValues(func() (map[string][]string, error) {
	base, err := baseFS("northwind")
	if err != nil {
		return nil, err
	}
	all, err := check(base, cleanAsOf)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, d := range all {
		out[string(d.Code)] = append(out[string(d.Code)], d.String())
	}
	return out, nil
})

// cleanFindings are the findings of the clean northwind example, by rule.
func cleanFindings(t *testing.T) map[string][]string {
	t.Helper()
	m, err := cleanOnce()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// check runs what `aims check --as-of` runs and returns every finding.
// It runs twice, as check does (workspace.Lean: each document's values cut
// down to the fields read after its own checks) and with whole documents,
// and fails unless both find the same, so every fixture also holds the
// projections (link.Fields, gap.Fields) to what the rules read.
func check(fsys fs.FS, asOf string) (diag.List, error) {
	var runs [2]diag.List
	for i, opts := range [][]workspace.Option{{workspace.Lean()}, nil} {
		ws, err := workspace.Open(fsys, opts...)
		if err != nil {
			return nil, err
		}
		if runs[i], err = checkWorkspace(ws, asOf); err != nil {
			return nil, err
		}
	}
	if lean, whole := listFindings(runs[0]), listFindings(runs[1]); lean != whole {
		return nil, fmt.Errorf("findings with lean documents differ from those with whole documents:\n%s", cmp.Diff(whole, lean))
	}
	return runs[0], nil
}

// checkGit commits fsys to a new git repository on date and checks its
// working tree, as `aims check` does inside a clone.
func checkGit(t *testing.T, fsys fs.FS, date, asOf string, after []edit) (diag.List, error) {
	dir := t.TempDir()
	if _, err := git.PlainInit(dir, false); err != nil {
		return nil, err
	}
	if err := os.CopyFS(dir, fsys); err != nil {
		return nil, err
	}
	if err := commitAll(dir, date, "AIMS as of "+date); err != nil {
		return nil, err
	}
	for _, e := range after {
		p := filepath.Join(dir, filepath.FromSlash(e.file))
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		if n := bytes.Count(b, []byte(e.old)); n != 1 {
			return nil, fmt.Errorf("after-commit: %q occurs %d times in %s, want exactly once", e.old, n, e.file)
		}
		if err := os.WriteFile(p, bytes.Replace(b, []byte(e.old), []byte(e.new), 1), 0o644); err != nil {
			return nil, err
		}
	}
	// As check does (Lean: approved documents compared with their
	// history by digest) and with whole documents: both must agree.
	var runs [2]diag.List
	for i, opts := range [][]workspace.Option{{workspace.Lean()}, nil} {
		ws, err := workspace.OpenAt(dir, "", opts...)
		if err != nil {
			return nil, err
		}
		runs[i], err = checkWorkspace(ws, asOf)
		ws.Close()
		if err != nil {
			return nil, err
		}
	}
	if lean, whole := listFindings(runs[0]), listFindings(runs[1]); lean != whole {
		return nil, fmt.Errorf("findings with lean documents differ from those with whole documents:\n%s", cmp.Diff(whole, lean))
	}
	return runs[0], nil
}

func checkWorkspace(ws *workspace.Workspace, asOf string) (diag.List, error) {
	res, err := analyze(ws, &AnalysisOptions{AsOf: asOf})
	if err != nil {
		return nil, err
	}
	all := append(slices.Clone(ws.Diags), res.Findings...)
	all.Sort()
	return all, nil
}

var (
	basesMu sync.Mutex
	bases   = map[string]fstest.MapFS{}
)

// baseFS reads a shipped example once per test binary; callers clone it.
func baseFS(name string) (fstest.MapFS, error) {
	basesMu.Lock()
	defer basesMu.Unlock()
	if m, ok := bases[name]; ok {
		return m, nil
	}
	m := fstest.MapFS{}
	if name != "none" {
		src := os.DirFS(filepath.Join("../../examples", name))
		err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasSuffix(p, ".go") {
				return err
			}
			b, err := fs.ReadFile(src, p)
			m[p] = &fstest.MapFile{Data: b, Mode: 0o644}
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("base %s: %w", name, err)
		}
		if len(m) == 0 {
			return nil, fmt.Errorf("base %s: no such example", name)
		}
	}
	bases[name] = m
	return m, nil
}

// runFixture builds the fixture's AIMS in memory and checks it.
func runFixture(t *testing.T, f ruleFixture) diag.List {
	t.Helper()
	base, err := baseFS(f.base)
	if err != nil {
		t.Fatal(err)
	}
	fsys := maps.Clone(base) // MapFiles are shared and never modified
	for _, p := range f.deletes {
		if _, ok := fsys[p]; !ok {
			t.Fatalf("delete: %s is not in base %s", p, f.base)
		}
		delete(fsys, p)
	}
	for _, file := range f.files {
		fsys[file.Name] = &fstest.MapFile{Data: file.Data, Mode: 0o644}
	}
	for _, e := range f.edits {
		mf, ok := fsys[e.file]
		if !ok {
			t.Fatalf("replace: %s is not in the fixture's AIMS", e.file)
		}
		if n := bytes.Count(mf.Data, []byte(e.old)); n != 1 {
			t.Fatalf("replace: %q occurs %d times in %s, want exactly once", e.old, n, e.file)
		}
		fsys[e.file] = &fstest.MapFile{Data: bytes.Replace(mf.Data, []byte(e.old), []byte(e.new), 1), Mode: 0o644}
	}
	run := func() (diag.List, error) { return check(fsys, f.asOf) }
	if f.gitDate != "" {
		run = func() (diag.List, error) { return checkGit(t, fsys, f.gitDate, f.asOf, f.after) }
	}
	all, err := run()
	if err != nil {
		t.Fatal(err)
	}
	return all
}

func readRuleFixtures(t *testing.T) []ruleFixture {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(rulesDir, "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatalf("no fixtures in %s", rulesDir)
	}
	var out []ruleFixture
	for _, n := range names {
		f, err := parseRuleFixture(n)
		if err != nil {
			t.Error(err)
			continue
		}
		out = append(out, f)
	}
	return out
}

func parseRuleFixture(name string) (ruleFixture, error) {
	base := filepath.Base(name)
	m := ruleFileName.FindStringSubmatch(base)
	if m == nil {
		return ruleFixture{}, fmt.Errorf("%s: want a file named AIMS-X000.txtar or AIMS-X000-variant.txtar", base)
	}
	a, err := txtar.ParseFile(name)
	if err != nil {
		return ruleFixture{}, err
	}
	f := ruleFixture{name: base, rule: m[1], asOf: cleanAsOf, files: a.Files}
	bad := func(line int, format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s", base, line, fmt.Sprintf(format, args...))
	}
	for i, line := range strings.Split(string(a.Comment), "\n") {
		key, val, ok := strings.Cut(line, ":")
		val = strings.TrimSpace(val)
		if !ok {
			continue // prose: what the fixture shows
		}
		switch key {
		case "base":
			if val != "northwind" && val != "first-steps" && val != "none" {
				return f, bad(i+1, "base %q: want northwind, first-steps or none", val)
			}
			f.base = val
		case "as-of":
			f.asOf = val
		case "git":
			f.gitDate = val
		case "delete":
			f.deletes = append(f.deletes, val)
		case "replace", "after-commit":
			args, err := splitQuoted(val)
			if err != nil || len(args) != 3 {
				return f, bad(i+1, "want %s: FILE 'OLD' 'NEW' (\\n for a newline, '' for a quote)", key)
			}
			nl := func(s string) string { return strings.ReplaceAll(s, `\n`, "\n") }
			e := edit{args[0], nl(args[1]), nl(args[2])}
			if key == "replace" {
				f.edits = append(f.edits, e)
			} else {
				f.after = append(f.after, e)
			}
		case "want":
			pos, sev, ok := strings.Cut(val, " ")
			if _, err := diag.ParseSeverity(sev); !ok || err != nil || (pos != "-" && strings.Count(pos, ":") != 2) {
				return f, bad(i+1, "want %q: want FILE:LINE:COL SEVERITY or - SEVERITY", val)
			}
			f.want = append(f.want, val)
		case "defect":
			f.defect = val
		}
	}
	switch {
	case f.base == "":
		return f, fmt.Errorf("%s: no base: line", base)
	case len(f.want) == 0:
		return f, fmt.Errorf("%s: no want: line", base)
	case len(f.after) > 0 && f.gitDate == "":
		return f, fmt.Errorf("%s: after-commit: needs a git: line", base)
	}
	for _, file := range f.files {
		if !fs.ValidPath(file.Name) || path.Clean(file.Name) != file.Name {
			return f, fmt.Errorf("%s: file %q: want a clean slash path inside the AIMS", base, file.Name)
		}
	}
	return f, nil
}

// splitQuoted splits on spaces; single quotes group words, and two quotes inside
// them stand for one, as in testscript.
func splitQuoted(s string) ([]string, error) {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimLeft(s, " ") {
		if s[0] != '\'' {
			word, rest, _ := strings.Cut(s, " ")
			out = append(out, word)
			s = rest
			continue
		}
		var b strings.Builder
		i := 1
		for {
			j := strings.IndexByte(s[i:], '\'')
			if j < 0 {
				return nil, fmt.Errorf("unterminated quote")
			}
			b.WriteString(s[i : i+j])
			i += j + 1
			if i < len(s) && s[i] == '\'' {
				b.WriteByte('\'')
				i++
				continue
			}
			break
		}
		out = append(out, b.String())
		s = s[i:]
	}
	return out, nil
}
