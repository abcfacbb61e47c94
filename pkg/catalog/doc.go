// Package catalog is the registry of frameworks aims knows, each a catalog
// of ids with our own short titles and guidance (never the standards'
// text). ISO/IEC 42001:2023 ("iso42001") is the one an AIMS is judged
// against: its 32 clause requirements and 38 Annex A controls, the group
// each belongs to and the implementation phase it is usually tackled in.
//
// A framework is a data file in frameworks/ (a header line naming its
// columns, then one entry a line) plus a row in the registry in
// framework.go. Every entry carries its framework, and ids qualified with it
// ("iso42001:A.5.4") are unique across frameworks, which is what crosswalks
// between frameworks map.
//
// It is embedded data with lookups and the `aims catalog` formats (text,
// json); it does no analysis.
package catalog
