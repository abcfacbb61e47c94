package aims

import (
	"reflect"
	"strings"
)

func reflectType(v any) reflect.Type { return reflect.TypeOf(v).Elem() }

func collectFields(t reflect.Type, names *[]string) {
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			collectFields(f.Type, names)
			continue
		}
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag != "" && tag != "-" {
			*names = append(*names, tag)
		}
	}
}
