package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The exported schemas pass ajv's strict draft 2020-12 compiler (with
// ajv-formats), as editors and other validators will load them.
func TestSchemasCompileWithAjv(t *testing.T) {
	t.Parallel() // drives external programs: overlaps with the other slow tests
	ajv := needTool(t, "ajv")
	dir := t.TempDir()
	if _, errOut, code := runCLI(t, "schema", "--out", dir); code != 0 {
		t.Fatalf("aims schema --out: exit %d: %s", code, errOut)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.schema.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no schemas exported: %v", err)
	}
	for _, f := range files {
		args := []string{"compile", "--spec=draft2020", "--strict=true", "-c", "ajv-formats", "-s", f}
		for _, r := range files {
			if r != f {
				args = append(args, "-r", r)
			}
		}
		out, err := exec.Command(ajv, args...).CombinedOutput()
		if err != nil {
			t.Errorf("ajv compile --strict=true %s: %v\n%s", filepath.Base(f), err, out)
		}
	}
}

// A fresh scaffold is clean under yamllint's defaults with document-start
// off and lines up to 120 characters, the config aims init ships.
func TestScaffoldPassesYamllint(t *testing.T) {
	t.Parallel() // drives external programs: overlaps with the other slow tests
	yamllint := needTool(t, "yamllint")
	dir := filepath.Join(t.TempDir(), "my-aims")
	if _, errOut, code := runCLI(t, "init", dir); code != 0 {
		t.Fatalf("aims init: exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, ".yamllint.yaml")); err != nil {
		t.Fatalf("aims init wrote no .yamllint.yaml: %v", err)
	}
	cmd := exec.Command(yamllint, "--strict", ".")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("yamllint: %v\n%s", err, out)
	}
}

// The Markdown reports of both examples are clean under the markdownlint
// config the README documents and aims init ships.
func TestMarkdownReportPassesMarkdownlint(t *testing.T) {
	t.Parallel() // drives external programs: overlaps with the other slow tests
	mdl := needTool(t, "markdownlint")
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(root, "templates", "init", ".markdownlint.yaml")
	for _, ex := range []string{"northwind", "first-steps"} {
		t.Run(ex, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), ex+".md")
			if _, errOut, code := runCLI(t, "-C", filepath.Join(root, "examples", ex), "report", "--as-of", "2026-12-01", "--format", "md", "-o", out); code != 0 {
				t.Fatalf("aims report: exit %d: %s", code, errOut)
			}
			b, err := exec.Command(mdl, "--config", config, out).CombinedOutput()
			if err != nil {
				lines := strings.Split(strings.TrimSpace(string(b)), "\n")
				t.Errorf("markdownlint: %d findings, first: %s", len(lines), strings.Join(lines[:min(len(lines), 15)], "\n"))
			}
		})
	}
}

// Both examples' HTML reports have no serious or critical axe-core
// violation of WCAG 2.1 A/AA in headless Chromium.
func TestHTMLReportPassesAxe(t *testing.T) {
	t.Parallel() // drives external programs: overlaps with the other slow tests
	node := needTool(t, "node")
	chromium := needTool(t, "chromium")
	if os.Getenv("NODE_PATH") == "" {
		t.Fatal("NODE_PATH must name the node_modules holding playwright-core and axe-core (.ci/run sets it)")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, ex := range []string{"northwind", "first-steps"} {
		out := filepath.Join(t.TempDir(), ex+".html")
		if _, errOut, code := runCLI(t, "-C", filepath.Join(root, "examples", ex), "report", "--as-of", "2026-12-01", "-o", out); code != 0 {
			t.Fatalf("aims report %s: exit %d: %s", ex, code, errOut)
		}
		files = append(files, out)
	}
	b, err := exec.Command(node, append([]string{"testdata/axe.js", chromium}, files...)...).Output()
	if err != nil {
		t.Fatalf("axe run: %v", err)
	}
	var res map[string][]struct {
		ID, Impact, Help string
		Count            int
		Nodes            []struct{ Target, Summary string }
	}
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatalf("axe output: %v\n%s", err, b)
	}
	if len(res) != len(files) {
		t.Fatalf("axe checked %d of %d reports", len(res), len(files))
	}
	for file, violations := range res {
		for _, v := range violations {
			msg := fmt.Sprintf("%s: %s (%s) on %d elements: %s", filepath.Base(file), v.ID, v.Impact, v.Count, v.Help)
			if len(v.Nodes) > 0 {
				msg += "\n  first: " + v.Nodes[0].Target + "\n  " + v.Nodes[0].Summary
			}
			if v.Impact == "serious" || v.Impact == "critical" {
				t.Error(msg)
			} else {
				t.Log(msg)
			}
		}
	}
}
