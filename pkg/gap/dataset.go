package gap

import (
	"github.com/aims-dev/aims/pkg/diag"
)

// datasetRule are the rules about datasets themselves, whatever system uses
// them; each sits beside the check that applies it and is registered by
// being a field here.
var datasetRule = struct {
	QualityCheckFailed *diag.Rule
}{
	QualityCheckFailed: &diag.Rule{
		ID: "AIMS-G057", Severity: diag.Warning, Refs: []string{"A.7.4"},
		Title: "Failed data quality check", Description: "A dataset's latest quality check failed.",
		Why:          "Control A.7.4 expects data used by AI systems to meet defined quality requirements; a dataset whose latest quality check failed may be feeding bad data into training or operation, and an auditor will ask what was done about it.",
		Fix:          "Fix the data, re-run the check and add the new run to the Dataset's `quality.checks` with `result: pass` and its `date` (the latest run of each check is what counts). While the fix is under way, track it as a `kind: Nonconformity` naming the systems that use the dataset. An override (e.g. `severity: info`) is honest only for a check that is advisory by design, stated in the reason.",
		Configurable: true,
	},
}

// DatasetVerdict is a dataset judged: the quality checks whose latest run
// failed, in the order the dataset lists them.
type DatasetVerdict struct {
	ID     string        `json:"id"`
	Failed []FailedCheck `json:"failed_checks"`
}

// FailedCheck is a quality check whose latest run failed.
type FailedCheck struct {
	Check string `json:"check"`
	Date  string `json:"date,omitempty"`
}

// Dataset returns the verdict on the dataset with id.
func (r *Result) Dataset(id string) (DatasetVerdict, bool) {
	return find(r.Datasets, id, func(v DatasetVerdict) string { return v.ID })
}

// checkDatasets flags a quality check whose latest run failed. Each check
// (by name) is judged on its most recent dated run, so a failure followed
// by a passing re-run is history, not a finding.
func (a *analyzer) checkDatasets() {
	for _, d := range a.m.Datasets {
		v := DatasetVerdict{ID: d.ID, Failed: []FailedCheck{}}
		if d.Quality != nil {
			latest := map[string]int{}
			var order []string
			for i, c := range d.Quality.Checks {
				j, seen := latest[c.Check]
				if !seen {
					order = append(order, c.Check)
				}
				if !seen || c.Date >= d.Quality.Checks[j].Date {
					latest[c.Check] = i
				}
			}
			for _, name := range order {
				i := latest[name]
				c := d.Quality.Checks[i]
				if c.Result == "fail" {
					v.Failed = append(v.Failed, FailedCheck{Check: name, Date: c.Date})
					a.report(datasetRule.QualityCheckFailed, pos(d.Doc, "quality", "checks", i, "result"),
						"dataset %s: quality check %q failed%s", d.ID, name, on(c.Date))
				}
			}
		}
		a.datasets = append(a.datasets, v)
	}
}

// on is " on DATE", or nothing for an undated record.
func on(date string) string {
	if date == "" {
		return ""
	}
	return " on " + date
}
