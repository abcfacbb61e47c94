// Package yamlscan runs yaml.v3's port of the libyaml scanner and parser
// (copied from gopkg.in/yaml.v3 v3.0.1, see LICENSE; our changes are marked
// [aims]: scalars scanned into reused buffers and copied once, parsers
// reused, no copies of tag directives) over a file without building any
// tree, and yields its events (events.go) for the loader to build values
// from.
//
// aims needs two things yaml.v3 does not expose: where exactly a syntax error
// is (yaml.v3 reports only a line, and for an error inside a flow collection
// the line where the collection started, not where the problem is), and how
// many values a file will produce before yaml.v3 allocates a node for each.
// Scanning costs a fraction of building the tree and allocates almost
// nothing per value, so a hostile file is refused cheaply.
package yamlscan

import "strconv"

// Error is a syntax error at the offending token, 1-based, columns counted
// in characters as editors and PyYAML/yamllint count them.
type Error struct {
	Line, Col int
	Msg       string
}

func (e *Error) Error() string { return e.Msg }

// Scan parses data and counts the values it holds (scalars, sequences,
// mappings and aliases, with aliases not expanded), stopping as soon as the
// count exceeds max (it then returns max+1). A syntax error stops the scan
// and is returned with its position.
func Scan(data []byte, max int) (values int, err *Error) {
	var p yaml_parser_t
	if !yaml_parser_initialize(&p) {
		return 0, &Error{Line: 1, Col: 1, Msg: "cannot initialise the YAML parser"}
	}
	defer yaml_parser_delete(&p)
	yaml_parser_set_input_string(&p, data)
	var ev yaml_event_t
	for {
		// A parse can succeed with the error set (yaml.v3 issue #666); it
		// then yields no more events and the scan would never end.
		if !yaml_parser_parse(&p, &ev) || p.error != yaml_NO_ERROR {
			return values, parseError(&p)
		}
		switch ev.typ {
		case yaml_SCALAR_EVENT, yaml_SEQUENCE_START_EVENT, yaml_MAPPING_START_EVENT, yaml_ALIAS_EVENT:
			values++
			if values > max {
				yaml_event_delete(&ev)
				return values, nil
			}
		case yaml_STREAM_END_EVENT:
			yaml_event_delete(&ev)
			return values, nil
		}
		yaml_event_delete(&ev)
	}
}

func parseError(p *yaml_parser_t) *Error {
	mark := p.problem_mark
	msg := p.problem
	if msg == "" {
		msg = "unknown syntax error"
	}
	if p.error == yaml_READER_ERROR {
		// The reader counts bytes only; the caller rejects invalid text
		// before parsing, so this is rare.
		return &Error{Line: 1, Col: 1, Msg: msg}
	}
	if msg == "found unknown escape character" {
		// libyaml marks the backslash; PyYAML, yamllint and editors the
		// character after it, which is the one that is wrong.
		mark.column++
	}
	if p.context != "" {
		msg += " " + p.context
		if p.context_mark.line != mark.line || p.context_mark.column != mark.column {
			msg += " started at line " + strconv.Itoa(p.context_mark.line+1)
		}
	}
	return &Error{Line: mark.line + 1, Col: mark.column + 1, Msg: msg}
}
