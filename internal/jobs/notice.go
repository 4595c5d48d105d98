package jobs

import (
	"slices"
	"strings"
	"time"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/policy"
)

// Notice is what a finished scan shows that its reference (the site's
// baseline, or else its previous finished scan) did not.
type Notice struct {
	SiteID  int64  `json:"site_id"`
	SiteURL string `json:"site_url"`
	ScanID  int64  `json:"scan_id"`
	// Against is the scan compared with; Reference says which it is:
	// "baseline" or "previous scan".
	Against   int64     `json:"against_scan_id"`
	Reference string    `json:"reference"`
	Finished  time.Time `json:"finished"`
	// NewCompanies receive something for the first time (DataKinds: the
	// persona data they get, if any).
	NewCompanies []policy.CompanyChange `json:"new_companies"`
	// NewDataKinds are companies seen before that now receive data kinds
	// they did not (NewDataKinds).
	NewDataKinds []policy.CompanyChange `json:"new_data_kinds"`
	// NewConsentConflicts are requests contradicting their own consent
	// signal that the reference did not have.
	NewConsentConflicts []ConsentConflict `json:"new_consent_conflicts"`
}

// ConsentConflict is one consent-conflict finding, as a notification names it.
type ConsentConflict struct {
	Company string `json:"company"`
	Product string `json:"product,omitempty"`
	Denied  string `json:"denied,omitempty"`
	Page    string `json:"page,omitempty"`
	Summary string `json:"summary"`
}

// Empty reports whether there is nothing to notify.
func (n *Notice) Empty() bool {
	return len(n.NewCompanies)+len(n.NewDataKinds)+len(n.NewConsentConflicts) == 0
}

// Compare builds the notice of cur against ref (the fields naming scans are
// left to the caller). Gone companies and data kinds are not news.
func Compare(ref, cur *audit.Report) Notice {
	d := policy.Diff(ref, cur)
	n := Notice{NewCompanies: d.NewCompanies, NewDataKinds: []policy.CompanyChange{}}
	for _, c := range d.ChangedCompanies {
		if len(c.NewDataKinds) > 0 {
			c.GoneDataKinds = nil
			n.NewDataKinds = append(n.NewDataKinds, c)
		}
	}
	n.NewConsentConflicts = newConflicts(ref, cur)
	return n
}

// newConflicts lists cur's consent conflicts whose identity (company,
// product, denied purposes) ref lacks, once each.
func newConflicts(ref, cur *audit.Report) []ConsentConflict {
	seen := map[string]bool{}
	if ref != nil {
		for _, c := range conflicts(ref) {
			seen[c.key()] = true
		}
	}
	out := []ConsentConflict{}
	if cur == nil {
		return out
	}
	for _, c := range conflicts(cur) {
		if !seen[c.key()] {
			seen[c.key()] = true
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b ConsentConflict) int { return strings.Compare(a.key(), b.key()) })
	return out
}

func (c ConsentConflict) key() string {
	return strings.ToLower(c.Company) + "\x00" + strings.ToLower(c.Product) + "\x00" + c.Denied
}

func conflicts(r *audit.Report) []ConsentConflict {
	var out []ConsentConflict
	for _, f := range r.Findings {
		if f.Type != audit.TypeConsentConflict {
			continue
		}
		c := ConsentConflict{Product: f.Product, Page: f.Page, Summary: f.Summary}
		if f.Receiver != nil {
			c.Company = f.Receiver.Company
		}
		if c.Company == "" {
			c.Company = f.Vendor
		}
		for _, d := range f.Details {
			if d.Name == "denied" {
				c.Denied = d.Value
			}
		}
		out = append(out, c)
	}
	return out
}
