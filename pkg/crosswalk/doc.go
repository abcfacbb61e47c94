// Package crosswalk holds the mappings from other frameworks (NIST AI RMF,
// the EU AI Act, ISO/IEC 27001) to the ISO/IEC 42001 requirements aims
// judges, as embedded data: one file a framework in crosswalks/, each row a
// typed mapping (equal, subset, superset, intersects) with its source (a
// published crosswalk, or indicative or derived, which every output shows as
// such). It also says which EU AI Act articles apply to an AI system from
// its class and the organisation's role.
//
// It is data with lookups. It judges nothing: framework views are derived
// from the gap analysis's requirement statuses in package gap.
package crosswalk
