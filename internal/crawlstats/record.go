package crawlstats

// Record kinds.
const (
	KindSite = "site"
	KindFlow = "flow"
)

// Record is one row of an export: a site (Kind "site": how its crawl went
// and what its report counts) or one data flow of it (Kind "flow": what
// one receiver got from the site, in one data kind, encoding and
// channel). Every format writes the same columns in this order; columns
// of the other kind are empty (zero). List-valued columns are joined with
// "; " so that CSV, JSONL and Parquet hold the same text.
type Record struct {
	Kind  string `json:"record" parquet:"record"`
	RunID int64  `json:"run_id" parquet:"run_id"`
	Site  string `json:"site" parquet:"site"`
	Rank  int64  `json:"rank" parquet:"rank"`

	// Site rows.
	State      string `json:"state" parquet:"state"`
	Error      string `json:"error" parquet:"error"`
	ErrorClass string `json:"error_class" parquet:"error_class"`
	Attempt    int64  `json:"attempt" parquet:"attempt"`
	Worker     string `json:"worker" parquet:"worker"`
	Finished   string `json:"finished" parquet:"finished"` // RFC 3339, UTC
	HARRef     string `json:"har_ref" parquet:"har_ref"`
	// FirstParty is the registrable domain the report found the site to
	// be (a redirect can land elsewhere than Site).
	FirstParty        string `json:"first_party" parquet:"first_party"`
	FirstPartyCompany string `json:"first_party_company" parquet:"first_party_company"`
	Pages             int64  `json:"pages" parquet:"pages"`
	PageErrors        int64  `json:"page_errors" parquet:"page_errors"`
	Requests          int64  `json:"requests" parquet:"requests"`
	ThirdPartyReqs    int64  `json:"third_party_requests" parquet:"third_party_requests"`
	ThirdParties      int64  `json:"third_parties" parquet:"third_parties"`
	CompaniesWithData int64  `json:"companies_with_data" parquet:"companies_with_data"`
	Leaks             int64  `json:"leaks" parquet:"leaks"`
	PatternsHigh      int64  `json:"patterns_high" parquet:"patterns_high"`
	Pixels            int64  `json:"pixels" parquet:"pixels"`
	DataKinds         string `json:"data_kinds" parquet:"data_kinds"`
	SessionReplay     string `json:"session_replay" parquet:"session_replay"`
	ConsentPlatforms  string `json:"consent_platforms" parquet:"consent_platforms"`
	ConsentFindings   int64  `json:"consent_findings" parquet:"consent_findings"`
	Incomplete        string `json:"incomplete" parquet:"incomplete"`
	ReportError       string `json:"report_error" parquet:"report_error"`

	// Flow rows.
	Type    string `json:"type" parquet:"type"`
	Company string `json:"company" parquet:"company"`
	// ToFirstParty marks data the site sent to its own company.
	ToFirstParty bool   `json:"to_first_party" parquet:"to_first_party"`
	Host         string `json:"host" parquet:"host"`
	Domain       string `json:"domain" parquet:"domain"`
	Entity       string `json:"entity" parquet:"entity"`
	DataKind     string `json:"data_kind" parquet:"data_kind"`
	// Encoding is the chain's label without normalisation steps, "plain"
	// for none: "sha256", "url > sha256", "base64 > gzip".
	Encoding string `json:"encoding" parquet:"encoding"`
	// EncodingChain is every step as the report gave it, outermost first.
	EncodingChain string `json:"encoding_chain" parquet:"encoding_chain"`
	Hashed        bool   `json:"hashed" parquet:"hashed"`
	Channel       string `json:"channel" parquet:"channel"`
	Locations     string `json:"locations" parquet:"locations"`
	Meanings      string `json:"meanings" parquet:"meanings"`
	Confidence    string `json:"confidence" parquet:"confidence"`
	Findings      int64  `json:"findings" parquet:"findings"`
	FlowRequests  int64  `json:"flow_requests" parquet:"flow_requests"`
	// FirstRequest and FirstURL name the first request of the flow, for a
	// reader to check it in the report or the HAR.
	FirstRequest int64  `json:"first_request" parquet:"first_request"`
	FirstURL     string `json:"first_url" parquet:"first_url"`
	Page         string `json:"page" parquet:"page"`
}
