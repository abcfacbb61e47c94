package schema

import (
	"fmt"
	"math"
	"math/big"
	"reflect"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The fast path. Almost every document of a real AIMS is valid, and the
// library spends most of a validation on machinery that only matters for
// explaining a failure: a validator, a scope and evaluation state per
// value, an error tree. fastNode mirrors a compiled schema for the
// keywords our schemas use and answers valid, invalid or unsure; a
// document it finds valid needs nothing more, and for any other answer the
// library validates it and explains every problem, as before. Each
// definite answer is exact (the same comparisons as the library, often
// its own functions: the compiled pattern, the format's Validate), and a
// keyword the mirror does not know makes its node unsure, so the fast
// path can only ever skip the library for a document the library accepts
// (TestFastPathAgrees holds both to that on thousands of broken documents).

type verdict int8

const (
	unsure verdict = iota
	valid
	invalid
)

// JSON types as bits, for a node's type keyword.
const (
	tNull = 1 << iota
	tBool
	tNumber
	tInteger
	tString
	tArray
	tObject
)

var typeBits = map[string]int{"null": tNull, "boolean": tBool, "number": tNumber, "integer": tInteger,
	"string": tString, "array": tArray, "object": tObject}

type fastNode struct {
	known  bool  // false: a keyword the mirror does not check; always unsure
	always *bool // a boolean schema: true accepts everything, false nothing
	types  int   // 0: any

	hasConst bool
	constant any
	enum     []any
	format   func(any) error

	required    []string
	props       map[string]*fastNode
	closed      bool      // additionalProperties: false
	additional  *fastNode // additionalProperties: a schema
	propNames   *fastNode
	dependentRq map[string][]string

	items    *fastNode
	minItems int // -1: none
	unique   bool

	minLength, maxLength int // -1: none
	pattern              jsonschema.Regexp

	minimum, maximum *big.Rat

	ref                  *fastNode
	allOf, anyOf, oneOf  []*fastNode
	not, cond, then, els *fastNode
}

// handled are the fields of a compiled schema the mirror checks, beside
// the annotations (which do not validate).
var handled = map[string]bool{
	"Bool": true, "ID": true, "Ref": true, "Types": true, "Const": true, "Enum": true, "Format": true,
	"Required": true, "Properties": true, "AdditionalProperties": true, "PropertyNames": true, "DependentRequired": true,
	"Items2020": true, "MinItems": true, "UniqueItems": true,
	"MinLength": true, "MaxLength": true, "Pattern": true,
	"Minimum": true, "Maximum": true,
	"AllOf": true, "AnyOf": true, "OneOf": true, "Not": true, "If": true, "Then": true, "Else": true,
}

// mirror builds the fast node of s (and of everything it reaches), once
// per schema node.
func mirror(s *jsonschema.Schema, seen map[*jsonschema.Schema]*fastNode) *fastNode {
	if s == nil {
		return nil
	}
	if n, ok := seen[s]; ok {
		return n
	}
	n := &fastNode{minItems: -1, minLength: -1, maxLength: -1}
	seen[s] = n
	v := reflect.ValueOf(s).Elem()
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if f.IsExported() && !annotations[f.Name] && !handled[f.Name] && !v.Field(i).IsZero() {
			return n // known stays false
		}
	}
	if s.DraftVersion < 2020 {
		return n
	}
	if s.Bool != nil {
		n.always, n.known = s.Bool, true
		return n
	}
	if s.Types != nil {
		for _, t := range s.Types.ToStrings() {
			n.types |= typeBits[t]
		}
	}
	if s.Const != nil {
		n.hasConst, n.constant = true, *s.Const
	}
	if s.Enum != nil {
		n.enum = s.Enum.Values
		if n.enum == nil {
			n.enum = []any{}
		}
	}
	if s.Format != nil {
		if s.Format.Validate == nil {
			return n
		}
		n.format = s.Format.Validate
	}
	n.required = s.Required
	if len(s.Properties) > 0 {
		n.props = make(map[string]*fastNode, len(s.Properties))
		for k, p := range s.Properties {
			n.props[k] = mirror(p, seen)
		}
	}
	switch a := s.AdditionalProperties.(type) {
	case nil:
	case bool:
		n.closed = !a
	case *jsonschema.Schema:
		n.additional = mirror(a, seen)
	default:
		return n
	}
	n.propNames = mirror(s.PropertyNames, seen)
	n.dependentRq = s.DependentRequired
	n.items = mirror(s.Items2020, seen)
	if s.MinItems != nil {
		n.minItems = *s.MinItems
	}
	n.unique = s.UniqueItems
	if s.MinLength != nil {
		n.minLength = *s.MinLength
	}
	if s.MaxLength != nil {
		n.maxLength = *s.MaxLength
	}
	n.pattern = s.Pattern
	n.minimum, n.maximum = s.Minimum, s.Maximum
	n.ref = mirror(s.Ref, seen)
	for _, l := range []struct {
		from []*jsonschema.Schema
		to   *[]*fastNode
	}{{s.AllOf, &n.allOf}, {s.AnyOf, &n.anyOf}, {s.OneOf, &n.oneOf}} {
		for _, x := range l.from {
			*l.to = append(*l.to, mirror(x, seen))
		}
	}
	n.not, n.cond, n.then, n.els = mirror(s.Not, seen), mirror(s.If, seen), mirror(s.Then, seen), mirror(s.Else, seen)
	n.known = true
	return n
}

// typeBitsOf is the JSON type of a value as the library sees it; 0 for a
// value it rejects (NaN, an unknown Go type) or one the mirror leaves to it.
func typeBitsOf(v any) int {
	switch v := v.(type) {
	case nil:
		return tNull
	case bool:
		return tBool
	case string:
		return tString
	case []any:
		return tArray
	case map[string]any:
		return tObject
	case int64, int:
		return tNumber | tInteger
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0
		}
		if v == math.Trunc(v) && isIntegerText(v) {
			return tNumber | tInteger
		}
		return tNumber
	}
	return 0
}

// isIntegerText is the library's own test: the number printed and read
// back as a fraction is whole.
func isIntegerText(v any) bool {
	r, ok := rat(v)
	return ok && r.IsInt()
}

// rat is the number as the library compares it: printed with %v, read
// back as a fraction.
func rat(v any) (*big.Rat, bool) {
	return new(big.Rat).SetString(fmt.Sprint(v))
}

// and combines the verdicts of keywords that must all hold.
func and(a, b verdict) verdict {
	switch {
	case a == invalid || b == invalid:
		return invalid
	case a == unsure || b == unsure:
		return unsure
	}
	return valid
}

// scalarEqual compares as the library's equals does, for the values the
// mirror compares itself; ok is false for anything else (numbers, lists,
// mappings).
func scalarEqual(a, b any) (eq, ok bool) {
	switch a := a.(type) {
	case nil:
		return b == nil, true
	case bool:
		x, isBool := b.(bool)
		return isBool && x == a, true
	case string:
		x, isString := b.(string)
		return isString && x == a, true
	}
	return false, false
}

// maxDepth bounds the schemas followed for one document: a $ref cycle
// that does not descend into the value (which the library reports) or a
// very deep document is left to the library.
const maxDepth = 64

func (n *fastNode) check(v any, depth int) verdict {
	if n == nil {
		return valid
	}
	if !n.known || depth > maxDepth {
		return unsure
	}
	if n.always != nil {
		if *n.always {
			return valid
		}
		return invalid
	}
	depth++
	t := typeBitsOf(v)
	if t == 0 {
		return unsure
	}
	if n.types != 0 && n.types&t == 0 {
		return invalid
	}
	r := valid
	if n.hasConst {
		eq, ok := scalarEqual(v, n.constant)
		if !ok {
			return unsure
		}
		if !eq {
			return invalid
		}
	}
	if n.enum != nil {
		found := false
		for _, e := range n.enum {
			eq, ok := scalarEqual(v, e)
			if !ok {
				return unsure
			}
			if eq {
				found = true
				break
			}
		}
		if !found {
			return invalid
		}
	}
	if n.format != nil && n.format(v) != nil {
		return invalid
	}
	switch v := v.(type) {
	case map[string]any:
		r = and(r, n.object(v, depth))
	case []any:
		r = and(r, n.array(v, depth))
	case string:
		r = and(r, n.str(v))
	case int64, int, float64:
		r = and(r, n.number(v))
	}
	if r == invalid {
		return r
	}
	r = and(r, n.ref.check(v, depth))
	for _, x := range n.allOf {
		r = and(r, x.check(v, depth))
	}
	if len(n.anyOf) > 0 {
		some := invalid
		for _, x := range n.anyOf {
			switch x.check(v, depth) {
			case valid:
				some = valid
			case unsure:
				if some == invalid {
					some = unsure
				}
			}
			if some == valid {
				break
			}
		}
		r = and(r, some)
	}
	if len(n.oneOf) > 0 {
		count, one := 0, valid
		for _, x := range n.oneOf {
			switch x.check(v, depth) {
			case valid:
				count++
			case unsure:
				one = unsure
			}
		}
		if one == valid && count != 1 {
			one = invalid
		}
		r = and(r, one)
	}
	if n.not != nil {
		switch n.not.check(v, depth) {
		case valid:
			r = and(r, invalid)
		case unsure:
			r = and(r, unsure)
		}
	}
	if n.cond != nil {
		switch n.cond.check(v, depth) {
		case valid:
			r = and(r, n.then.check(v, depth))
		case invalid:
			r = and(r, n.els.check(v, depth))
		default:
			r = and(r, unsure)
		}
	}
	return r
}

func (n *fastNode) object(obj map[string]any, depth int) verdict {
	for _, k := range n.required {
		if _, ok := obj[k]; !ok {
			return invalid
		}
	}
	for k, deps := range n.dependentRq {
		if _, ok := obj[k]; ok {
			for _, d := range deps {
				if _, ok := obj[d]; !ok {
					return invalid
				}
			}
		}
	}
	r := valid
	for k, x := range obj {
		if p, ok := n.props[k]; ok {
			r = and(r, p.check(x, depth))
		} else if n.closed {
			return invalid
		} else if n.additional != nil {
			r = and(r, n.additional.check(x, depth))
		}
		if n.propNames != nil {
			r = and(r, n.propNames.check(k, depth))
		}
		if r == invalid {
			return r
		}
	}
	return r
}

func (n *fastNode) array(arr []any, depth int) verdict {
	if n.minItems >= 0 && len(arr) < n.minItems {
		return invalid
	}
	r := valid
	if n.unique && len(arr) > 1 {
		seen := make(map[string]struct{}, len(arr))
		for _, x := range arr {
			s, ok := x.(string)
			if !ok {
				return unsure
			}
			if _, dup := seen[s]; dup {
				return invalid
			}
			seen[s] = struct{}{}
		}
	}
	if n.items != nil {
		for _, x := range arr {
			if r = and(r, n.items.check(x, depth)); r == invalid {
				return r
			}
		}
	}
	return r
}

func (n *fastNode) str(s string) verdict {
	if n.minLength >= 0 || n.maxLength >= 0 {
		l := utf8.RuneCountInString(s)
		if n.minLength >= 0 && l < n.minLength || n.maxLength >= 0 && l > n.maxLength {
			return invalid
		}
	}
	if n.pattern != nil && !n.pattern.MatchString(s) {
		return invalid
	}
	return valid
}

func (n *fastNode) number(v any) verdict {
	if n.minimum == nil && n.maximum == nil {
		return valid
	}
	x, ok := rat(v)
	if !ok {
		return unsure
	}
	if n.minimum != nil && x.Cmp(n.minimum) < 0 || n.maximum != nil && x.Cmp(n.maximum) > 0 {
		return invalid
	}
	return valid
}
