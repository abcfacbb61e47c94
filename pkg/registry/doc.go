// Package registry holds the named values of one kind: the output formats
// of a command, the frameworks of the catalog. Adding one is a table row;
// asking for an unknown name is refused with the list of valid ones, in the
// style of kubeconform's output.New.
//
// It is a lookup table only: it knows nothing of what it holds, and it never
// changes after it is built.
package registry
