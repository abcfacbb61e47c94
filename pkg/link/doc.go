// Package link checks the references between documents: ids are unique,
// every reference names an existing document of the right kind, every clause
// and control id is in the catalog, and evidence paths exist inside the AIMS.
//
// References are declared once, as a table of JSON-pointer patterns per kind
// (refs.go), so a new kind or field is one line. It reports diagnostics at the
// exact referencing value; it does not judge whether requirements are met
// (package gap does).
package link
