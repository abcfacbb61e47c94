package load

import (
	"math"
	"strconv"
	"strings"

	"github.com/aims-dev/aims/pkg/load/internal/yamlscan"
)

// The short tags yaml.v3 gives scalar nodes.
const (
	nullTag      = "!!null"
	boolTag      = "!!bool"
	strTag       = "!!str"
	intTag       = "!!int"
	floatTag     = "!!float"
	timestampTag = "!!timestamp"
	binaryTag    = "!!binary"
	mergeTag     = "!!merge"
)

// scalarNote is the diagnostic converting a scalar adds, each time it is
// converted (an alias converts its anchor's scalars again, as the node
// trees did).
type scalarNote uint8

const (
	noteNone      scalarNote = iota
	noteYAML11               // unquoted yes/no/on/off
	noteNotFinite            // a !!float that is not a finite number
	noteCustomTag            // a tag aims does not know
)

// resolveScalar fills a scalar event's tag, value and note from its text,
// explicit tag and style exactly as the node path did: yaml.v3 tagging the
// node (parser.node), then the converter reading it with Node.ShortTag and
// Node.Decode into bool, int64 or float64. It does so once per scalar and
// without yaml.v3: resolving through a node cost three resolutions, a
// deferred closure and reflection for every number. TestResolveMatchesNodes
// holds the two to the same results.
func resolveScalar(e *event, tag []byte, style yamlscan.ScalarStyle) {
	v := e.value
	explicit := len(tag) > 0 && !(len(tag) == 1 && tag[0] == '!')
	var rtag string
	var out any
	switch {
	case explicit:
		e.tag = shortTag(tag)
	case style != yamlscan.Plain:
		e.tag = strTag
	case v == "<<":
		e.tag = mergeTag
	default:
		rtag, out = resolve(v)
		e.tag = rtag
	}
	if explicit {
		switch e.tag {
		case boolTag, intTag, floatTag:
			// Decode resolves the text and accepts what fits the tag.
			rtag, out = resolve(v)
		}
	}
	e.val, e.note, e.number = v, noteNone, false
	switch e.tag {
	case nullTag:
		e.val = nil
	case boolTag:
		if rtag == boolTag {
			e.val = out
		}
	case intTag:
		// Decode into int64 takes an int; one beyond int64 fails and is
		// then decoded into float64.
		if rtag == intTag {
			switch n := out.(type) {
			case int64:
				e.val, e.number = n, true
			case uint64:
				e.val, e.number = float64(n), true
			}
		}
	case floatTag:
		// !!float accepts an int, converted, but not one beyond int64.
		var f float64
		ok := false
		switch n := out.(type) {
		case float64:
			f, ok = n, rtag == floatTag
		case int64:
			f, ok = float64(n), rtag == intTag
		}
		if ok && !math.IsInf(f, 0) && !math.IsNaN(f) {
			e.val, e.number = f, true
		} else {
			e.note = noteNotFinite
		}
	case strTag, timestampTag, binaryTag:
		if !explicit && style == yamlscan.Plain && yaml11Bool(v) {
			e.note = noteYAML11
		}
	default:
		e.note = noteCustomTag
	}
}

// shortTag is yaml.v3's shortTag of an event's resolved tag; the common
// ones do not allocate.
func shortTag(tag []byte) string {
	const long = "tag:yaml.org,2002:"
	if len(tag) < len(long) || string(tag[:len(long)]) != long {
		return string(tag)
	}
	switch rest := tag[len(long):]; string(rest) {
	case "str":
		return strTag
	case "int":
		return intTag
	case "float":
		return floatTag
	case "bool":
		return boolTag
	case "null":
		return nullTag
	case "timestamp":
		return timestampTag
	case "binary":
		return binaryTag
	case "merge":
		return mergeTag
	default:
		return "!!" + string(rest)
	}
}

// resolveHint is yaml.v3's resolveTable: which first characters may start
// something other than a string.
var resolveHint = func() (t [256]byte) {
	t['+'], t['-'] = 'S', 'S'
	for c := '0'; c <= '9'; c++ {
		t[c] = 'D'
	}
	for _, c := range "yYnNtTfFoO~" {
		t[c] = 'M'
	}
	t['.'] = '.'
	return t
}()

// resolve is yaml.v3's resolve of a plain scalar's text: its tag and value
// (nil, bool, int64, uint64 or float64; nil for text, which the caller
// has). It mirrors resolve.go of
// gopkg.in/yaml.v3 v3.0.1 branch for branch with the same strconv calls,
// with two shortcuts that give the same result: the float regexp is
// spelled out (yamlFloat), and text starting with four digits and a dash
// is not tried as a timestamp: as a timestamp it stays text (our converter
// keeps dates as strings), and no number parses with a dash there.
func resolve(in string) (string, any) {
	if in == "" {
		return nullTag, nil
	}
	hint := resolveHint[in[0]]
	if hint == 0 {
		return strTag, nil
	}
	switch in {
	case "true", "True", "TRUE":
		return boolTag, true
	case "false", "False", "FALSE":
		return boolTag, false
	case "~", "null", "Null", "NULL":
		return nullTag, nil
	case ".nan", ".NaN", ".NAN":
		return floatTag, math.NaN()
	case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
		return floatTag, math.Inf(+1)
	case "-.inf", "-.Inf", "-.INF":
		return floatTag, math.Inf(-1)
	}
	switch hint {
	case '.':
		if f, err := strconv.ParseFloat(in, 64); err == nil {
			return floatTag, f
		}
	case 'D', 'S':
		if datePrefix(in) {
			return strTag, nil
		}
		plain := in
		if strings.IndexByte(in, '_') >= 0 {
			plain = strings.ReplaceAll(in, "_", "")
		}
		if i, err := strconv.ParseInt(plain, 0, 64); err == nil {
			return intTag, i
		}
		if u, err := strconv.ParseUint(plain, 0, 64); err == nil {
			return intTag, u
		}
		if yamlFloat(plain) {
			if f, err := strconv.ParseFloat(plain, 64); err == nil {
				return floatTag, f
			}
		}
		switch {
		case strings.HasPrefix(plain, "0b"):
			if i, err := strconv.ParseInt(plain[2:], 2, 64); err == nil {
				return intTag, i
			}
			if u, err := strconv.ParseUint(plain[2:], 2, 64); err == nil {
				return intTag, u
			}
		case strings.HasPrefix(plain, "-0b"):
			if i, err := strconv.ParseInt("-"+plain[3:], 2, 64); err == nil {
				return intTag, i
			}
		case strings.HasPrefix(plain, "0o"):
			if i, err := strconv.ParseInt(plain[2:], 8, 64); err == nil {
				return intTag, i
			}
			if u, err := strconv.ParseUint(plain[2:], 8, 64); err == nil {
				return intTag, u
			}
		case strings.HasPrefix(plain, "-0o"):
			if i, err := strconv.ParseInt("-"+plain[3:], 8, 64); err == nil {
				return intTag, i
			}
		}
	}
	return strTag, nil
}

// datePrefix reports text that starts like a YAML timestamp: four digits
// and a dash.
func datePrefix(s string) bool {
	if len(s) < 5 || s[4] != '-' {
		return false
	}
	for i := range 4 {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// yamlFloat is yaml.v3's yamlStyleFloat regexp,
// ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$, without the regexp.
func yamlFloat(s string) bool {
	i := 0
	digits := func() int {
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i, n = i+1, n+1
		}
		return n
	}
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	} else {
		if digits() == 0 {
			return false
		}
		if i < len(s) && s[i] == '.' {
			i++
			digits()
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// yaml11Bool reports an unquoted word that YAML 1.1 tools read as a
// boolean: y, n, yes, no, on, off in any case. ASCII only, as
// strings.ToLower of anything else never gives one of them.
func yaml11Bool(s string) bool {
	if len(s) == 0 || len(s) > 3 {
		return false
	}
	var b [3]byte
	for i := range len(s) {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return yaml11Bools[string(b[:len(s)])]
}
