package diff_test

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/aims-dev/aims/pkg/diff"
	"github.com/aims-dev/aims/pkg/gap"
	"github.com/aims-dev/aims/pkg/workspace"
)

const base = `apiVersion: aims/v1
kind: Manifest
organization: {name: Org}
---
`

func side(t *testing.T, label string, files map[string]string) diff.Side {
	t.Helper()
	fsys := fstest.MapFS{"aims.yaml": {Data: []byte(strings.TrimSuffix(base, "---\n"))}}
	for k, v := range files {
		fsys[k] = &fstest.MapFile{Data: []byte(v)}
	}
	w, err := workspace.Open(fsys)
	if err != nil {
		t.Fatal(err)
	}
	res := gap.Analyze(w.Model, w.Catalog, w.Diags, gap.Options{Now: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Tiers: w.Tiers})
	return diff.Side{Label: label, Model: w.Model, Gap: res}
}

const people = "apiVersion: aims/v1\nkind: Person\nid: ann\nname: Ann\n"

func risk(id string, l, i int) string {
	return "apiVersion: aims/v1\nkind: Risk\nid: " + id + "\ntitle: Risk " + id + "\nowner: ann\nsystems: [bot]\nsource: privacy\nlikelihood: " +
		string(rune('0'+l)) + "\nimpact: " + string(rune('0'+i)) + "\n"
}

const system = "apiVersion: aims/v1\nkind: AISystem\nid: bot\ntitle: Bot\nowner: ann\npurpose: Chat\nintended_uses: [Answer questions]\nstage: deployed\nrisk_tier: low\n"

const evidence = "apiVersion: aims/v1\nkind: Evidence\nid: ev-comms\ntitle: Comms plan\nowner: ann\nurl: https://intranet.example/comms\nsatisfies: [\"7.4\"]\ncollected: 2026-06-01\nattestation: {by: ann, on: 2026-06-01, note: plan v3 on the intranet}\n"

// communication is a 7.4 communication plan with a record that it happened.
const communication = "apiVersion: aims/v1\nkind: Communication\nid: comm-staff\ntitle: Staff updates\nowner: ann\ntopic: AI use\naudience: [Staff]\nchannel: Intranet\nfrequency: Yearly\nrecords:\n  - {date: 2026-06-01, evidence: ev-comms}\n"

func TestCompare(t *testing.T) {
	before := side(t, "v1", map[string]string{
		"people.yaml": people, "sys.yaml": system, "ev.yaml": evidence, "comms.yaml": communication,
		"risks.yaml": risk("r1", 2, 2) + "---\n" + risk("r2", 1, 1),
		"nc.yaml":    "apiVersion: aims/v1\nkind: Nonconformity\nid: nc1\ntitle: Late review\nowner: ann\nsource: incident\ndetected: 2026-05-01\nstate: open\n",
	})
	after := side(t, "working tree", map[string]string{
		"people.yaml": people, "sys.yaml": strings.Replace(system, "risk_tier: low", "risk_tier: high", 1),
		"risks.yaml": risk("r1", 3, 2) + "---\n" + risk("r3", 1, 2),
		"nc.yaml":    "apiVersion: aims/v1\nkind: Nonconformity\nid: nc1\ntitle: Late review\nowner: ann\nsource: incident\ndetected: 2026-05-01\nstate: closed\n",
	})
	r := diff.Compare(before, after)

	if got := r.Regressions(); len(got) == 0 || !cmp.Equal(got[0], diff.StatusChange{ID: "7.4", Title: "Communication", From: gap.Met, To: gap.Missing, Worse: true}) {
		t.Errorf("regressions = %+v, want 7.4 met -> missing first", got)
	}
	if diff := cmp.Diff([]diff.Item{{ID: "r3", Title: "Risk r3"}}, r.RisksAdded); diff != "" {
		t.Errorf("risks added (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]diff.Item{{ID: "r2", Title: "Risk r2"}}, r.RisksRemoved); diff != "" {
		t.Errorf("risks removed (-want +got):\n%s", diff)
	}
	if len(r.RisksRescored) != 1 || r.RisksRescored[0].FromScore != 4 || r.RisksRescored[0].ToScore != 6 {
		t.Errorf("rescored = %+v, want r1 4 -> 6", r.RisksRescored)
	}
	if len(r.EvidenceRemoved) != 1 || len(r.NonconformitiesClosed) != 1 || len(r.SystemsChanged) != 1 || r.SystemsChanged[0].To != "high" {
		t.Errorf("evidence removed %v, NCs closed %v, systems changed %v", r.EvidenceRemoved, r.NonconformitiesClosed, r.SystemsChanged)
	}

	var md bytes.Buffer
	write, err := diff.New("md")
	if err != nil {
		t.Fatal(err)
	}
	if err := write(&md, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## AIMS changes from v1 to working tree", "- 7.4 Communication: met -> missing (regression)", "- re-scored r1: Risk r1, score 4 -> 6", "- bot risk_tier: low -> high"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}

	same := diff.Compare(before, before)
	if !same.Empty() || len(same.Regressions()) != 0 {
		t.Errorf("a state compared with itself has changes: %+v", same)
	}
}
