package gap

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/diag"
)

// soaRow is where a control's SoA decision lives.
type soaRow struct {
	soa *aims.Applicability
	i   int
	row aims.ControlRow
}

func (a *analyzer) soaRows() map[string]soaRow {
	rows := map[string]soaRow{}
	for _, s := range a.m.SoAs {
		for i, r := range s.Controls {
			if _, dup := rows[r.Control]; !dup {
				rows[r.Control] = soaRow{s, i, r}
			}
		}
	}
	return rows
}

func (a *analyzer) checkSoA() {
	if len(a.m.SoAs) == 0 {
		if a.m.HasInvalid("Applicability") {
			return // its schema errors say what is wrong
		}
		a.report("AIMS-G010", diag.Pos{}, "no Statement of Applicability: add an Applicability document listing all %d Annex A controls", len(a.cat.ControlIDs()))
		return
	}
	seen := map[string]diag.Pos{}
	for _, s := range a.m.SoAs {
		for i, r := range s.Controls {
			p := pos(s.Doc, "controls", i, "control")
			if first, dup := seen[r.Control]; dup {
				a.emit("AIMS-G012", -1, p, []diag.Pos{first}, fmt.Sprintf("control %s is listed twice", r.Control))
				continue
			}
			seen[r.Control] = p
			switch {
			case !r.Applicable && strings.TrimSpace(r.Justification) == "":
				a.report("AIMS-G013", pos(s.Doc, "controls", i, "applicable"), "control %s is excluded without a justification", r.Control)
			case r.Applicable && r.Implementation == "":
				a.report("AIMS-G016", p, "applicable control %s has no implementation status", r.Control)
			case r.Applicable && len(r.Evidence) == 0 && (r.Implementation == "implemented" || r.Implementation == "partial"):
				a.report("AIMS-G015", p, "control %s is recorded as %s but lists no evidence", r.Control, r.Implementation)
			}
			for j, id := range r.Evidence {
				if e, ok := a.m.ByID[id].(*aims.Evidence); ok && !slices.Contains(e.Satisfies, r.Control) {
					a.report("AIMS-G017", pos(s.Doc, "controls", i, "evidence", j), "control %s cites evidence %s, which does not list %s in its satisfies", r.Control, id, r.Control)
				}
			}
		}
	}
	var missing []string
	for _, id := range a.cat.ControlIDs() {
		if _, ok := seen[id]; !ok {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		s := a.m.SoAs[0]
		a.report("AIMS-G011", pos(s.Doc, "controls"), "%d Annex A control%s missing from the Statement of Applicability: %s",
			len(missing), pluralS(len(missing)), strings.Join(missing, ", "))
	}

	// A control relied on elsewhere cannot be excluded.
	rows := a.soaRows()
	used := func(ctrl, by string) {
		if r, ok := rows[ctrl]; ok && !r.row.Applicable {
			a.report("AIMS-G014", pos(r.soa.Doc, "controls", r.i, "applicable"), "control %s is excluded but %s relies on it", ctrl, by)
		}
	}
	for _, r := range a.m.Risks {
		if r.Treatment != nil {
			for _, c := range r.Treatment.Controls {
				used(c, "the treatment of risk "+r.ID)
			}
		}
	}
	for _, ia := range a.m.ImpactAssessments {
		for _, mt := range ia.Mitigations {
			for _, c := range mt.Controls {
				used(c, "a mitigation in impact assessment "+ia.ID)
			}
		}
	}
}

func pluralS(n int) string {
	if n == 1 {
		return " is"
	}
	return "s are"
}

// validEvidence judges every Evidence document once; SoA rows and
// requirements reuse the verdicts.
func (a *analyzer) checkEvidence() {
	a.evidence = map[string]Support{}
	for _, e := range a.m.Evidence {
		s := Support{Kind: "Evidence", ID: e.ID, Title: e.Name(), Valid: true}
		if e.Doc != nil {
			s.File, s.Line = e.Doc.File, e.Doc.Start().Line
		}
		var notes []string
		invalid := func(n string) { s.Valid = false; notes = append(notes, n) }
		if a.hasTODO(e.Doc) {
			invalid("still holds template TODOs")
		}
		if e.Path != "" && a.opts.FileExists != nil && !a.opts.FileExists(e.Path) {
			invalid("its file " + e.Path + " is missing")
		}
		if e.Owner == "" {
			a.report("AIMS-G021", pos(e.Doc), "evidence %s has no owner", e.ID)
			invalid("no owner")
		}
		expiry, basis, fromGit, known := a.expiry(e)
		st := EvidenceState{ID: e.ID, State: "current", Basis: displayBasis(e, known, fromGit, a.maxAge)}
		switch {
		case !known:
			invalid("no collected date, so its age is unknown")
			st.State = "undated"
		case a.now.After(expiry):
			late := int(a.now.Sub(expiry).Hours() / 24)
			sev := diag.Warning
			st.State = "grace"
			if late > a.grace {
				sev = diag.Error
				st.State = "stale"
				invalid("stale since " + expiry.Format("2006-01-02"))
			} else {
				notes = append(notes, fmt.Sprintf("stale since %s (grace period)", expiry.Format("2006-01-02")))
			}
			a.reportSev("AIMS-G020", sev, a.freshnessPos(e), "evidence %s is stale: %s ended %s (%d day%s ago)", e.ID, basis, expiry.Format("2006-01-02"), late, plural(late))
		case expiry.Sub(a.now).Hours()/24 <= ExpiringDays:
			st.State = "expiring"
		}
		if known {
			st.Expires = expiry.AddDate(0, 0, -1).Format("2006-01-02")
		}
		if fromGit {
			notes = append(notes, "age taken from the last commit that changed it")
		}
		s.Note = strings.Join(notes, "; ")
		a.evidence[e.ID] = s
		st.Counts, st.Note = s.Valid, s.Note
		a.states = append(a.states, st)
		a.supports(s, e.Satisfies...)
	}
	// The SoA links evidence to controls too.
	for _, soa := range a.m.SoAs {
		for _, r := range soa.Controls {
			for _, id := range r.Evidence {
				if s, ok := a.evidence[id]; ok && !a.has(r.Control, id) {
					a.supports(s, r.Control)
				}
			}
		}
	}
}

// displayBasis says in a report what an evidence's expiry comes from.
func displayBasis(e *aims.Evidence, known, fromGit bool, maxAge int) string {
	var b string
	switch {
	case !known:
		return "no collected date"
	case e.ValidUntil != "":
		return "valid until"
	case e.ReviewIntervalDays > 0:
		b = fmt.Sprintf("review every %d days", e.ReviewIntervalDays)
	default:
		b = fmt.Sprintf("maximum age %d days", maxAge)
	}
	if fromGit {
		b += " from the last commit"
	}
	return b
}

// expiry is when evidence goes stale and on what basis.
func (a *analyzer) expiry(e *aims.Evidence) (t time.Time, basis string, fromGit, known bool) {
	if d, ok := parseDate(e.ValidUntil); ok {
		return d.AddDate(0, 0, 1), "valid_until", false, true
	}
	collected, ok := parseDate(e.Collected)
	if !ok {
		if a.opts.LastChanged == nil || e.Path == "" {
			a.report("AIMS-G022", pos(e.Doc), "evidence %s has no collected date and no git history to date it", e.ID)
			return time.Time{}, "", false, false
		}
		lc, ok := a.opts.LastChanged(strings.TrimPrefix(e.Path, "./"))
		if !ok {
			a.report("AIMS-G022", pos(e.Doc), "evidence %s has no collected date and its file has no git history", e.ID)
			return time.Time{}, "", false, false
		}
		a.report("AIMS-G022", pos(e.Doc), "evidence %s has no collected date; its age is taken from the last commit that changed %s (%s)", e.ID, e.Path, lc.Format("2006-01-02"))
		collected, fromGit = day(lc), true
	}
	if e.ReviewIntervalDays > 0 {
		return collected.AddDate(0, 0, e.ReviewIntervalDays+1), "review interval", fromGit, true
	}
	return collected.AddDate(0, 0, a.maxAge+1), fmt.Sprintf("maximum age of %d days", a.maxAge), fromGit, true
}

func (a *analyzer) freshnessPos(e *aims.Evidence) diag.Pos {
	for _, f := range []string{"valid_until", "collected"} {
		if e.Doc != nil && e.Doc.Has("/"+f) {
			return e.Doc.ValueAt("/" + f)
		}
	}
	return pos(e.Doc)
}

func (a *analyzer) has(req, id string) bool {
	for _, s := range a.support[req] {
		if s.ID == id {
			return true
		}
	}
	return false
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
