package load

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSyntaxErrorPositionsMatchYamllint loads every broken file in
// testdata/syntax and checks that aims reports its syntax error where
// yamllint (PyYAML) does. The expected positions were recorded once with the
// command in the first line of yamllint.txt; yamllint is not needed to run
// the test. yaml.v3 alone reports only a line, and inside a flow collection
// the line where the collection started (issue 12, defect 9).
func TestSyntaxErrorPositionsMatchYamllint(t *testing.T) {
	f, err := os.Open("testdata/syntax/yamllint.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		var name string
		var wantLine, wantCol int
		fields := strings.SplitN(line, ":", 4)
		if len(fields) < 4 {
			t.Fatalf("bad line in yamllint.txt: %q", line)
		}
		name = fields[0]
		if _, err := fmt.Sscanf(fields[1]+" "+fields[2], "%d %d", &wantLine, &wantCol); err != nil {
			t.Fatalf("bad position in yamllint.txt: %q", line)
		}
		n++
		t.Run(strings.TrimSuffix(name, ".yaml"), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata/syntax", name))
			if err != nil {
				t.Fatal(err)
			}
			_, diags := ParseBytes(name, data)
			var got []string
			for _, d := range diags {
				if d.Code == CodeSyntax {
					got = append(got, d.String())
				}
			}
			want := fmt.Sprintf("%s:%d:%d: ", name, wantLine, wantCol)
			if len(got) != 1 || !strings.HasPrefix(got[0], want) {
				t.Errorf("syntax errors = %q, want one at %s (yamllint: %s)", got, want, fields[3])
			}
		})
	}
	if n < 20 {
		t.Errorf("the corpus holds %d files, want at least 20", n)
	}
}
