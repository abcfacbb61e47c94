package load

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// trickyYAML exercises what the event builder must resolve exactly as the
// yaml.v3 node trees did.
var trickyYAML = []string{
	"a: &x {b: 1, c: [yes, no, 'on', Off]}\nd: *x\ne: [*x, *x]\n",
	"base: &b {x: 1, y: 2}\nmore: &m {z: 3}\nitem:\n  <<: [*b, *m]\n  x: 9\n",
	"item:\n  x: 1\n  <<: *b\n",
	"b: &b {x: 1}\nitem: {<<: *b, <<: {q: 1}, '<<': 2, ! <<: {r: 1}, !!merge <<: {s: 1}}\n",
	"a: &a [*a]\n",
	"a: &a {k: *a}\n",
	"a: &a {<<: *a}\n",
	"a: &a {x: 1, <<: [*a, {y: 2}]}\nb: {<<: *a}\n",
	"a: &a [1, [2, *a]]\nb: *a\n",
	"<<: scalar\n<<: [1, {a: 1}]\n",
	"a: 1\na: 2\nb: {c: 1, c: 2}\n",
	"? [a, b]\n: 1\n*x : 2\n",
	"k: &k key\n*k : 1\n",
	"{a: 1}: x\n[1]: y\n? |\n  lit\n: z\n",
	"n: [~, null, Null, NULL, '', ]\nb: [true, True, FALSE, y, Y, n, yes, No, ON, off]\n",
	"i: [0x1F, 0o17, 017, 1_000, +1, -0, 9223372036854775807, 9223372036854775808, -9223372036854775809, 0b101]\n",
	"f: [7.4, 1e3, .5, -.Inf, .inf, .NaN, 1.0e+400, 6.8523015e+5, 685.230_15e+03, +.inf]\n",
	"t: [2025-06-19, 2001-12-14t21:59:43.10-05:00, 2002-12-14, '2025-06-19']\n",
	"s: [!!str yes, !!str 1, !!int '3', !!int x, !!bool yes, !!bool 'true', !!float 1, !!float x, !!null x, !!binary aGk=, !custom v, !<tag:example.com,2000:x> y, ! 12, ! yes]\n",
	"q: [\"yes\", 'no', |\n  on\n, >\n  off\n]\n",
	"---\n---\n- x\n---\nscalar\n--- *a\n",
	"---\nfirst: &f {a: 1}\n---\nsecond: *f\n---\nthird: *missing\n",
	"a: &x 1\nb: &x 2\nc: *x\n",
	"apiVersion: aims/v1\nkind: Risk\nid: 7.4\nclauses: [7.4, 8.10, 6.1.2, 10]\n",
	"kind: Risk\nid: r\n",
	"apiVersion: other/v1\nkind: X\n",
	"key: \"unterminated\n",
	"a: 1\n b: 2\n",
	"a: [1, 2\n",
	"%YAML 1.1\n---\na: 1\n",
	"%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n",
	"a/b: 1\n'~c': 2\n",
	"deep: " + strings.Repeat("[", 110) + strings.Repeat("]", 110) + "\n",
	"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
	"- a\n- b: 1\n  c: 2\n",
	"a:\n  - x\n  -\n  - {}\n",
	"\ufeffa: 1\n",
	"a: 'x' # c\n# tail\nb: 2\n# foot\n",
	"",
	"# only a comment\n",
	"a: 1\n...\n---\nb: 2\n",
	"a: !!map {b: 1}\nc: !!seq [1]\nd: !!str\n",
}

// TestEventsMatchNodes holds parseYAML to the yaml.v3 tree path it replaced
// (nodes_test.go): on every YAML and Markdown file of the repository's
// examples and test data, the fuzz seeds and trickyYAML, both give the same
// documents (values, positions, raw numbers), diagnostics and budget, with
// generous and with tight limits; so do ReadData's parse and the front
// matter check.
func TestEventsMatchNodes(t *testing.T) {
	inputs := map[string][]byte{}
	for i, s := range trickyYAML {
		inputs["tricky/"+strconv.Itoa(i)+".yaml"] = []byte(s)
		inputs["tricky/"+strconv.Itoa(i)+".md"] = []byte("---\n" + s + "---\nbody\n")
	}
	for _, root := range []string{"../../examples", "../../testdata", "../../pkg", "../../cmd"} {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			switch {
			case strings.Contains(p, "/testdata/fuzz/"):
				for _, line := range strings.Split(string(data), "\n") {
					if q, ok := strings.CutPrefix(line, "[]byte("); ok {
						if s, err := strconv.Unquote(strings.TrimSuffix(q, ")")); err == nil {
							inputs[p+".yaml"] = []byte(s)
							inputs[p+".md"] = []byte(s)
						}
					}
				}
			case strings.HasSuffix(p, ".txtar"):
				// testscript files: each YAML or Markdown file inside.
				parts := strings.Split(string(data), "\n-- ")
				for _, part := range parts[1:] {
					name, body, _ := strings.Cut(part, " --\n")
					inputs[p+"/"+name] = []byte(body)
				}
			default:
				inputs[p] = data
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	for name, data := range inputs {
		switch strings.ToLower(filepath.Ext(name)) {
		case ".yaml", ".yml", ".md", ".markdown":
		default:
			continue
		}
		n += compareParses(t, name, data)
	}
	if n < 500 {
		t.Errorf("compared only %d parses; the corpus went missing", n)
	}
	t.Logf("%d parses compared", n)
}

// cmpAll shows how two parses differ: documents by what they hold, their
// positions decoded, everything else field by field.
var cmpAll = cmp.Options{cmpSet, cmp.Exporter(func(reflect.Type) bool { return true })}

// settle decodes a document's positions and drops their encoding, which
// records them in the order the parse met them: two parses are then equal
// when they hold the same positions (reflect.DeepEqual, which is much
// faster than cmp over the whole corpus).
func settle(d *Document) {
	if d != nil {
		d.positions()
		d.posEnc = nil
	}
}

func settleAll(r fileResult) {
	for _, d := range r.docs {
		settle(d)
	}
	for _, u := range r.undeclared {
		settle(u.doc)
	}
}

// compareParses parses data through both paths under generous and tight
// limits, and reads it as ReadData and the front matter check do, and
// reports any difference; it returns the parses compared.
func compareParses(t *testing.T, name string, data []byte) int {
	t.Helper()
	if f := prepare(name, data, Limits{}.orDefault()); !f.done {
		// ReadData and the front matter check read the same data.
		oldDoc, oldDiags := readDataNodes(name, f.data)
		doc, diags := readData(name, f.data)
		settle(oldDoc)
		settle(doc)
		if !reflect.DeepEqual(oldDoc, doc) || !reflect.DeepEqual(oldDiags, diags) {
			t.Errorf("%s: readData differs from nodes (-nodes +events):\n%s%s", name,
				cmp.Diff(oldDoc, doc, cmpAll), cmp.Diff(oldDiags, diags))
		}
		if old, got := aimsFrontMatterNodes(f.data), aimsFrontMatter(f.data); old != got {
			t.Errorf("%s: aimsFrontMatter is %v through nodes, %v through events", name, old, got)
		}
	}
	n := 0
	for _, lim := range []Limits{{}, {FileValues: 40, RunValues: 60}, {FileValues: 1000, RunValues: 30}} {
		lim = lim.orDefault()
		f := prepare(name, data, lim)
		if f.done {
			continue
		}
		offset := 0
		if f.markdown {
			offset = 1
		}
		var runOld, runNew atomic.Int64
		runOld.Store(20)
		runNew.Store(20)
		old := parseYAMLNodes(name, f.data, offset, &budget{lim: lim, run: &runOld})
		got := parseYAML(name, f.data, offset, &budget{lim: lim, run: &runNew})
		n++
		settleAll(old)
		settleAll(got)
		if !reflect.DeepEqual(old, got) || runOld.Load() != runNew.Load() {
			t.Errorf("%s with %+v: events differ from nodes (-nodes +events):\n%s\nrun budget %d, %d", name, lim,
				cmp.Diff(old, got, cmpAll), runOld.Load(), runNew.Load())
		}
	}
	return n
}

// FuzzEventsMatchNodes looks for input on which the two paths disagree.
func FuzzEventsMatchNodes(f *testing.F) {
	for _, s := range trickyYAML {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		compareParses(t, "x.yaml", data)
		compareParses(t, "y.md", data)
	})
}

// scalarCases are texts that reach every branch of yaml.v3's resolve (and
// of resolve.go, which mirrors it): null, booleans of YAML 1.2 and 1.1,
// ints in every base with signs, underscores and overflow, floats with and
// without the regexp's parts, infinities and NaN, timestamps, and text.
var scalarCases = []string{
	"", "~", "null", "Null", "NULL", "nULL",
	"true", "True", "TRUE", "tRUE", "false", "False", "FALSE",
	"y", "Y", "n", "N", "yes", "Yes", "YES", "yEs", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "yeſ", "ｙes",
	"0", "-0", "+0", "1", "+1", "-1", "007", "017", "08", "0x1F", "0X1F", "0x_1F", "+0x1F", "-0x1F", "0x", "0xG",
	"0o17", "0O17", "0o8", "-0o17", "0o", "-0o", "0b101", "0B101", "-0b101", "+0b101", "0b", "-0b", "0b2",
	"1_000", "_1", "1_", "1__0", "-1_0", "+_1",
	"9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
	"18446744073709551615", "18446744073709551616", "-18446744073709551616",
	"0b" + strings.Repeat("1", 64), "0b" + strings.Repeat("1", 65), "-0b" + strings.Repeat("1", 64),
	"0o1777777777777777777777", "0o" + strings.Repeat("7", 30), "-0o" + strings.Repeat("7", 22),
	"0x" + strings.Repeat("F", 16), "0x" + strings.Repeat("F", 17),
	"7.4", "8.10", "6.1.2", "10", "1e3", "1E3", "1e+3", "1e-3", ".5", ".5e3", ".", ".e3", "1.", "-1.", "+.5", "-.5",
	"1.0e+400", "-1e400", "1e-400", "685.230_15e+03", "1_000.5", ".5_0", "0x1p-2", "0x1.8p1", "1e", "e3", "1e3.5",
	"1_e3", "0.0", "-0.0", "00.5", "1.5e3_0", "1.5e", "+", "-", "--1", "1-2", "1,000", "10:30",
	"Inf", "inf", "+inf", "-Inf", "NaN", "nan", "infinity", "+Infinity",
	".nan", ".NaN", ".NAN", ".nAn", ".inf", ".Inf", ".INF", ".iNf", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", "+.nan",
	"2025-06-19", "2025-6-9", "2001-12-14t21:59:43.10-05:00", "2001-12-14T21:59:43.10Z", "2001-12-14 21:59:43.10",
	"2025-13-45", "1234-", "12345-6", "2025-06-19x", "-2025-06-19", "+2025-06-19", "202-06-19", "2025-06-19e3",
	"abc", "x1", "<<", "<", "7.4.1", "v1", "aims/v1", "O", "o", "Off-line", "TRUE ", "a b",
}

// scalarTags are the ways a scalar can be tagged.
var scalarTags = []string{
	"", "!", "!!str", "!!int", "!!float", "!!bool", "!!null", "!!timestamp", "!!binary", "!!merge", "!!map",
	"!custom", "!<tag:yaml.org,2002:float>", "!<tag:yaml.org,2002:str>", "!<tag:example.com,2000:x>",
}

// scalarYAML writes v with tag in every scalar style, as a list of values
// and, in a second document, as keys of mappings (where "<<" merges); both
// are mappings, so their values are compared, not only their diagnostics.
func scalarYAML(v, tag string) (values, keys string) {
	if tag != "" {
		tag += " "
	}
	single := "'" + strings.ReplaceAll(v, "'", "''") + "'"
	double := `"` + strings.ReplaceAll(strings.ReplaceAll(v, `\`, `\\`), `"`, `\"`) + `"`
	values = "v:\n- " + tag + v + "\n- " + tag + single + "\n- " + tag + double + "\n- " + tag + "|\n  " + v + "\n- [" + tag + v + "]\n"
	keys = "a: " + tag + v + "\nm:\n  " + tag + v + ": {x: 1}\n  y: 2\n  " + tag + single + ": 3\n"
	return values, keys
}

// TestResolveMatchesNodes holds resolve.go to yaml.v3's resolution through
// its nodes, as the converter read them: every text of scalarCases with
// every tag of scalarTags in every style, as values and as keys; values,
// numbers' text, tags' diagnostics and merges must all be the same.
func TestResolveMatchesNodes(t *testing.T) {
	for _, v := range scalarCases {
		for _, tag := range scalarTags {
			values, keys := scalarYAML(v, tag)
			compareParses(t, "values.yaml", []byte(values))
			compareParses(t, "keys.yaml", []byte(keys))
		}
	}
}

// FuzzResolveMatchesNodes looks for a scalar text that the two resolve
// differently.
func FuzzResolveMatchesNodes(f *testing.F) {
	for _, v := range scalarCases {
		f.Add(v, uint8(0))
	}
	f.Fuzz(func(t *testing.T, v string, tag uint8) {
		if strings.ContainsAny(v, "\n\r#:{}[],&*!|>'\"%@`") {
			return // not one plain scalar
		}
		values, keys := scalarYAML(v, scalarTags[int(tag)%len(scalarTags)])
		compareParses(t, "values.yaml", []byte(values))
		compareParses(t, "keys.yaml", []byte(keys))
	})
}
