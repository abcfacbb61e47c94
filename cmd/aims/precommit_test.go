package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/aims-dev/aims/pkg/cache"
)

// The hooks in .pre-commit-hooks.yaml, run by the real pre-commit against a
// local clone of this repository, with the AIMS at the repository's root
// (beside the files other tools keep there) and in a folder: a clean AIMS
// passes both hooks, a broken one fails both.
func TestPreCommitHooks(t *testing.T) {
	t.Parallel() // drives external programs: overlaps with the other slow tests
	precommit := needTool(t, "pre-commit")
	git := needTool(t, "git")
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	// The manifest and the README's example config are what pre-commit accepts.
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	example := filepath.Join(t.TempDir(), "example-config.yaml")
	writeFile(t, example, yamlBlockAfter(t, string(readme), "## Pre-commit and CI"))
	for _, args := range [][]string{{"validate-manifest", filepath.Join(root, ".pre-commit-hooks.yaml")}, {"validate-config", example}} {
		if out, err := exec.Command(precommit, args...).CombinedOutput(); err != nil {
			t.Errorf("pre-commit %s: %v\n%s", args[0], err, out)
		}
	}

	// The hooks' repository: this working tree as a commit, so uncommitted
	// changes are what is tested.
	hooks := filepath.Join(t.TempDir(), "aims")
	for _, p := range []string{"go.mod", "go.sum", ".pre-commit-hooks.yaml", "cmd", "pkg", "schemas", "templates", "examples"} {
		copyTree(t, filepath.Join(root, p), filepath.Join(hooks, p))
	}
	gitRun(t, git, hooks, "init", "-q")
	gitRun(t, git, hooks, "add", "-A")
	gitRun(t, git, hooks, "commit", "-q", "-m", "hooks under test")
	rev := strings.TrimSpace(gitRun(t, git, hooks, "rev-parse", "HEAD"))

	gomodcache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(),
		"PRE_COMMIT_HOME="+filepath.Join(t.TempDir(), "pre-commit"),
		cache.EnvDir+"="+t.TempDir(), // not the user's cache
		// pre-commit builds the hook with go install: offline, from the
		// module cache this test already uses.
		"GOMODCACHE="+strings.TrimSpace(string(gomodcache)), "GOPROXY=off", "GOFLAGS=-mod=mod",
	)
	config := "repos:\n  - repo: " + hooks + "\n    rev: " + rev + "\n    hooks:\n" +
		"      - id: aims-check\n        args: [--as-of, \"2026-12-01\"]\n" +
		"      - id: aims-validate\n"
	others := map[string]string{
		".pre-commit-config.yaml":  config,
		".gitlab-ci.yml":           "aims:\n  script: [aims check]\n",
		".github/workflows/ci.yml": "on: push\njobs:\n  aims:\n    runs-on: ubuntu-latest\n    steps: [{run: aims check}]\n",
		".yamllint.yaml":           "extends: default\n",
		"mkdocs.yml":               "site_name: Our AIMS\nnav:\n  - Home: index.md\n",
		"README.md":                "# Our AI management system\n",
	}
	for _, layout := range []string{".", "aims"} {
		t.Run("aims in "+layout, func(t *testing.T) {
			repo := t.TempDir()
			for name, body := range others {
				writeFile(t, filepath.Join(repo, name), body)
			}
			copyTree(t, filepath.Join(root, "examples", "northwind"), filepath.Join(repo, layout))
			gitRun(t, git, repo, "init", "-q")
			gitRun(t, git, repo, "add", "-A")

			out, err := preCommit(precommit, repo, env)
			if err != nil {
				t.Fatalf("clean AIMS: pre-commit failed: %v\n%s", err, out)
			}
			for _, id := range []string{"aims check", "aims validate"} {
				if !regexp.MustCompile(`(?m)^` + id + ` .*Passed$`).MatchString(out) {
					t.Errorf("clean AIMS: hook %q did not pass:\n%s", id, out)
				}
			}

			scope := filepath.Join(repo, layout, "scope.yaml")
			b, err := os.ReadFile(scope)
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, scope, strings.Replace(string(b), "\nowner:", "\nownr:", 1))
			gitRun(t, git, repo, "add", "-A")
			out, err = preCommit(precommit, repo, env)
			if err == nil {
				t.Fatalf("broken AIMS: pre-commit passed:\n%s", out)
			}
			for _, id := range []string{"aims check", "aims validate"} {
				if !regexp.MustCompile(`(?m)^` + id + ` .*Failed$`).MatchString(out) {
					t.Errorf("broken AIMS: hook %q did not fail:\n%s", id, out)
				}
			}
			want := filepath.ToSlash(filepath.Join(layout, "scope.yaml")) + `:\d+:1: error: unknown field "ownr"`
			if !regexp.MustCompile(want).MatchString(out) {
				t.Errorf("broken AIMS: no finding matching %s:\n%s", want, out)
			}
			if layout == "aims" && runtime.GOOS == "linux" {
				servedByPreCommit(t, precommit, repo, env, out)
			}
		})
	}
}

// servedByPreCommit runs the hooks again with an aims server of the build
// pre-commit made running for the AIMS: pre-commit passes the variables on,
// the server answers both hooks, and pre-commit prints what it printed
// without one.
func servedByPreCommit(t *testing.T, precommit, repo string, env []string, plain string) {
	t.Helper()
	bins, _ := filepath.Glob(filepath.Join(envValue(env, "PRE_COMMIT_HOME"), "*", "golangenv-*", "bin", "aims"))
	if len(bins) != 1 {
		t.Fatalf("the aims pre-commit built: %q", bins)
	}
	run := filepath.Join(t.TempDir(), "run")
	if err := os.Mkdir(run, 0o700); err != nil {
		t.Fatal(err)
	}
	env = append(env, "XDG_RUNTIME_DIR="+run)
	server := func(args ...string) string {
		cmd := exec.Command(bins[0], append([]string{"-C", filepath.Join(repo, "aims"), "server"}, args...)...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("aims server %s: %v\n%s", args[0], err, out)
		}
		return string(out)
	}
	server("start", "--idle", "1m")
	defer server("stop")
	out, err := preCommit(precommit, repo, env)
	if err == nil || out != plain {
		t.Errorf("with a server, pre-commit printed (%v):\n%s\nwithout:\n%s", err, out, plain)
	}
	if st := server("status"); !strings.Contains(st, " 2 checks run,") {
		t.Errorf("the server did not answer both hooks (aims-check, aims-validate): %s", st)
	}
}

func envValue(env []string, name string) string {
	for _, kv := range slices.Backward(env) {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			return v
		}
	}
	return ""
}

func preCommit(precommit, dir string, env []string) (string, error) {
	cmd := exec.Command(precommit, "run", "--all-files", "--color", "never")
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func gitRun(t *testing.T, git, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command(git, append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func writeFile(t *testing.T, name, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// copyTree copies a file or folder, skipping symlinks.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case d.Type().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return err
			}
			return os.WriteFile(target, b, 0o644)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
