package schema

import (
	"regexp"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// compileRegexp is the validator's regexp engine. Most patterns in our
// schemas are ids, "^[first][rest]*$" over ASCII classes, and every id and
// reference of every document is matched against one: through package
// regexp that was a fifth of validating a document. Such a pattern gets a
// table lookup per byte; anything else goes to package regexp. Both answer
// the same (TestClassPatternMatchesRegexp): the classes are ASCII, so a
// byte of a multi-byte or invalid UTF-8 sequence is outside them, as the
// rune regexp decodes is, and "$" without the m flag is the end of the text.
func compileRegexp(pattern string) (jsonschema.Regexp, error) {
	if p, ok := parseClassPattern(pattern); ok {
		return p, nil
	}
	return regexp.Compile(pattern)
}

// classPattern matches "^[first][rest]*$".
type classPattern struct {
	src         string
	first, rest [128]bool
}

func (p *classPattern) String() string { return p.src }

func (p *classPattern) MatchString(s string) bool {
	if len(s) == 0 || s[0] >= 128 || !p.first[s[0]] {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; c >= 128 || !p.rest[c] {
			return false
		}
	}
	return true
}

// parseClassPattern recognises "^[A][B]*$" where A and B are classes of
// printable ASCII letters, digits and ".", "_", "-" (a "-" only last) with
// ranges; anything else (negation, escapes, other characters) is not ours.
func parseClassPattern(pattern string) (*classPattern, bool) {
	p := &classPattern{src: pattern}
	s, ok := cut(pattern, "^")
	if !ok {
		return nil, false
	}
	if s, ok = class(s, &p.first); !ok {
		return nil, false
	}
	if s, ok = class(s, &p.rest); !ok || s != "*$" {
		return nil, false
	}
	return p, true
}

func cut(s, prefix string) (string, bool) {
	if len(s) < len(prefix) || s[:len(prefix)] != prefix {
		return s, false
	}
	return s[len(prefix):], true
}

// class parses "[...]" at the start of s into set.
func class(s string, set *[128]bool) (string, bool) {
	s, ok := cut(s, "[")
	if !ok {
		return s, false
	}
	plain := func(c byte) bool {
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
	}
	n := 0
	for len(s) > 0 && s[0] != ']' {
		c := s[0]
		switch {
		case c == '-' && len(s) > 1 && s[1] == ']':
			set[c] = true
			s = s[1:]
		case !plain(c):
			return s, false
		case len(s) > 2 && s[1] == '-' && s[2] != ']':
			hi := s[2]
			if !plain(hi) || hi < c {
				return s, false
			}
			for x := c; x <= hi; x++ {
				set[x] = true
			}
			s = s[3:]
		default:
			set[c] = true
			s = s[1:]
		}
		n++
	}
	if n == 0 || len(s) == 0 {
		return s, false
	}
	return s[1:], true
}
