// Package workspace opens an AIMS and runs the checking pipeline over it:
// load -> schema -> decode -> link. It finds the AIMS root (the folder holding
// aims.yaml, at or above the start folder, else the only one below it) and
// reads either the working tree, through an os.Root that no
// symlink can escape, or any fs.FS such as a git revision.
//
// Each stage is a plain function in its own package; this package only wires
// them together so commands and tests run the same pipeline, and answers
// questions about the workspace itself: where it was read from (Source,
// Label), document control from git, which findings lie in given files. It
// prints nothing and never exits.
package workspace
