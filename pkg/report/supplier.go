package report

import "strings"

// ---- suppliers ----

type supplierView struct {
	Link       link
	ID         string
	Type       string
	Provides   string
	Diligence  string
	Result     string
	NextReview string
	Overdue    bool
	Contract   string
}

func (b *builder) suppliers() []supplierView {
	var out []supplierView
	for _, s := range b.m.Suppliers {
		sv := supplierView{Link: b.docLink(s), ID: s.ID, Type: human(s.Type), Provides: strings.Join(s.Provides, "; "), Contract: s.Contract}
		sv.Diligence, sv.Result = "none", "none"
		if dd := s.DueDiligence; dd != nil {
			sv.Diligence = dd.Performed
			if dd.PerformedBy != "" {
				sv.Diligence += " by " + b.who(dd.PerformedBy)
			}
			sv.Result = human(dd.Result)
			sv.NextReview = dd.NextReview
			verdict, _ := b.in.Gap.Supplier(s.ID)
			sv.Overdue = verdict.DiligenceOverdue
		}
		out = append(out, sv)
	}
	return out
}
