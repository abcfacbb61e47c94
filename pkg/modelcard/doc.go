// Package modelcard reads Hugging Face model cards (README.md with YAML
// front matter and Markdown sections) and turns them into draft AIMS
// documents: an AISystem, Dataset stubs for the datasets the card names,
// and aims-result/v1 files, with Evidence records, for the evaluation
// results in model-index.
//
// Nothing is dropped silently: every front matter field and section that has
// no AIMS field is kept under the system's `unmapped` field and listed in the
// Import result, and what the card lacks is left as a TODO. The package
// renders bytes and paths; it never writes to disk.
package modelcard
