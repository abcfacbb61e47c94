package registry

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Entry is one named value.
type Entry[T any] struct {
	Name  string
	Value T
}

// Registry is a fixed, ordered set of named values of one kind.
type Registry[T any] struct {
	noun    string // what a name names, for errors: "format", "framework"
	entries []Entry[T]
}

// New returns a registry of entries in the order given, which is the order
// Names, help texts and errors list them in. noun says what the names are.
func New[T any](noun string, entries ...Entry[T]) *Registry[T] {
	return &Registry[T]{noun: noun, entries: slices.Clone(entries)}
}

// FromMap returns a registry of the values in m, listed by sorted name.
func FromMap[T any](noun string, m map[string]T) *Registry[T] {
	var entries []Entry[T]
	for _, name := range slices.Sorted(maps.Keys(m)) {
		entries = append(entries, Entry[T]{name, m[name]})
	}
	return New(noun, entries...)
}

// Names lists the valid names.
func (r *Registry[T]) Names() []string {
	names := make([]string, len(r.entries))
	for i, e := range r.entries {
		names[i] = e.Name
	}
	return names
}

// Get returns the value named name, or an error that lists the valid names.
func (r *Registry[T]) Get(name string) (T, error) {
	for _, e := range r.entries {
		if e.Name == name {
			return e.Value, nil
		}
	}
	var zero T
	return zero, fmt.Errorf("unknown %s %q (want %s)", r.noun, name, Alternatives(r.Names()))
}

// Alternatives lists names as a choice: "md or html", "one of a, b, c".
func Alternatives(names []string) string {
	switch len(names) {
	case 1:
		return names[0]
	case 2:
		return names[0] + " or " + names[1]
	}
	return "one of " + strings.Join(names, ", ")
}
