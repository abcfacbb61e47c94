package output

import (
	"encoding/json"
	"io"
	"slices"

	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/load"
)

// SARIF 2.1.0, as GitHub code scanning reads it: rule metadata in the driver,
// one result per finding with a physical location. A finding about the AIMS
// as a whole is placed on aims.yaml, because code scanning drops results
// without a location.

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	ShortDescription     sarifText      `json:"shortDescription"`
	DefaultConfiguration map[string]any `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties,omitempty"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations"`
	Related   []sarifLocation `json:"relatedLocations,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation struct {
		ArtifactLocation struct {
			URI       string `json:"uri"`
			URIBaseID string `json:"uriBaseId"`
		} `json:"artifactLocation"`
		Region *sarifRegion `json:"region,omitempty"`
	} `json:"physicalLocation"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifWriter struct {
	w       io.Writer
	opts    Options
	results []sarifResult
	rules   []sarifRule
	index   map[string]int
}

func newSARIF(w io.Writer, opts Options) Writer {
	s := &sarifWriter{w: w, opts: opts, index: map[string]int{}}
	var ids []string
	for id := range opts.Rules {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		s.addRule(opts.Rules[id])
	}
	return s
}

func (s *sarifWriter) addRule(r Rule) int {
	if i, ok := s.index[r.ID]; ok {
		return i
	}
	desc := r.Description
	if desc == "" {
		desc = r.ID
	}
	rule := sarifRule{ID: r.ID, ShortDescription: sarifText{desc},
		DefaultConfiguration: map[string]any{"level": level(r.Severity)}}
	if len(r.Refs) > 0 {
		rule.Properties = map[string]any{"tags": r.Refs}
	}
	s.index[r.ID] = len(s.rules)
	s.rules = append(s.rules, rule)
	return s.index[r.ID]
}

func level(s diag.Severity) string {
	switch s {
	case diag.Error:
		return "error"
	case diag.Warning:
		return "warning"
	case diag.Off:
		return "none"
	}
	return "note"
}

func (s *sarifWriter) Write(d diag.Diagnostic) error {
	id := d.Code
	if id == "" {
		id = "AIMS"
	}
	i, ok := s.index[id]
	if !ok {
		i = s.addRule(Rule{ID: id, Severity: d.Severity})
	}
	pos := d.Pos
	if !pos.IsValid() {
		pos = diag.Pos{File: load.ManifestFile, Line: 1, Col: 1}
	}
	res := sarifResult{RuleID: id, RuleIndex: i, Level: level(d.Severity),
		Message: sarifText{d.Msg}, Locations: []sarifLocation{s.location(pos)}}
	for _, r := range d.Related {
		res.Related = append(res.Related, s.location(r))
	}
	s.results = append(s.results, res)
	return nil
}

func (s *sarifWriter) location(pos diag.Pos) sarifLocation {
	var loc sarifLocation
	loc.PhysicalLocation.ArtifactLocation.URI = s.opts.file(pos)
	loc.PhysicalLocation.ArtifactLocation.URIBaseID = "%SRCROOT%"
	if pos.Line > 0 {
		loc.PhysicalLocation.Region = &sarifRegion{StartLine: pos.Line, StartColumn: pos.Col}
	}
	return loc
}

func (s *sarifWriter) Flush(Summary) error {
	results := s.results
	if results == nil {
		results = []sarifResult{}
	}
	rules := s.rules
	if rules == nil {
		rules = []sarifRule{}
	}
	log := sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs: []sarifRun{{
			Tool:    sarifTool{Driver: sarifDriver{Name: "aims", Version: s.opts.Version, InformationURI: "https://github.com/aims-dev/aims", Rules: rules}},
			Results: results,
		}},
	}
	enc := json.NewEncoder(s.w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}
