package yamlscan

import (
	"sync"
	"unsafe"
)

// EventKind tells what an Event is.
type EventKind uint8

// Event kinds, as libyaml's parser emits them (comments left out).
const (
	StreamEnd EventKind = iota
	DocumentStart
	DocumentEnd
	Alias
	Scalar
	SequenceStart
	SequenceEnd
	MappingStart
	MappingEnd
)

// ScalarStyle is how a scalar was written.
type ScalarStyle uint8

// Scalar styles.
const (
	Plain ScalarStyle = iota
	SingleQuoted
	DoubleQuoted
	Literal
	Folded
)

// Event is one parser event. Line and Col are yaml.v3's node position
// (1-based, from the event's start mark); Anchor and Tag are the parser's
// own bytes, valid until the next call to Next. A scalar's Text is its
// own: the scanner copies each scalar's text once, out of buffers it
// reuses, and nothing writes to that copy again, so the caller keeps it
// without copying it again.
type Event struct {
	Kind        EventKind
	Line, Col   int
	Anchor, Tag []byte
	Text        string
	Style       ScalarStyle
}

// Parser yields the events of a YAML stream, as yaml.v3 consumes them to
// build its node trees, so a caller can build its own values instead.
type Parser struct {
	p  yaml_parser_t
	ev yaml_event_t
}

// parsers holds closed parsers for the next NewParser: a parser's buffers
// and stacks grow to fit a file once, not for every file.
var parsers = sync.Pool{New: func() any {
	ps := &Parser{}
	yaml_parser_initialize(&ps.p)
	return ps
}}

// NewParser parses data. Like yaml.v3, empty input is read as one newline.
func NewParser(data []byte) *Parser {
	if len(data) == 0 {
		data = []byte{'\n'}
	}
	ps := parsers.Get().(*Parser)
	yaml_parser_set_input_string(&ps.p, data)
	return ps
}

// Next fills ev with the next event. After a StreamEnd or an error it must
// not be called again.
func (ps *Parser) Next(ev *Event) *Error {
	for {
		if ps.ev.typ != yaml_NO_EVENT {
			yaml_event_delete(&ps.ev)
		}
		if !yaml_parser_parse(&ps.p, &ps.ev) || ps.p.error != yaml_NO_ERROR {
			return parseError(&ps.p)
		}
		e := &ps.ev
		*ev = Event{Line: e.start_mark.line + 1, Col: e.start_mark.column + 1, Anchor: e.anchor, Tag: e.tag}
		switch e.typ {
		case yaml_STREAM_START_EVENT, yaml_TAIL_COMMENT_EVENT:
			continue
		case yaml_STREAM_END_EVENT:
			ev.Kind = StreamEnd
		case yaml_DOCUMENT_START_EVENT:
			ev.Kind = DocumentStart
		case yaml_DOCUMENT_END_EVENT:
			ev.Kind = DocumentEnd
		case yaml_ALIAS_EVENT:
			ev.Kind = Alias
		case yaml_SCALAR_EVENT:
			ev.Kind = Scalar
			ev.Text = unsafe.String(unsafe.SliceData(e.value), len(e.value))
			s := e.scalar_style()
			switch {
			case s&yaml_DOUBLE_QUOTED_SCALAR_STYLE != 0:
				ev.Style = DoubleQuoted
			case s&yaml_SINGLE_QUOTED_SCALAR_STYLE != 0:
				ev.Style = SingleQuoted
			case s&yaml_LITERAL_SCALAR_STYLE != 0:
				ev.Style = Literal
			case s&yaml_FOLDED_SCALAR_STYLE != 0:
				ev.Style = Folded
			}
		case yaml_SEQUENCE_START_EVENT:
			ev.Kind = SequenceStart
		case yaml_SEQUENCE_END_EVENT:
			ev.Kind = SequenceEnd
		case yaml_MAPPING_START_EVENT:
			ev.Kind = MappingStart
		case yaml_MAPPING_END_EVENT:
			ev.Kind = MappingEnd
		default:
			continue
		}
		return nil
	}
}

// Close releases the parser; it must not be used again.
func (ps *Parser) Close() {
	if cap(ps.p.tokens) > maxPooledTokens {
		return // an unusually large file's stacks are not kept for the run
	}
	yaml_parser_reuse(&ps.p)
	ps.ev = yaml_event_t{}
	parsers.Put(ps)
}

const maxPooledTokens = 1 << 12
