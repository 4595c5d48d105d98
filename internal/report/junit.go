package report

import (
	"encoding/xml"
	"io"
	"strings"

	"github.com/leakwatch/leakwatch/internal/audit"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// renderJUnit writes one test suite: a case per policy rule, or without a
// policy a case per company that fails when it received persona data.
func renderJUnit(w io.Writer, r *audit.Report, opts Options) error {
	s := junitSuite{Name: "leakwatch"}
	for _, src := range r.Sources {
		s.Properties = append(s.Properties, junitProperty{Name: "source", Value: src.Path})
	}
	if r.Policy != nil {
		s.Cases = policyCases(r.Policy)
	} else {
		s.Cases = companyCases(newView(r, opts))
	}
	for _, c := range s.Cases {
		if c.Failure != nil {
			s.Failures++
		}
	}
	s.Tests = len(s.Cases)
	doc := junitSuites{Name: "leakwatch", Tests: s.Tests, Failures: s.Failures, Suites: []junitSuite{s}}
	return renderSafe(w, xmlEscape, func(w io.Writer) error {
		if _, err := io.WriteString(w, xml.Header); err != nil {
			return err
		}
		enc := xml.NewEncoder(w)
		enc.Indent("", "  ")
		if err := enc.Encode(doc); err != nil {
			return err
		}
		_, err := io.WriteString(w, "\n")
		return err
	})
}

func policyCases(p *audit.PolicyResult) []junitCase {
	class := "leakwatch.policy"
	if p.Name != "" {
		class += "." + p.Name
	}
	cases := make([]junitCase, 0, len(p.Rules))
	for _, rr := range p.Rules {
		c := junitCase{Name: rr.ID + ": " + rr.Description, ClassName: class}
		if !rr.Passed {
			c.Failure = &junitFailure{Type: audit.TypeViolation,
				Message: plural(len(rr.Violations), "violation", "violations") + " of " + rr.ID,
				Text:    strings.Join(rr.Violations, "\n")}
		}
		cases = append(cases, c)
	}
	return cases
}

func companyCases(v *view) []junitCase {
	if len(v.companies) == 0 {
		return []junitCase{{Name: "no personal data to any third party", ClassName: "leakwatch.companies"}}
	}
	cases := make([]junitCase, 0, len(v.companies))
	for _, c := range v.companies {
		jc := junitCase{Name: "no personal data to " + c.tp.Company, ClassName: "leakwatch.companies"}
		if len(c.kinds) > 0 {
			var lines []string
			for _, i := range c.leaks {
				f := &v.r.Findings[i]
				lines = append(lines, leakSentence(f))
			}
			kinds := make([]string, len(c.kinds))
			for i, k := range c.kinds {
				kinds[i] = k.kind
			}
			jc.Failure = &junitFailure{Type: audit.TypeLeak,
				Message: c.tp.Company + " received " + strings.Join(kinds, ", "), Text: strings.Join(lines, "\n")}
		}
		cases = append(cases, jc)
	}
	return cases
}

// leakSentence is one line of evidence: "#14 GET url: email in query ud[em] (sha256 ← meta-normalize)".
func leakSentence(f *audit.Finding) string {
	s := f.Field + " to " + receiverName(f) + " in " + where(f) + " (" + encodingChain(f.Encoding) + ")"
	if f.Request != nil {
		s = reqID(f.Request.Source, f.Request.Index) + " " + f.Request.Method + " " + f.Request.URL + ": " + s
	}
	if f.Page != "" {
		s += " on " + f.Page
	}
	return s
}
