package report

import "html/template"

// ---- policies ----

type policyView struct {
	ID, Anchor string
	Link       link
	Type       string
	Version    string
	Approval   string
	Owner      string
	NextReview string
	Body       template.HTML // rendered safely by prose
	HasBody    bool
}

func (b *builder) policies() []policyView {
	var out []policyView
	for _, p := range b.m.Policies {
		pv := policyView{ID: p.ID, Anchor: anchor("pol", p.ID), Link: b.docLink(p), Type: human(p.Type), Version: p.Version,
			Approval: approval(&p.Meta), Owner: b.who(p.Owner), NextReview: p.NextReview}
		if p.Type == "ai_policy" {
			pv.Type = "AI policy"
		}
		if p.Body != "" {
			pv.HasBody = true
			pv.Body = prose(p.Body, proseOptions{headingBase: 4, dir: dirOf(p.Doc), base: b.opts.LinkBase, title: p.Title})
		}
		out = append(out, pv)
	}
	return out
}
