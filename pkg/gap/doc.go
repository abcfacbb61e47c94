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
package gap
