package cache

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aims-dev/aims/pkg/diag"
)

func TestStoreGetsWhatWasPut(t *testing.T) {
	s := Open(t.TempDir())
	k := NewKey([]byte("a"), []byte("b"))
	if _, ok := s.Get(k); ok {
		t.Fatal("hit in an empty cache")
	}
	s.Put(k, []byte("payload"))
	if b, ok := s.Get(k); !ok || string(b) != "payload" {
		t.Fatalf("Get = %q, %v; want the payload", b, ok)
	}
	if NewKey([]byte("ab"), []byte("")) == k {
		t.Error("parts are not delimited: (ab, \"\") and (a, b) share a key")
	}
	var off *Store
	off.Put(k, []byte("x"))
	if _, ok := off.Get(k); ok {
		t.Error("a cache that is off answered")
	}
}

func TestDirFollowsEnv(t *testing.T) {
	t.Setenv(EnvDir, "/somewhere/else")
	if got := Dir(); got != "/somewhere/else" {
		t.Errorf("Dir() = %q with %s set", got, EnvDir)
	}
	t.Setenv(EnvDir, "off")
	if Open(Dir()) != nil {
		t.Errorf("%s=off still opens a cache", EnvDir)
	}
}

// An entry renamed to another key, or changed in any byte, is a miss.
func TestStoreRefusesForeignAndCorruptEntries(t *testing.T) {
	dir := t.TempDir()
	s := Open(dir)
	a, b := NewKey([]byte("a")), NewKey([]byte("b"))
	s.Put(a, []byte("for a"))
	_, pa := s.path(a)
	raw, err := os.ReadFile(pa)
	if err != nil {
		t.Fatal(err)
	}
	shard, pb := s.path(b)
	os.MkdirAll(shard, 0o700)
	os.WriteFile(pb, raw, 0o600)
	if _, ok := s.Get(b); ok {
		t.Error("a's entry was accepted as b's")
	}
	for i := range raw {
		spoiled := append([]byte(nil), raw...)
		spoiled[i] ^= 1
		os.WriteFile(pa, spoiled, 0o600)
		if _, ok := s.Get(a); ok {
			t.Fatalf("entry with byte %d changed was accepted", i)
		}
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*", "*.tmp*")); len(m) > 0 {
		t.Errorf("temporary files left behind: %v", m)
	}
}

func TestCodecRoundTrip(t *testing.T) {
	value := map[string]any{"s": "x", "i": int64(-7), "f": 3.5, "t": true, "n": nil,
		"l": []any{int64(1), "two", []any{}, map[string]any{"k": false}}, "big": math.MaxFloat64}
	diags := diag.List{
		{Pos: diag.Pos{File: "a.yaml", Line: 3, Col: 4}, Severity: diag.Warning, Code: "C1", Msg: "m", Refs: []string{"7.5"}},
		{Pos: diag.Pos{File: "other.yaml", Line: 1, Col: 1}, Severity: diag.Error, Code: "C2", Msg: "n",
			Related: []diag.Pos{{File: "a.yaml", Line: 9, Col: 2}, {}}},
		{Severity: diag.Info, Code: "C3"},
	}
	e := &Encoder{}
	if !e.Value(value) {
		t.Fatal("Value refused a JSON-model value")
	}
	e.Diags(diags, "a.yaml")
	d := NewDecoder(e.B)
	gotV, gotD := d.Value(), d.Diags("a.yaml")
	if err := d.Done(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(any(value), gotV); diff != "" {
		t.Errorf("value (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(diags, gotD); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	if (&Encoder{}).Value(struct{}{}) {
		t.Error("Value accepted a type that is not plain data")
	}
	// Every truncation of the bytes is refused, never a panic or a huge
	// allocation.
	for i := range len(e.B) {
		d := NewDecoder(e.B[:i])
		d.Value()
		d.Diags("a.yaml")
		if d.Done() == nil {
			t.Fatalf("truncated at %d of %d bytes: accepted", i, len(e.B))
		}
	}
	huge := NewDecoder([]byte{tagList, 0xff, 0xff, 0xff, 0xff, 0x0f})
	if huge.Value(); huge.Err() == nil {
		t.Error("a list claiming 4 billion items was accepted")
	}
}
