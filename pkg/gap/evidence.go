package gap

import (
	"fmt"
	"strings"
	"time"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/diag"
)

// evidenceRule are the rules about evidence documents; each sits beside the check that
// applies it and is registered by being a field here.
var evidenceRule = struct {
	Stale   *diag.Rule
	NoOwner *diag.Rule
	Undated *diag.Rule
}{
	Stale:   &diag.Rule{ID: "AIMS-G020", Severity: diag.Error, Refs: []string{"7.5.3"}, Title: "Stale evidence", Description: "Evidence past its valid_until, review interval or the maximum age in aims.yaml: a warning during the grace period, then an error. Stale evidence supports nothing.", Configurable: true},
	NoOwner: &diag.Rule{ID: "AIMS-G021", Severity: diag.Warning, Refs: []string{"7.5.2"}, Title: "Evidence without owner", Description: "Evidence needs an owner to count.", Configurable: true},
	Undated: &diag.Rule{ID: "AIMS-G022", Severity: diag.Warning, Refs: []string{"7.5.2"}, Title: "Evidence without date", Description: "Evidence without a collected date: its age is taken from git history when available, else unknown (and it does not count).", Configurable: true},
}

// checkEvidence judges every Evidence document once; SoA rows and
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
			a.report(evidenceRule.NoOwner, pos(e.Doc), "evidence %s has no owner", e.ID)
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
			a.reportSev(evidenceRule.Stale, sev, a.freshnessPos(e), "evidence %s is stale: %s ended %s (%d day%s ago)", e.ID, basis, expiry.Format("2006-01-02"), late, plural(late))
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
			a.report(evidenceRule.Undated, pos(e.Doc), "evidence %s has no collected date and no git history to date it", e.ID)
			return time.Time{}, "", false, false
		}
		lc, ok := a.opts.LastChanged(strings.TrimPrefix(e.Path, "./"))
		if !ok {
			a.report(evidenceRule.Undated, pos(e.Doc), "evidence %s has no collected date and its file has no git history", e.ID)
			return time.Time{}, "", false, false
		}
		a.report(evidenceRule.Undated, pos(e.Doc), "evidence %s has no collected date; its age is taken from the last commit that changed %s (%s)", e.ID, e.Path, lc.Format("2006-01-02"))
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
