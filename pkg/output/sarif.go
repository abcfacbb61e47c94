package output

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"unicode"

	"github.com/aims-dev/aims/pkg/diag"
	"github.com/aims-dev/aims/pkg/load"
)

// SARIF 2.1.0, as GitHub code scanning reads it: rule metadata in the driver
// (name, descriptions, Markdown help and a link to docs/rules.md), one result
// per finding with a physical location relative to the repository root
// (%SRCROOT%), and partial fingerprints that follow a finding across commits
// by rule, document and field rather than by line. A finding about the AIMS
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
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name,omitempty"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      *sarifText     `json:"fullDescription,omitempty"`
	Help                 *sarifText     `json:"help,omitempty"`
	HelpURI              string         `json:"helpUri,omitempty"`
	DefaultConfiguration map[string]any `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties,omitempty"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	Related             []sarifLocation   `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
}

type sarifLocation struct {
	ID               int `json:"id,omitempty"`
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

// sarifFingerprint is the partialFingerprints key; its value is
// Options.fingerprint. Versioned, so a change of what it hashes is a new key
// rather than every alert reopening.
const sarifFingerprint = "aimsFinding/v1"

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
	short := cmp.Or(r.Title, r.Description, r.ID)
	rule := sarifRule{ID: r.ID, Name: ruleName(cmp.Or(r.Title, r.ID)), ShortDescription: sarifText{Text: short},
		HelpURI:              RulesDoc + "#" + strings.ToLower(r.ID),
		DefaultConfiguration: map[string]any{"level": level(r.Severity)}}
	if r.Description != "" {
		rule.FullDescription = &sarifText{Text: r.Description}
	}
	if help := ruleHelp(r); help != "" {
		rule.Help = &sarifText{Text: help, Markdown: help}
	}
	if len(r.Refs) > 0 {
		rule.Properties = map[string]any{"tags": r.Refs}
	}
	s.index[r.ID] = len(s.rules)
	s.rules = append(s.rules, rule)
	return s.index[r.ID]
}

// ruleName is a rule's title as one word, as SARIF viewers show it:
// "Unknown field" becomes "UnknownField".
func ruleName(title string) string {
	var b strings.Builder
	for w := range strings.FieldsFuncSeq(title, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		b.WriteString(string(r))
	}
	return b.String()
}

// ruleHelp is the rule's help in Markdown: what it finds, how to fix it
// (when the rule says), the requirements it protects and where to read more.
func ruleHelp(r Rule) string {
	if r.Description == "" && r.Fix == "" {
		return ""
	}
	var b strings.Builder
	if r.Title != "" {
		fmt.Fprintf(&b, "**%s** (%s)\n\n", r.Title, r.ID)
	}
	if r.Description != "" {
		fmt.Fprintf(&b, "%s\n\n", r.Description)
	}
	if r.Fix != "" {
		fmt.Fprintf(&b, "How to fix: %s\n\n", r.Fix)
	}
	if len(r.Refs) > 0 {
		fmt.Fprintf(&b, "ISO/IEC 42001: %s.\n\n", strings.Join(r.Refs, ", "))
	}
	fmt.Fprintf(&b, "See [%s in docs/rules.md](%s#%s).", r.ID, RulesDoc, strings.ToLower(r.ID))
	return b.String()
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
		Message: sarifText{Text: d.Msg}, Locations: []sarifLocation{s.location(pos)},
		PartialFingerprints: map[string]string{sarifFingerprint: s.opts.fingerprint(d)}}
	for n, r := range d.Related {
		loc := s.location(r)
		loc.ID = n + 1
		res.Related = append(res.Related, loc)
	}
	s.results = append(s.results, res)
	return nil
}

func (s *sarifWriter) location(pos diag.Pos) sarifLocation {
	var loc sarifLocation
	loc.PhysicalLocation.ArtifactLocation.URI = uriReference(s.opts.repoFile(pos))
	loc.PhysicalLocation.ArtifactLocation.URIBaseID = "%SRCROOT%"
	if pos.Line > 0 {
		loc.PhysicalLocation.Region = &sarifRegion{StartLine: pos.Line, StartColumn: pos.Col}
	}
	return loc
}

// uriReference percent-encodes a relative slash path as a URI reference:
// "risk register.yaml" becomes "risk%20register.yaml", and a colon, which
// would read as a scheme, is encoded too.
func uriReference(p string) string {
	parts := strings.Split(p, "/")
	for i, part := range parts {
		parts[i] = strings.ReplaceAll(url.PathEscape(part), ":", "%3A")
	}
	return strings.Join(parts, "/")
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
