// Package catalog is the ISO/IEC 42001:2023 catalog: the 32 clause
// requirements and 38 Annex A controls, with their ids, our own short titles
// and guidance (never the standard's text), the group each belongs to and the
// implementation phase it is usually tackled in.
//
// It is embedded data with lookups; it does no analysis.
package catalog
