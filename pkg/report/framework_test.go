package report

import (
	"os"
	"strings"
	"testing"
)

// The report has a section for each framework the manifest lists besides
// ISO/IEC 42001, in the manifest's order, each item traced to the
// ISO/IEC 42001 requirements behind it; an unknown framework gets no
// section (validation reports it, AIMS-R008).
func TestFrameworkSections(t *testing.T) {
	in := open(t, os.DirFS("testdata/aims"))
	in.Model.Manifest.Frameworks = []string{"iso42001", "nist-ai-rmf", "nist-rmf", "iso27001"}
	md := render(t, "md", in, Options{})
	section := md[strings.Index(md, "## 12. Other frameworks"):]
	nist, iso27001 := strings.Index(section, "### NIST AI RMF 1.0"), strings.Index(section, "### ISO/IEC 27001:2022")
	if nist < 0 || iso27001 < nist || strings.Count(section, "\n### ") != 2 {
		t.Fatalf("want a NIST AI RMF then an ISO/IEC 27001 section, nothing else:\n%s", section)
	}
	if n := strings.Count(section[:iso27001], "\n| **GOVERN ") + strings.Count(section[:iso27001], "\n| **MAP ") +
		strings.Count(section[:iso27001], "\n| **MEASURE ") + strings.Count(section[:iso27001], "\n| **MANAGE "); n != 72 {
		t.Errorf("%d NIST AI RMF rows, want the 72 subcategories", n)
	}
	for _, want := range []string{
		"nothing here is judged separately",
		"| **GOVERN 1.3** Risk management effort scaled to risk tolerance |",
		"nist-crosswalk: NIST AI RMF to ISO/IEC 42001 crosswalk, hosted by NIST (published)",
		"| **A.8.15** Logging |",
	} {
		if !strings.Contains(section, want) {
			t.Errorf("section lacks %q", want)
		}
	}
	html := render(t, "html", in, Options{})
	for _, want := range []string{`<li><a href="#frameworks">Other frameworks</a></li>`, `<h3 id="fw-nist-ai-rmf-h">NIST AI RMF 1.0</h3>`, `<h3 id="fw-iso27001-h">ISO/IEC 27001:2022</h3>`} {
		if !strings.Contains(html, want) {
			t.Errorf("html lacks %q", want)
		}
	}
	if strings.Contains(html, "fw-nist-rmf") {
		t.Error("html has a section for the unknown framework nist-rmf")
	}
}
