package report

import "testing"

// The format is --format, else the -o file's extension, else md; an
// unknown one is refused before any work, naming the valid ones.
func TestFormatFor(t *testing.T) {
	tests := []struct {
		format, file, want, err string
	}{
		{"", "", "md", ""},
		{"", "out/Report.HTML", "html", ""},
		{"", "r.htm", "html", ""},
		{"", "r.pdf", "md", ""},
		{"md", "x.html", "md", ""},
		{"html", "", "html", ""},
		{"pdf", "x.html", "", `unknown format "pdf" (want md or html)`},
	}
	for _, tt := range tests {
		t.Run(tt.format+"|"+tt.file, func(t *testing.T) {
			got, err := FormatFor(tt.format, tt.file)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Errorf("FormatFor(%q, %q) = %q, %v; want the error %q", tt.format, tt.file, got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("FormatFor(%q, %q) = %q, %v; want %q", tt.format, tt.file, got, err, tt.want)
			}
		})
	}
}

// Evidence links resolve from the folder the report is read in.
func TestLinkBase(t *testing.T) {
	tests := []struct{ from, root, want string }{
		{"/w/aims", "/w/aims", "."},
		{"/w/out", "/w/aims", "../aims"},
		{"/w", "/w/aims", "aims"},
		{"", "/w/aims", "/w/aims"}, // where the report is read is unknown
	}
	for _, tt := range tests {
		if got := LinkBase(tt.from, tt.root); got != tt.want {
			t.Errorf("LinkBase(%q, %q) = %q, want %q", tt.from, tt.root, got, tt.want)
		}
	}
}
