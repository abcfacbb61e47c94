package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/rogpeppe/go-internal/testscript"
	"gopkg.in/yaml.v3"
)

// The README's GitHub workflow and GitLab job work as written: their YAML
// parses, and their commands (the action's steps, with the inputs the
// workflow gives) run in a testscript with the CI's environment variables
// set, on the Northwind example in a folder of a git repository, clean and
// then broken. Only the build step is not run: aims is already on PATH.
func TestREADMEWorkflows(t *testing.T) {
	t.Parallel() // drives external programs: overlaps with the other slow tests
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var workflow struct {
		Jobs map[string]struct {
			Steps []struct {
				Uses, Run, If string
				With          map[string]string
			}
		}
	}
	mustYAML(t, yamlBlockAfter(t, string(readme), "### GitHub"), &workflow)
	var action struct {
		Inputs map[string]struct{ Default string }
		Runs   struct {
			Using string
			Steps []struct {
				ID, Run, Shell string
				Env            map[string]string
			}
		}
	}
	actionYAML, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	mustYAML(t, string(actionYAML), &action)
	var gitlab map[string]struct {
		Script    []string
		Artifacts struct {
			When    string
			Reports map[string]string
		}
	}
	mustYAML(t, yamlBlockAfter(t, string(readme), "### GitLab and Jenkins"), &gitlab)

	// The workflow: the action with its inputs, then the SARIF upload even
	// when the check failed.
	steps := workflow.Jobs["aims"].Steps
	i := slices.IndexFunc(steps, func(s struct {
		Uses, Run, If string
		With          map[string]string
	}) bool {
		return strings.HasPrefix(s.Uses, "aims-dev/aims@")
	})
	if i < 0 || i+1 >= len(steps) {
		t.Fatalf("no aims-dev/aims step followed by an upload in the README workflow: %+v", steps)
	}
	with, upload := steps[i].With, steps[i+1]
	if !strings.HasPrefix(upload.Uses, "github/codeql-action/upload-sarif@") || upload.If != "always()" || upload.With["sarif_file"] != with["sarif"] || with["sarif"] == "" {
		t.Errorf("upload step %+v does not upload %q whatever the check found", upload, with["sarif"])
	}
	if action.Runs.Using != "composite" {
		t.Errorf("action runs using %q, want composite", action.Runs.Using)
	}

	// The script: the CI's environment, the action's steps with their
	// inputs (as-of fixed so that the example's dates hold), the GitLab job.
	var script, files strings.Builder
	script.WriteString(`env GITHUB_ACTIONS=true
env GITHUB_EVENT_NAME=pull_request
env GITHUB_BASE_REF=main
env GITHUB_STEP_SUMMARY=$WORK/summary.md
env GITHUB_WORKSPACE=$WORK/repo
env RUNNER_TEMP=$WORK/tmp
cp-example northwind repo/aims
git-init repo
git-commit repo 2026-11-01 the AIMS
git-ref repo refs/remotes/origin/main
cd repo
`)
	inputs := map[string]string{}
	for name, in := range action.Inputs {
		inputs[name] = in.Default
	}
	for k, v := range with {
		if _, ok := action.Inputs[k]; !ok {
			t.Errorf("the workflow gives the action an unknown input %q", k)
		}
		inputs[k] = v
	}
	inputs["as-of"] = "2026-12-01"
	expr := regexp.MustCompile(`^\$\{\{ inputs\.([a-z-]+) \}\}$`)
	var stepFiles []string
	for _, s := range action.Runs.Steps {
		if s.ID == "build" {
			if !strings.Contains(s.Run, `go build -C "$GITHUB_ACTION_PATH"`) {
				t.Errorf("the build step does not build from the action's checkout:\n%s", s.Run)
			}
			continue
		}
		if s.Shell != "bash" {
			t.Errorf("step %s runs in %q, want bash", s.ID, s.Shell)
		}
		names := make([]string, 0, len(s.Env))
		for k := range s.Env {
			names = append(names, k)
		}
		slices.Sort(names)
		for _, k := range names {
			m := expr.FindStringSubmatch(s.Env[k])
			if m == nil {
				t.Fatalf("step %s: env %s=%q is not an input", s.ID, k, s.Env[k])
			}
			fmt.Fprintf(&script, "env %s=%s\n", k, inputs[m[1]])
		}
		name := "step-" + s.ID + ".sh"
		stepFiles = append(stepFiles, name)
		fmt.Fprintf(&files, "-- %s --\n%s", name, s.Run)
	}
	var gl []string
	for _, line := range gitlab["aims"].Script {
		if strings.HasPrefix(line, "go install ") {
			continue // aims is on PATH
		}
		gl = append(gl, strings.Replace(line, "aims check", "aims check --as-of 2026-12-01", 1))
	}
	if gitlab["aims"].Artifacts.When != "always" || len(gitlab["aims"].Artifacts.Reports) != 2 {
		t.Errorf("the GitLab job does not keep both reports whatever the check found: %+v", gitlab["aims"].Artifacts)
	}
	fmt.Fprintf(&files, "-- gitlab.sh --\nset -e\n%s\n", strings.Join(gl, "\n"))
	run := func(neg string) {
		for _, f := range stepFiles {
			fmt.Fprintf(&script, "%sexec bash $WORK/%s\n", neg, f)
		}
	}

	// Clean: annotations none, a summary with readiness, findings and diff,
	// SARIF and both GitLab reports.
	run("")
	script.WriteString(`! stdout '::error'
grep '^## AIMS readiness' $WORK/summary.md
grep 'score [0-9.]+%, 0 blocking certification' $WORK/summary.md
grep '^### aims check' $WORK/summary.md
grep '[0-9]+ documents checked: no problems' $WORK/summary.md
grep '^## AIMS changes from origin/main' $WORK/summary.md
grep '"version": "2.1.0"' aims.sarif
exec bash $WORK/gitlab.sh
grep '^\[\]$' gl-code-quality-report.json
grep 'name="no findings"' aims-junit.xml
`)
	// Broken: the step fails with an annotation from the repository root,
	// and the summary, SARIF and Code Quality report still say what broke.
	script.WriteString(`replace aims/scope.yaml '\nowner:' '\nownr:'
rm $WORK/summary.md
`)
	run("! ")
	script.WriteString(`stdout '^::error file=aims/scope.yaml,line=\d+,col=1,title=AIMS-S002::unknown field "ownr"'
grep '\| error \| \[AIMS-S002\]' $WORK/summary.md
grep '"uri": "aims/scope.yaml"' aims.sarif
! exec bash $WORK/gitlab.sh
grep '"path": "aims/scope.yaml"' gl-code-quality-report.json
`)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "readme_workflows.txtar"), []byte(script.String()+files.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	c := cmds()
	c["git-ref"] = cmdGitRef
	testscript.Run(t, testscript.Params{
		Dir: dir,
		Setup: func(env *testscript.Env) error {
			env.Setenv("EXAMPLES", filepath.Join(root, "examples"))
			scriptCache(env)
			return nil
		},
		Cmds:                c,
		RequireExplicitExec: true,
	})
}

// git-ref DIR NAME points NAME (refs/remotes/origin/main) at HEAD, as a
// clone with the base branch fetched has it.
func cmdGitRef(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: git-ref DIR NAME")
	}
	repo, err := git.PlainOpen(ts.MkAbs(args[0]))
	ts.Check(err)
	head, err := repo.Head()
	ts.Check(err)
	ts.Check(repo.Storer.SetReference(plumbing.NewHashReference(plumbing.ReferenceName(args[1]), head.Hash())))
}

// yamlBlockAfter is the first ```yaml block after a heading.
func yamlBlockAfter(t *testing.T, text, heading string) string {
	t.Helper()
	_, rest, ok := strings.Cut(text, "\n"+heading+"\n")
	if !ok {
		t.Fatalf("README has no %q section", heading)
	}
	_, rest, ok = strings.Cut(rest, "```yaml\n")
	if !ok {
		t.Fatalf("no yaml block under %q", heading)
	}
	block, _, _ := strings.Cut(rest, "```")
	return block
}

func mustYAML(t *testing.T, text string, v any) {
	t.Helper()
	if err := yaml.Unmarshal([]byte(text), v); err != nil {
		t.Fatalf("YAML does not parse: %v\n%s", err, text)
	}
}
