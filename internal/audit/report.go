package audit

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
	// Companies say which company every finding, pixel hit and request
	// detail belongs to: one entry per third party that has any (in the
	// order of ThirdParties), then the site's own company and receivers no
	// third party lists. Renderers, policies and diff all group by it.
	Companies []Company `json:"companies"`
	// Unattributed holds what no company received: a tag served through a
	// host of no listed company, a behaviour finding naming no host.
	Unattributed *Attribution `json:"unattributed,omitempty"`
	// Pixels are decoded tracking hits in request order.
	Pixels []PixelHit `json:"pixels"`
	// Findings are leaks, patterns, pixel-config and behaviour findings, and
	// policy violations, sorted by type order then request index.
	Findings []Finding `json:"findings"`
	// Consent is what the captures show of consent platforms and signals;
	// nil when they show none.
	Consent *Consent `json:"consent,omitempty"`
	// Policy holds the result of --policy / --fail-on, when one was given.
	Policy *PolicyResult `json:"policy,omitempty"`
	// Requests are the requests that findings and pixels point at, with
	// their headers and a body excerpt, for people to inspect the evidence.
	// Secrets are redacted unless the run asked otherwise.
	Requests []RequestDetail `json:"requests,omitempty"`
	// BrowserTraffic is what the browser sent on its own behalf (list
	// updates, safe browsing, telemetry): not the site's doing, so neither
	// first nor third party.
	BrowserTraffic []BrowserTraffic `json:"browser_traffic,omitempty"`
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

// BrowserTraffic is one host the browser itself contacted.
type BrowserTraffic struct {
	Host     string `json:"host"`
	Browser  string `json:"browser,omitempty"`
	Purpose  string `json:"purpose,omitempty"`
	Requests int    `json:"requests"`
}

// Tool names the program that made the report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Source is one capture that went into the report.
type Source struct {
	Path     string `json:"path"`
	Creator  string `json:"creator,omitempty"`
	Browser  string `json:"browser,omitempty"`
	Requests int    `json:"requests"`
	Pages    int    `json:"pages"`
	// Site is the registrable domain of the site visited in this capture:
	// its first party.
	Site string `json:"site,omitempty"`
	// Coverage says how much of what left the browser the capture recorded.
	Coverage Coverage `json:"coverage"`
	// Consent is what a live scan did about consent banners and opt-out
	// signals; nil for a capture that did neither.
	Consent  *ScanConsent `json:"consent,omitempty"`
	Warnings []string     `json:"warnings,omitempty"`
}

// Coverage counts what a capture recorded. Exporters drop request bodies,
// response bodies or WebSocket frames; data in what was dropped cannot be
// seen, and the report says so.
type Coverage struct {
	// BodyRequests counts POST, PUT and PATCH requests; BodiesRecorded those
	// of them whose body (or form fields) the capture holds, or that declared
	// an empty body.
	BodyRequests   int `json:"body_requests"`
	BodiesRecorded int `json:"bodies_recorded"`
	// Responses counts requests with a response; ResponseBodies those whose
	// body was recorded.
	Responses      int `json:"responses"`
	ResponseBodies int `json:"response_bodies"`
	// WebSockets counts WebSocket connections; Frames their recorded frames.
	WebSockets      int `json:"websockets"`
	WebSocketFrames int `json:"websocket_frames"`
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
	// NetworkBusy: the page loaded but its network never went quiet (a
	// polling script); what it kept sending was recorded.
	NetworkBusy bool `json:"network_busy,omitempty"`
	// Submits are the forms the scan submitted on this page (--submit),
	// in order.
	Submits []PageSubmit `json:"submits,omitempty"`
}

// PageSubmit is one form submission of a live scan.
type PageSubmit struct {
	Time string `json:"time,omitempty"` // RFC 3339
	// Request is the index of the first request sent after it.
	Request int    `json:"request"`
	Form    string `json:"form,omitempty"`
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
	// Personas is the number of personas searched for; 0 means only value
	// patterns were looked for.
	Personas int `json:"personas"`
	// PatternsHigh counts pattern findings of high confidence: the ones
	// people are told about by default.
	PatternsHigh int `json:"patterns_high"`
	// IdentifierFlows counts cookie-sync findings: an identifier of one
	// party sent to another company.
	IdentifierFlows int `json:"identifier_flows"`
	// SessionReplay names the companies that recorded the session.
	SessionReplay []string `json:"session_replay,omitempty"`
	// Unseen says, one sentence each, what this analysis could not see: no
	// persona given, request bodies the exporter dropped, ... An empty list
	// does not prove that nothing was missed.
	Unseen []string `json:"unseen,omitempty"`
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
	// Vendor is the company that received the hit, named as in
	// ThirdParties when the receiving host is known.
	Vendor  string     `json:"vendor"`
	Product string     `json:"product"`
	Account string     `json:"account,omitempty"`
	Event   string     `json:"event,omitempty"`
	Request RequestRef `json:"request"`
	Page    string     `json:"page,omitempty"`
	Fields  []Field    `json:"fields"`
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
	Host   string `json:"host"`
	Domain string `json:"domain"`
	// Company is the owning company, named as in ThirdParties (one name per
	// company across the whole report).
	Company string `json:"company"`
	// Entity is the product or service of that company the data names
	// ("Google Analytics"), when known.
	Entity string `json:"entity,omitempty"`
}

// Confidence levels of pattern findings.
const (
	ConfidenceHigh   = "high"
	ConfidenceMedium = "medium"
	ConfidenceLow    = "low"
)

// Finding types.
const (
	TypeLeak = "leak"
	// TypeKeystroke is part of a persona value sent while it was being
	// typed: a field holding its first characters (Field, Value and
	// Summary say how many of how many).
	TypeKeystroke = "keystroke"
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
	// Confidence is how sure a pattern finding is that the value is
	// personal ("high", "medium", "low"); Reason says why, for a reader to
	// check. Reports show high-confidence patterns by default.
	Confidence string `json:"confidence,omitempty"`
	Reason     string `json:"reason,omitempty"`
	// Submit says, on a page where the scan submitted a form, whether the
	// value left "before" or "after" the first submission: data sent before
	// it was taken while being typed.
	Submit string `json:"submit,omitempty"`
	// Count is how many times the same value was found at the same place
	// of the request (a value repeated in one URL is one finding).
	Count int `json:"count,omitempty"`
	// Value is the matched value, masked unless --show-values.
	Value     string      `json:"value,omitempty"`
	Evidence  string      `json:"evidence,omitempty"`
	Request   *RequestRef `json:"request,omitempty"`
	Requests  []int       `json:"requests,omitempty"`
	Page      string      `json:"page,omitempty"`
	Initiator string      `json:"initiator,omitempty"`
	Vendor    string      `json:"vendor,omitempty"`
	Product   string      `json:"product,omitempty"`
	Account   string      `json:"account,omitempty"`
	Summary   string      `json:"summary,omitempty"`
	Details   []Detail    `json:"details,omitempty"`
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
