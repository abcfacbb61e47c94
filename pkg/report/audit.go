package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/aims-dev/aims/pkg/aims"
)

// ---- audits ----

type auditView struct {
	Link        link
	ID          string
	Type        string
	State       string
	Date        string
	Scope       string
	Auditor     string
	Independent string
	Findings    []auditFinding
	Summary     string
	Report      link
}

type auditFinding struct {
	ID, Type, Requirement, Description string
	NC                                 link
}

func (b *builder) audits() []auditView {
	as := slices.Clone(b.m.Audits)
	slices.SortStableFunc(as, func(x, y *aims.Audit) int { return cmp.Or(cmp.Compare(y.Date, x.Date), cmp.Compare(x.ID, y.ID)) })
	var out []auditView
	for _, a := range as {
		out = append(out, b.audit(a))
	}
	return out
}

func (b *builder) audit(a *aims.Audit) auditView {
	av := auditView{Link: b.docLink(a), ID: a.ID, Type: human(a.Type), State: human(a.State), Date: a.Date, Scope: strings.Join(a.Scope, ", "),
		Auditor: "not recorded", Independent: "not recorded"}
	if au := a.Auditor; au != nil {
		av.Auditor = au.Name
		if au.Organization != "" {
			av.Auditor += " (" + au.Organization + ")"
		}
		if au.Independent != nil {
			av.Independent = "no"
			if *au.Independent {
				av.Independent = "yes"
			}
		}
	}
	n := map[string]int{}
	for _, f := range a.Findings {
		n[f.Type]++
		af := auditFinding{ID: f.ID, Type: human(f.Type), Requirement: f.Requirement, Description: f.Description}
		if f.Nonconformity != "" {
			af.NC = link{Text: f.Nonconformity, Href: "#" + anchor("nc", f.Nonconformity)}
		}
		av.Findings = append(av.Findings, af)
	}
	var parts []string
	for _, t := range []string{"major", "minor", "observation", "opportunity"} {
		if n[t] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[t], t))
		}
	}
	av.Summary = cmp.Or(strings.Join(parts, ", "), "none")
	if a.Report != "" {
		av.Report = b.refLink(a.Report)
	}
	return av
}
