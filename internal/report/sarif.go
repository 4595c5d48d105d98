package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"strings"

	"github.com/leakwatch/leakwatch/internal/audit"
)

// SARIF 2.1.0 shapes, only the parts leakwatch fills.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID               string        `json:"id"`
	Name             string        `json:"name"`
	ShortDescription sarifText     `json:"shortDescription"`
	FullDescription  sarifText     `json:"fullDescription"`
	Default          sarifDefault  `json:"defaultConfiguration"`
	Properties       sarifRuleTags `json:"properties"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifDefault struct {
	Level string `json:"level"`
}

type sarifRuleTags struct {
	Tags []string `json:"tags"`
}

type sarifResult struct {
	RuleID       string            `json:"ruleId"`
	RuleIndex    int               `json:"ruleIndex"`
	Level        string            `json:"level"`
	Message      sarifText         `json:"message"`
	Locations    []sarifLocation   `json:"locations,omitempty"`
	Fingerprints map[string]string `json:"partialFingerprints"`
	Properties   map[string]any    `json:"properties,omitempty"`
}

type sarifLocation struct {
	Physical sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	Artifact sarifArtifact `json:"artifactLocation"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

// sarifRules are the rule per finding type that results point at.
var sarifRules = []sarifRule{
	{ID: audit.TypeLeak, Name: "PersonaDataToThirdParty",
		ShortDescription: sarifText{"Personal data sent to a third party"},
		FullDescription:  sarifText{"A value of the test persona (email, phone, address, tracking number, ...) left the site in a request to another company, plainly or hashed or encoded."},
		Default:          sarifDefault{"error"}, Properties: sarifRuleTags{[]string{"privacy", "security"}}},
	{ID: audit.TypePattern, Name: "PersonalLookingValueToThirdParty",
		ShortDescription: sarifText{"Personal-looking value sent to a third party"},
		FullDescription:  sarifText{"A value shaped like personal data (an email, phone number, address, parcel tracking number, card number) was found in a request to another company without a persona."},
		Default:          sarifDefault{"warning"}, Properties: sarifRuleTags{[]string{"privacy"}}},
	{ID: audit.TypeViolation, Name: "PolicyViolation",
		ShortDescription: sarifText{"Privacy policy violated"},
		FullDescription:  sarifText{"A finding broke a rule of the leakwatch policy given for this run."},
		Default:          sarifDefault{"error"}, Properties: sarifRuleTags{[]string{"privacy", "policy"}}},
}

const sarifSchema = "https://json.schemastore.org/sarif-2.1.0.json"

// renderSARIF writes one result per leak, high-confidence pattern (every
// pattern with Options.Verbose) and policy violation.
func renderSARIF(w io.Writer, r *audit.Report, opts Options) error {
	name := r.Tool.Name
	if name == "" {
		name = "leakwatch"
	}
	run := sarifRun{Tool: sarifTool{Driver: sarifDriver{Name: name, Version: r.Tool.Version,
		InformationURI: "https://github.com/leakwatch/leakwatch", Rules: sarifRules}}, Results: []sarifResult{}}
	for i := range r.Findings {
		f := &r.Findings[i]
		switch {
		case f.Type == audit.TypePattern && !opts.Verbose && !highConfidence(f):
			// Lower-confidence matches only with --verbose.
		case f.Type == audit.TypeLeak || f.Type == audit.TypePattern:
			run.Results = append(run.Results, sarifFinding(f))
		case f.Type == audit.TypeViolation && r.Policy == nil:
			run.Results = append(run.Results, sarifFinding(f))
		}
	}
	if r.Policy != nil {
		run.Results = append(run.Results, sarifViolations(r)...)
	}
	return renderJSONSafe(w, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}})
	})
}

func sarifFinding(f *audit.Finding) sarifResult {
	idx := ruleIndex(f.Type)
	res := sarifResult{RuleID: f.Type, RuleIndex: idx, Level: sarifRules[idx].Default.Level,
		Message: sarifText{findingSummary(f) + " (" + encodingChain(f.Encoding) + ")"}, Locations: requestLocation(f.Request)}
	props := map[string]any{}
	for k, v := range map[string]string{"field": f.Field, "company": findingCompany(f), "channel": f.Channel,
		"location": f.Location, "meaning": f.Meaning, "page": f.Page, "initiator": f.Initiator, "rule": f.Rule,
		"confidence": f.Confidence, "reason": f.Reason} {
		if v != "" {
			props[k] = v
		}
	}
	if len(f.Encoding) > 0 {
		props["encoding"] = f.Encoding
	}
	res.Properties = props
	res.Fingerprints = fingerprint(f.Type, f.Field, f.Rule, findingCompany(f), f.Channel, f.Location, f.Page)
	return res
}

func sarifViolations(r *audit.Report) []sarifResult {
	var out []sarifResult
	idx := ruleIndex(audit.TypeViolation)
	for _, rr := range r.Policy.Rules {
		for j, v := range rr.Violations {
			res := sarifResult{RuleID: audit.TypeViolation, RuleIndex: idx, Level: "error",
				Message:    sarifText{rr.ID + ": " + v},
				Properties: map[string]any{"policy_rule": rr.ID, "policy_description": rr.Description}}
			if j < len(rr.Findings) && rr.Findings[j] >= 0 && rr.Findings[j] < len(r.Findings) {
				res.Locations = requestLocation(r.Findings[rr.Findings[j]].Request)
			}
			res.Fingerprints = fingerprint(audit.TypeViolation, rr.ID, v)
			out = append(out, res)
		}
	}
	return out
}

func ruleIndex(typ string) int {
	for i, r := range sarifRules {
		if r.ID == typ {
			return i
		}
	}
	return 0
}

func requestLocation(ref *audit.RequestRef) []sarifLocation {
	if ref == nil || ref.URL == "" {
		return nil
	}
	return []sarifLocation{{Physical: sarifPhysical{Artifact: sarifArtifact{URI: ref.URL}}}}
}

// fingerprint identifies a result across runs without request indexes,
// which change from capture to capture.
func fingerprint(parts ...string) map[string]string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x1f")))
	return map[string]string{"leakwatch/v1": hex.EncodeToString(sum[:16])}
}
