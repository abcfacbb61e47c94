package workspace

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/aims-dev/aims/pkg/cache"
)

// A validation report is read as a result only when its file declares
// aims-result/v1 (performance results imported from a model card); any
// other JSON report stays plain evidence, not a broken result. A bias test
// file is always a result, so a wrong one is an error.
func TestValidationReportsReadOnlyWhenTheyAreResults(t *testing.T) {
	evidence := func(id, typ, path string) string {
		return "---\napiVersion: aims/v1\nkind: Evidence\nid: " + id + "\ntitle: " + id + "\ntype: " + typ + "\npath: " + path + "\nsatisfies: [A.6.2.4]\n"
	}
	fsys := fstest.MapFS{
		"aims.yaml": {Data: []byte("apiVersion: aims/v1\nkind: Manifest\norganization: {name: Acme}\ndocuments: {exclude: [evidence/]}\n")},
		"records.yaml": {Data: []byte(evidence("ev-perf", "validation_report", "evidence/perf.json") +
			evidence("ev-other", "validation_report", "evidence/other.json") +
			evidence("ev-bias", "bias_test", "evidence/bias.json"))},
		"evidence/perf.json":  {Data: []byte(`{"format": "aims-result/v1", "type": "performance", "measured": "2026-11-01", "results": [{"metric": "f1", "value": 0.88}]}`)},
		"evidence/other.json": {Data: []byte(`{"f1": 0.88, "notes": "exported by the training job"}`)},
		"evidence/bias.json":  {Data: []byte(`{"f1": 0.88}`)},
	}
	ws, err := Open(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if r := ws.Model.Results["ev-perf"]; r == nil || r.Type != "performance" || r.Results[0].Value != 0.88 {
		t.Errorf("performance result not read: %+v", r)
	}
	if r := ws.Model.Results["ev-other"]; r != nil {
		t.Errorf("a JSON report that is not a result was read as one: %+v", r)
	}
	if len(ws.Diags) == 0 {
		t.Error("a bias test file that is not a result passed")
	}
	for _, d := range ws.Diags {
		if d.Pos.File != "evidence/bias.json" {
			t.Errorf("problem outside evidence/bias.json: %v", d)
		}
	}
}

// Result files read from the cache give the diagnostics and results read
// without it: valid results, a YAML syntax error, a result that fails its
// schema, a validation report that is not a result; a warm run opens none
// of them, and one rewritten is read again.
func TestResultFilesCached(t *testing.T) {
	evidence := func(id, typ, path string) string {
		return "---\napiVersion: aims/v1\nkind: Evidence\nid: " + id + "\ntitle: " + id + "\ntype: " + typ + "\npath: " + path + "\nsatisfies: [A.6.2.4]\n"
	}
	dir, cacheDir := t.TempDir(), t.TempDir()
	files := map[string]string{
		"aims.yaml": "apiVersion: aims/v1\nkind: Manifest\norganization: {name: Acme}\ndocuments: {exclude: [evidence/]}\n",
		"records.yaml": evidence("ev-perf", "validation_report", "evidence/perf.json") +
			evidence("ev-other", "validation_report", "evidence/other.json") +
			evidence("ev-bias", "bias_test", "evidence/bias.json") +
			evidence("ev-drift", "drift_report", "evidence/drift.yaml") +
			evidence("ev-wrong", "bias_test", "evidence/wrong.json"),
		"evidence/perf.json":  `{"format": "aims-result/v1", "type": "performance", "measured": "2026-11-01", "results": [{"metric": "f1", "value": 0.88}]}`,
		"evidence/other.json": `{"f1": 0.88, "notes": "exported by the training job"}`,
		"evidence/bias.json": `{"format": "aims-result/v1", "type": "bias", "measured": "2026-11-02",
  "results": [{"metric": "demographic_parity_difference", "attribute": "age", "value": 0.04, "threshold": 0.1}]}`,
		"evidence/drift.yaml": "format: aims-result/v1\ntype: drift_report\nresults: [ {metric: psi\n",
		"evidence/wrong.json": `{"format": "aims-result/v1", "type": "bias_test", "measured": "someday", "results": []}`,
	}
	for p, s := range files {
		p = filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	later := time.Now().Add(time.Hour) // every file long unchanged by then
	type outcome struct {
		Diags   []string
		Results map[string]string
		opened  int
	}
	run := func(withCache bool) outcome {
		t.Helper()
		opened := 0
		fsys := resultOpens{os.DirFS(dir).(diskFS), &opened}
		opts := []Option{onDisk(dir), startedAt(later)}
		if withCache {
			opts = append(opts, WithCache(cache.Open(cacheDir)))
		}
		w, err := Open(fsys, opts...)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		o := outcome{Results: map[string]string{}, opened: opened}
		for _, d := range w.Diags {
			o.Diags = append(o.Diags, d.String())
		}
		for id, r := range w.Model.Results {
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			o.Results[id] = fmt.Sprintf("%s at %v, first value at %v", b, r.Doc.Start(), r.Doc.ValueAt("/results/0/value"))
		}
		return o
	}
	want := run(false)
	if len(want.Results) != 2 || len(want.Diags) < 2 {
		t.Fatalf("without the cache: %d results, diagnostics %q; the fixture tests too little", len(want.Results), want.Diags)
	}
	ignoreOpens := cmpopts.IgnoreUnexported(outcome{})
	for _, step := range []string{"first run with the cache", "warm run"} {
		got := run(true)
		if diff := cmp.Diff(want, got, ignoreOpens); diff != "" {
			t.Errorf("%s (-without +with):\n%s", step, diff)
		}
		if step == "warm run" && got.opened != 0 {
			t.Errorf("the warm run opened %d result files, want none", got.opened)
		}
	}
	bias := filepath.Join(dir, "evidence", "bias.json")
	if err := os.WriteFile(bias, []byte(strings.Replace(files["evidence/bias.json"], "0.04", "0.25", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	want = run(false)
	if got := run(true); !cmp.Equal(want, got, ignoreOpens) || got.opened != 1 {
		t.Errorf("after bias.json changed, with the cache (%d result files opened, want 1) (-without +with):\n%s", got.opened, cmp.Diff(want, got, ignoreOpens))
	}
	if !strings.Contains(want.Results["ev-bias"], "0.25") {
		t.Errorf("the rewritten bias result was not read: %s", want.Results["ev-bias"])
	}
}

// resultOpens counts the files under evidence/ opened or read through it;
// listing and stat calls pass through uncounted.
type resultOpens struct {
	diskFS
	n *int
}

type diskFS interface {
	fs.StatFS
	fs.ReadDirFS
	fs.ReadFileFS
	fs.ReadLinkFS
}

func (c resultOpens) Open(p string) (fs.File, error) {
	if strings.HasPrefix(p, "evidence/") {
		*c.n++
	}
	return c.diskFS.Open(p)
}

func (c resultOpens) ReadFile(p string) ([]byte, error) {
	if strings.HasPrefix(p, "evidence/") {
		*c.n++
	}
	return c.diskFS.ReadFile(p)
}
