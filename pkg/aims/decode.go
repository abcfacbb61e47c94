package aims

import (
	"cmp"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// decodeValue stores a loaded JSON-model value (map[string]any, []any,
// string, int64, float64, bool, nil) into dst, a pointer, following the
// json struct tags as encoding/json would. It replaces a json.Marshal +
// json.Unmarshal round trip, which cost a tenth of a large check and half
// its garbage: the values are already JSON-shaped, so only the copy into
// the struct is needed.
//
// It follows encoding/json where our documents can differ: null leaves a
// field as it is, a number with no fraction fills an int, keys match tags
// exactly or else case-insensitively, unknown keys are ignored (the schema
// has refused them already). A value of the wrong type is an error, naming
// its JSON pointer.
func decodeValue(v any, dst any) error {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("decode into %T: want a non-nil pointer", dst)
	}
	return decodeInto(v, rv.Elem())
}

// decodeError is a value of the wrong type. Its JSON pointer is built only
// when there is an error, one segment per level on the way out: building
// it on the way in, for every value, was a third of the decode's
// allocations.
type decodeError struct {
	path []string // innermost segment first
	v    any
	typ  reflect.Type
}

func (e *decodeError) Error() string {
	var b strings.Builder
	for _, seg := range slices.Backward(e.path) {
		b.WriteString("/" + seg)
	}
	return fmt.Sprintf("%s: cannot store %T in a field of type %s", cmp.Or(b.String(), "/"), e.v, e.typ)
}

// within adds the segment of the value that err is about, if it is a
// decodeError.
func within(err error, seg string) error {
	if e, ok := err.(*decodeError); ok {
		e.path = append(e.path, seg)
	}
	return err
}

func decodeInto(v any, dst reflect.Value) error {
	if v == nil {
		return nil
	}
	switch dst.Kind() {
	case reflect.Pointer:
		if dst.IsNil() {
			dst.Set(reflect.New(dst.Type().Elem()))
		}
		return decodeInto(v, dst.Elem())
	case reflect.String:
		if s, ok := v.(string); ok {
			dst.SetString(s)
			return nil
		}
	case reflect.Bool:
		if b, ok := v.(bool); ok {
			dst.SetBool(b)
			return nil
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		switch n := v.(type) {
		case int64:
			if !dst.OverflowInt(n) {
				dst.SetInt(n)
				return nil
			}
		case float64:
			if n == math.Trunc(n) && n >= math.MinInt64 && n < math.MaxInt64 && !dst.OverflowInt(int64(n)) {
				dst.SetInt(int64(n))
				return nil
			}
		}
	case reflect.Float64, reflect.Float32:
		switch n := v.(type) {
		case int64:
			dst.SetFloat(float64(n))
			return nil
		case float64:
			dst.SetFloat(n)
			return nil
		}
	case reflect.Slice:
		if a, ok := v.([]any); ok {
			s := reflect.MakeSlice(dst.Type(), len(a), len(a))
			for i, e := range a {
				if err := decodeInto(e, s.Index(i)); err != nil {
					return within(err, strconv.Itoa(i))
				}
			}
			dst.Set(s)
			return nil
		}
	case reflect.Map:
		if m, ok := v.(map[string]any); ok && dst.Type().Key().Kind() == reflect.String {
			if dst.IsNil() {
				dst.Set(reflect.MakeMapWithSize(dst.Type(), len(m)))
			}
			// One key and one value for every entry: SetMapIndex copies them.
			kv := reflect.New(dst.Type().Key()).Elem()
			ev := reflect.New(dst.Type().Elem()).Elem()
			for k, e := range m {
				ev.SetZero()
				if err := decodeInto(e, ev); err != nil {
					return within(err, k)
				}
				kv.SetString(k)
				dst.SetMapIndex(kv, ev)
			}
			return nil
		}
	case reflect.Struct:
		if m, ok := v.(map[string]any); ok {
			fields := jsonFields(dst.Type())
			for k, e := range m {
				f, ok := fields.byName[k]
				if !ok {
					if f, ok = fields.fold(k); !ok {
						continue
					}
				}
				if err := decodeInto(e, fieldByIndex(dst, f.index)); err != nil {
					return within(err, k)
				}
			}
			return nil
		}
	case reflect.Interface:
		if dst.NumMethod() == 0 {
			dst.Set(reflect.ValueOf(v))
			return nil
		}
	}
	return &decodeError{v: v, typ: dst.Type()}
}

// fieldByIndex is reflect.Value.FieldByIndex that allocates nil embedded
// pointers on the way, as encoding/json does.
func fieldByIndex(v reflect.Value, index []int) reflect.Value {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v
}

type field struct {
	name  string
	index []int
}

type structFields struct {
	byName map[string]field
	list   []field
}

func (s *structFields) fold(k string) (field, bool) {
	for _, f := range s.list {
		if strings.EqualFold(f.name, k) {
			return f, true
		}
	}
	return field{}, false
}

var fieldCache sync.Map // reflect.Type -> *structFields

// jsonFields lists the JSON fields of a struct type, embedded structs'
// fields promoted, shallower names winning, as encoding/json does.
func jsonFields(t reflect.Type) *structFields {
	if f, ok := fieldCache.Load(t); ok {
		return f.(*structFields)
	}
	s := &structFields{byName: map[string]field{}}
	depth := map[string]int{}
	var walk func(t reflect.Type, index []int)
	walk = func(t reflect.Type, index []int) {
		for i := range t.NumField() {
			sf := t.Field(i)
			tag := sf.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			idx := append(append([]int(nil), index...), i)
			ft := sf.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if sf.Anonymous && name == "" && ft.Kind() == reflect.Struct {
				walk(ft, idx)
				continue
			}
			if !sf.IsExported() {
				continue
			}
			if name == "" {
				name = sf.Name
			}
			if d, ok := depth[name]; ok && d <= len(idx) {
				continue
			}
			depth[name] = len(idx)
			s.byName[name] = field{name: name, index: idx}
		}
	}
	walk(t, nil)
	for _, f := range s.byName {
		s.list = append(s.list, f)
	}
	slices.SortFunc(s.list, func(a, b field) int { return strings.Compare(a.name, b.name) })
	f, _ := fieldCache.LoadOrStore(t, s)
	return f.(*structFields)
}
