// Package gap is the gap analysis: it links every ISO/IEC 42001 requirement
// (32 clauses, 38 Annex A controls) to what supports it, runs the rules an
// auditor would apply, and gives each requirement a status (met, partial,
// missing, excluded) with the evidence and the reasons behind it, plus a
// prioritised roadmap.
//
// A status is earned: only owned, current, approved evidence without
// template TODOs counts. Analyze is a pure function of the model, the
// catalog and Options (today's date, git provenance): it reads no files and
// never calls time.Now.
//
// gap is the only judge. Every verdict a renderer shows is decided here and
// carried in Result: requirement statuses, evidence freshness, the risk
// acceptance threshold and where it comes from, each risk's standing
// against it, overdue flags (risk reviews and treatments, objectives,
// management review actions, nonconformities and their corrective actions,
// supplier due diligence, document reviews), the management review inputs
// 9.3.2 asks for, and the tier requirements each system meets. The rules
// fire from the same verdicts, so a finding and what the report shows
// cannot disagree. Renderers (report, diff, output) must not judge again.
//
// Rules are values: each file holds a rule set (documentRule, riskRule, ...)
// beside the checks that use it, and a field of a set is registered by being
// there (rules.go). What a risk tier can require of an AI system is one table,
// tierRequirements in systems.go, that the manifest schema and the default
// tiers are tested against.
//
// Other frameworks (NIST AI RMF, the EU AI Act per AI system, ISO/IEC
// 27001, ISO 9001, ISO 31000) are views, not second judges: Derive maps a
// Result through a crosswalk (package crosswalk), and an item is met only
// when every applicable ISO/IEC 42001 requirement mapped to it is met.
package gap
