// Package output writes what aims check, validate, gaps and rules print.
//
// Findings (diagnostics) go out in the formats tools read: text for people
// and editors, json for scripts, sarif for code scanning, junit for CI test
// tabs, github for workflow annotations (and the job summary), gitlab for GitLab
// Code Quality. Formats CI systems read place findings by repository path and
// name them by rule, document and field, so a finding keeps its identity when
// lines move. Every findings format sits behind
// the same two-method Writer, one file per format; New refuses an unknown
// format and lists the valid ones. Writers receive findings already sorted
// and never reorder them, so output is deterministic.
//
// The gap analysis (gaps.go: NewGaps, GapsFormats), a framework view
// derived from it (framework.go: NewFramework, FrameworkFormats) and the
// rule list (rules.go: NewRules, RulesFormats) have registries of their own
// in the same style. Adding a format is a row in its registry.
//
// The auditor's report (Markdown/HTML) is package report, not this one.
package output
