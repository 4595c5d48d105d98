package audit

import "github.com/leakwatch/leakwatch/internal/pixel"

// Schema identifies the JSON report format.
const Schema = "leakwatch/report/v1"

// Report is the result of auditing one or more captures.
type Report struct {
	Schema string `json:"schema"`
	Tool   Tool   `json:"tool"`
	// Sources are the captures analysed (HAR files, scans).
	Sources []Source `json:"sources"`
	// Pages are the pages visited, in capture order.
	Pages   []PageInfo `json:"pages"`
	Summary Summary    `json:"summary"`
	// FirstParty names the site's own company and domains.
	FirstParty FirstParty `json:"first_party"`
	// ThirdParties are grouped by company, most significant first.
	ThirdParties []ThirdParty `json:"third_parties"`
	// Pixels are decoded tracking hits in request order.
	Pixels []PixelHit `json:"pixels"`
	// Findings are leaks, patterns, pixel-config and behaviour findings, and
	// policy violations, sorted by type order then request index.
	Findings []Finding `json:"findings"`
	// Policy holds the result of --policy / --fail-on, when one was given.
	Policy *PolicyResult `json:"policy,omitempty"`
	// Requests are the requests that findings and pixels point at, with
	// their headers and a body excerpt, for people to inspect the evidence.
	// Secrets are redacted unless the run asked otherwise.
	Requests []RequestDetail `json:"requests,omitempty"`
	// Incomplete, when set, says why the report covers only part of its
	// input (interrupted by a signal, --timeout reached); it is also the
	// first of Warnings, so every format shows it.
	Incomplete string `json:"incomplete,omitempty"`
	// Warnings are problems of the analysis (a body over the decoding cap);
	// problems of reading a capture are in its Source.Warnings.
	Warnings []string `json:"warnings,omitempty"`
}

// RequestDetail is the raw evidence of one request.
type RequestDetail struct {
	Index     int      `json:"index"`
	Source    int      `json:"source,omitempty"`
	URL       string   `json:"url"`
	Method    string   `json:"method"`
	Time      string   `json:"time,omitempty"`
	Page      string   `json:"page,omitempty"`
	Type      string   `json:"type,omitempty"` // resource type
	Status    int      `json:"status,omitempty"`
	Initiator string   `json:"initiator,omitempty"`
	Headers   []string `json:"headers,omitempty"` // "Name: value"
	// Body is the request body as text (binary bodies base64), cut at 16 KiB.
	Body          string `json:"body,omitempty"`
	BodyTruncated bool   `json:"body_truncated,omitempty"`
}

// Tool names the program that made the report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Source is one capture that went into the report.
type Source struct {
	Path     string   `json:"path"`
	Creator  string   `json:"creator,omitempty"`
	Browser  string   `json:"browser,omitempty"`
	Requests int      `json:"requests"`
	Pages    int      `json:"pages"`
	Warnings []string `json:"warnings,omitempty"`
}

// PageInfo is one visited page.
type PageInfo struct {
	URL      string `json:"url"`
	Title    string `json:"title,omitempty"`
	Started  string `json:"started,omitempty"` // RFC 3339, from the capture
	Requests int    `json:"requests"`
	Error    string `json:"error,omitempty"`
	// Screenshot is a file name inside an evidence bundle or next to the
	// report, when the scan took one.
	Screenshot string `json:"screenshot,omitempty"`
}

// Summary holds the headline numbers.
type Summary struct {
	Requests           int `json:"requests"`
	ThirdPartyRequests int `json:"third_party_requests"`
	ThirdParties       int `json:"third_parties"` // companies
	// CompaniesWithData counts companies that received persona data.
	CompaniesWithData int `json:"companies_with_data"`
	Leaks             int `json:"leaks"`
	Patterns          int `json:"patterns"`
	Pixels            int `json:"pixels"`
	// DataKinds lists the persona keys that reached any third party.
	DataKinds []string `json:"data_kinds"`
}

// FirstParty names the site's own side.
type FirstParty struct {
	Company string   `json:"company,omitempty"`
	Domains []string `json:"domains"`
}

// ThirdParty is one company that received requests.
type ThirdParty struct {
	Company    string   `json:"company"`
	Known      bool     `json:"known"` // ownership came from entity data
	Domains    []string `json:"domains"`
	Hosts      []string `json:"hosts"`
	Categories []string `json:"categories,omitempty"`
	Requests   int      `json:"requests"`
	// Blocked counts requests a filter list blocks; Rules are the rules that matched.
	Blocked int      `json:"blocked"`
	Rules   []string `json:"rules,omitempty"`
	// DataKinds are the persona keys this company received.
	DataKinds []string `json:"data_kinds,omitempty"`
	Leaks     int      `json:"leaks"`
	Patterns  int      `json:"patterns"`
	// Products are the pixel products seen, e.g. "Meta Pixel".
	Products []string `json:"products,omitempty"`
	Accounts []string `json:"accounts,omitempty"`
	Events   []string `json:"events,omitempty"`
}

// PixelHit is a decoded tracking event tied to its request.
type PixelHit struct {
	Vendor  string        `json:"vendor"`
	Product string        `json:"product"`
	Account string        `json:"account,omitempty"`
	Event   string        `json:"event,omitempty"`
	Request RequestRef    `json:"request"`
	Page    string        `json:"page,omitempty"`
	Fields  []pixel.Field `json:"fields"`
}

// RequestRef points at a request in the capture.
type RequestRef struct {
	URL    string `json:"url,omitempty"`
	Method string `json:"method,omitempty"`
	// Index is the 0-based position of the request in its capture.
	Index int `json:"index"`
	// Source is the index into Report.Sources when several were analysed.
	Source int    `json:"source,omitempty"`
	Time   string `json:"time,omitempty"` // RFC 3339, from the capture
}

// Receiver is who got a request.
type Receiver struct {
	Host    string `json:"host"`
	Domain  string `json:"domain"`
	Company string `json:"company"`
}

// Finding types.
const (
	TypeLeak      = "leak"
	TypePattern   = "pattern"
	TypeViolation = "policy-violation"
)

// Finding is one thing the audit found. Leak findings (type "leak") carry
// Field, Channel, Location and Encoding; pattern findings carry Rule; pixel
// configuration and behaviour findings carry Vendor, Summary and Details.
type Finding struct {
	Type     string    `json:"type"`
	Field    string    `json:"field,omitempty"`
	Persona  string    `json:"persona,omitempty"`
	Rule     string    `json:"rule,omitempty"`
	Receiver *Receiver `json:"receiver,omitempty"`
	Channel  string    `json:"channel,omitempty"`
	Location string    `json:"location,omitempty"`
	// Meaning is the pixel meaning tag of Location when a decoder names it.
	Meaning  string   `json:"meaning,omitempty"`
	Encoding []string `json:"encoding,omitempty"`
	// Value is the matched value, masked unless --show-values.
	Value     string         `json:"value,omitempty"`
	Evidence  string         `json:"evidence,omitempty"`
	Request   *RequestRef    `json:"request,omitempty"`
	Requests  []int          `json:"requests,omitempty"`
	Page      string         `json:"page,omitempty"`
	Initiator string         `json:"initiator,omitempty"`
	Vendor    string         `json:"vendor,omitempty"`
	Product   string         `json:"product,omitempty"`
	Account   string         `json:"account,omitempty"`
	Summary   string         `json:"summary,omitempty"`
	Details   []pixel.Detail `json:"details,omitempty"`
}

// PolicyResult is the outcome of evaluating a policy.
type PolicyResult struct {
	Name       string       `json:"name,omitempty"`
	Passed     bool         `json:"passed"`
	Rules      []RuleResult `json:"rules"`
	Violations int          `json:"violations"`
}

// RuleResult is one policy rule and what broke it.
type RuleResult struct {
	ID          string `json:"id"`
	Description string `json:"description"`
	Passed      bool   `json:"passed"`
	// Violations are human sentences, one per offending finding.
	Violations []string `json:"violations,omitempty"`
	// Findings are indexes into Report.Findings.
	Findings []int `json:"findings,omitempty"`
}
