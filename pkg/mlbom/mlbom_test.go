package mlbom

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/aims-dev/aims/examples"
	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/workspace"
)

var asOf = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

func northwind(t *testing.T) *aims.Model {
	t.Helper()
	fsys, err := fs.Sub(examples.Northwind, "northwind")
	if err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.Open(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return ws.Model
}

// bomSchema compiles the CycloneDX 1.6 JSON schema copied into testdata
// (with the SPDX and JSF schemas it references), offline.
func bomSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	for _, name := range []string{"bom-1.6.SNAPSHOT.schema.json", "spdx.SNAPSHOT.schema.json", "jsf-0.82.SNAPSHOT.schema.json"} {
		f, err := os.Open(filepath.Join("testdata", "schema", name))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		url := "http://cyclonedx.org/schema/" + name
		if name == "bom-1.6.SNAPSHOT.schema.json" {
			url = "http://cyclonedx.org/schema/bom-1.6.schema.json"
		}
		if err := c.AddResource(url, doc); err != nil {
			t.Fatal(err)
		}
	}
	s, err := c.Compile("http://cyclonedx.org/schema/bom-1.6.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func export(t *testing.T, m *aims.Model, systems ...string) []byte {
	t.Helper()
	bom, err := Build(m, Options{Systems: systems, Now: asOf, ToolVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := Write(&b, bom); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The ML-BOM of the complete example is valid CycloneDX 1.6, and a BOM the
// schema must refuse is refused (the check can fail).
func TestExportValidatesAgainstCycloneDX16(t *testing.T) {
	s := bomSchema(t)
	out := export(t, northwind(t))
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(doc); err != nil {
		t.Errorf("export is not valid CycloneDX 1.6: %v", err)
	}

	broken := strings.Replace(string(out), `"type": "machine-learning-model"`, `"type": "ml-model"`, 1)
	doc, err = jsonschema.UnmarshalJSON(strings.NewReader(broken))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(doc); err == nil {
		t.Error("a component of type ml-model passed the schema: the validation proves nothing")
	}
}

// The credit-scoring model card carries what the AIMS documents about it.
func TestModelCardOfCreditScoring(t *testing.T) {
	m := northwind(t)
	var bom cdx.BOM
	if err := json.Unmarshal(export(t, m, "credit-scoring"), &bom); err != nil {
		t.Fatal(err)
	}
	if bom.SpecVersion != cdx.SpecVersion1_6 || bom.Metadata.Timestamp != "2026-12-01T00:00:00Z" {
		t.Errorf("spec %v, timestamp %q", bom.SpecVersion, bom.Metadata.Timestamp)
	}
	var kinds []string
	for _, c := range *bom.Components {
		kinds = append(kinds, string(c.Type)+" "+c.BOMRef)
	}
	want := []string{"machine-learning-model credit-scoring", "data ds-credit-applications", "data ds-credit-bureau", "data ds-open-banking-features"}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Errorf("components (-want +got):\n%s", diff)
	}
	sys := m.ByID["credit-scoring"].(*aims.AISystem)
	card := (*bom.Components)[0].ModelCard
	cons := card.Considerations
	if diff := cmp.Diff(sys.IntendedUses, *cons.UseCases); diff != "" {
		t.Errorf("use cases (-intended_uses +bom):\n%s", diff)
	}
	if diff := cmp.Diff(sys.Users, *cons.Users); diff != "" {
		t.Errorf("users (-users +bom):\n%s", diff)
	}
	if n := len(*cons.TechnicalLimitations); n != len(sys.Limitations)+len(sys.OutOfScopeUses) {
		t.Errorf("%d technical limitations", n)
	}
	risks := 0
	for _, r := range m.Risks {
		for _, s := range r.Systems {
			if s == "credit-scoring" {
				risks++
			}
		}
	}
	if cons.EthicalConsiderations == nil || len(*cons.EthicalConsiderations) != risks || risks == 0 {
		t.Errorf("ethical considerations %v, want one per risk naming the system (%d)", cons.EthicalConsiderations, risks)
	}
	// Fairness assessments repeat the latest bias result with the system's thresholds.
	fa := *cons.FairnessAssessments
	if len(fa) != 9 || fa[0].GroupAtRisk != "sex: female vs male" || fa[0].Harms != "demographic_parity_difference = 0.021 (threshold at most 0.05), measured 2026-11-16" {
		t.Errorf("fairness assessments: %+v", fa)
	}
	// Quantitative analysis: the latest bias and drift values.
	types := map[string]bool{}
	for _, pm := range *card.QuantitativeAnalysis.PerformanceMetrics {
		types[pm.Type] = true
	}
	for _, want := range []string{"demographic_parity_difference", "psi_score"} {
		if !types[want] {
			t.Errorf("no %s in the quantitative analysis: %v", want, types)
		}
	}
	if deps := *bom.Dependencies; deps[0].Ref != "credit-scoring" || len(*deps[0].Dependencies) != 3 {
		t.Errorf("dependencies: %+v", deps)
	}
}

func TestUnknownSystem(t *testing.T) {
	_, err := Build(northwind(t), Options{Systems: []string{"credit-scoring", "credit-scorin"}})
	if err == nil || !strings.Contains(err.Error(), `no AI system "credit-scorin" (did you mean credit-scoring?)`) {
		t.Errorf("err = %v", err)
	}
}

// Same AIMS, same date: same bytes.
func TestExportIsDeterministic(t *testing.T) {
	m := northwind(t)
	if a, b := export(t, m), export(t, m); !bytes.Equal(a, b) {
		t.Error("two exports differ")
	}
}
