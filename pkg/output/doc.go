// Package output writes findings (diagnostics) in the formats tools read:
// text for people and editors, json for scripts, sarif for code scanning,
// junit for CI test tabs, github for workflow annotations (and the job
// summary), gitlab for GitLab Code Quality. Formats CI systems read place
// findings by repository path and name them by rule, document and field, so
// a finding keeps its identity when lines move.
//
// Every format sits behind the same two-method Writer, one file per format;
// New refuses an unknown format and lists the valid ones. Writers receive
// findings already sorted and never reorder them, so output is deterministic.
// The auditor's report (Markdown/HTML) is package report, not this one.
package output
