package load

import (
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

// An AIMS at a repository's root shares it with other tools' files; only
// AIMS documents are read, and nothing that looks like one is dropped
// without a word.
func TestDiscoveryInASharedFolder(t *testing.T) {
	const manifest = "apiVersion: aims/v1\nkind: Manifest\ndocuments:\n  include: [risk/]\n"
	fsys := fstest.MapFS{
		ManifestFile:               {Data: []byte(manifest)},
		".pre-commit-config.yaml":  {Data: []byte("repos:\n  - repo: local\n")},
		".gitlab-ci.yml":           {Data: []byte("aims:\n  script: [aims check]\n")},
		".github/workflows/ci.yml": {Data: []byte("on: push\n")},
		".hidden/risk.yaml":        {Data: []byte("apiVersion: aims/v1\nkind: Risk\nid: hidden\n")},
		"mkdocs.yml":               {Data: []byte("site_name: x\nnav: [\n")}, // broken, but not ours
		"README.md":                {Data: []byte("# hello\n")},
		"charts/values.yaml":       {Data: []byte("replicas: 2\n")},
		"anywhere/scope.yaml":      {Data: []byte("apiVersion: aims/v1\nkind: Scpoe\nid: scope\n")},
		"risk/register.yaml":       {Data: []byte("kind: Risk\nid: r1\n---\ntitle: stray\n")},
		"systems/bot.yaml":         {Data: []byte("kind: AISystem\nid: bot\n")},
		"evidence/result.yaml":     {Data: []byte("apiVersion: aims/v1\nkind: Evidence\nid: e1\n")},
		"evidence/data.yaml":       {Data: []byte("rows: [1, 2]\n")},
		"node_modules/x/a.yaml":    {Data: []byte("apiVersion: aims/v1\nkind: Risk\nid: dep\n")},
		"docs/page.md":             {Data: []byte("---\ntitle: About\nkind: page\n---\n# About\n")},
		"policies/ai-policy.md":    {Data: []byte("---\nkind: Policy\nid: ai-policy\n---\n# AI policy\n")},
	}
	set, err := Load(fsys, Options{Kinds: []string{"AISystem", "Evidence", "Manifest", "Policy", "Risk", "Scope"}})
	if err != nil {
		t.Fatal(err)
	}
	var docs []string
	for _, d := range set.Docs {
		docs = append(docs, d.File+" "+d.Kind)
	}
	wantDocs := []string{
		"aims.yaml Manifest",
		"anywhere/scope.yaml Scpoe", // declares aims: read, so the typo is reported by the schema stage
		"risk/register.yaml Risk",   // under documents.include: read without apiVersion
	}
	if diff := cmp.Diff(wantDocs, docs); diff != "" {
		t.Errorf("documents (-want +got):\n%s", diff)
	}
	wantDiags := []string{
		"evidence/result.yaml:1:1: warning: looks like an AIMS document (kind Evidence) but is not checked: evidence/result.yaml matches documents.exclude in aims.yaml [AIMS-L005]",
		"policies/ai-policy.md:2:1: warning: looks like an AIMS document (kind Policy) but is not checked: it has no apiVersion: aims/v1 and policies/ai-policy.md is outside documents.include in aims.yaml [AIMS-L005]",
		"risk/register.yaml:4:1: error: not an AIMS document: no apiVersion or kind (add them, or exclude this path under documents.exclude in aims.yaml) [AIMS-L003]",
		"systems/bot.yaml:1:1: warning: looks like an AIMS document (kind AISystem) but is not checked: it has no apiVersion: aims/v1 and systems/bot.yaml is outside documents.include in aims.yaml [AIMS-L005]",
	}
	set.Diags.Sort()
	if diff := cmp.Diff(wantDiags, diagStrings(set.Diags)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

// A syntax error is reported when the file declares an aims apiVersion, even
// outside documents.include; another tool's broken YAML is that tool's.
func TestDiscoverySyntaxErrors(t *testing.T) {
	fsys := fstest.MapFS{
		ManifestFile:   {Data: []byte("apiVersion: aims/v1\nkind: Manifest\n")},
		"risk.yaml":    {Data: []byte("apiVersion: aims/v1\nkind: Risk\n  id: x\n")},
		"mkdocs.yml":   {Data: []byte("nav: [\n")},
		"ci/jobs.yaml": {Data: []byte("a: b\n  c: d\n")},
	}
	set, err := Load(fsys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"risk.yaml:3:5: error: YAML syntax: mapping values are not allowed in this context [AIMS-L001]"}
	if diff := cmp.Diff(want, diagStrings(set.Diags)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
