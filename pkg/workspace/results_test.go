package workspace

import (
	"testing"
	"testing/fstest"
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
