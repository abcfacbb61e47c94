package registry

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestGetAndNames(t *testing.T) {
	r := New("format", Entry[int]{"md", 1}, Entry[int]{"html", 2})
	if diff := cmp.Diff([]string{"md", "html"}, r.Names()); diff != "" {
		t.Errorf("names keep the declared order (-want +got):\n%s", diff)
	}
	if v, err := r.Get("html"); err != nil || v != 2 {
		t.Errorf("Get(html) = %d, %v", v, err)
	}
	tests := []struct {
		name string
		r    *Registry[int]
		want string
	}{
		{"two", r, `unknown format "pdf" (want md or html)`},
		{"many sorted", FromMap("format", map[string]int{"text": 1, "json": 2, "sarif": 3}), `unknown format "pdf" (want one of json, sarif, text)`},
		{"one", New("framework", Entry[int]{"iso42001", 1}), `unknown framework "pdf" (want iso42001)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := tt.r.Get("pdf")
			if err == nil || err.Error() != tt.want || v != 0 {
				t.Errorf("Get(pdf) = %d, %v; want the error %q", v, err, tt.want)
			}
		})
	}
}

// A registry never changes after it is built, even when the caller's slice does.
func TestEntriesCopied(t *testing.T) {
	entries := []Entry[string]{{"a", "x"}}
	r := New("format", entries...)
	entries[0].Name = "b"
	if _, err := r.Get("a"); err != nil {
		t.Errorf("the registry changed with its caller's slice: %v", err)
	}
	r.Names()[0] = "c"
	if _, err := r.Get("a"); err != nil {
		t.Errorf("the registry changed through Names: %v", err)
	}
}
