package pixel

// Meaning tags what a decoded field carries.
type Meaning string

// Meanings of decoded fields.
const (
	PageURL       Meaning = "page_url"
	Referrer      Meaning = "referrer"
	Title         Meaning = "title"
	UserID        Meaning = "user_id"
	HashedEmail   Meaning = "hashed_email"
	HashedPhone   Meaning = "hashed_phone"
	HashedName    Meaning = "hashed_name"
	HashedAddress Meaning = "hashed_address"
	PlainPII      Meaning = "plain_pii"
	CustomData    Meaning = "custom_data"
	ClickID       Meaning = "click_id"
	Device        Meaning = "device"
	EventName     Meaning = "event"
	AccountID     Meaning = "account"
	// HashedOther is another hashed personal attribute (birth date, gender).
	HashedOther Meaning = "hashed_other"
	// BrowserID is a pseudonymous browser, visitor or session identifier,
	// usually read from a first-party cookie (_fbp, _ga, _uetvid).
	BrowserID Meaning = "browser_id"
	// Technical is a known parameter that carries no personal data:
	// library version, timestamp, cache buster, consent flags.
	Technical Meaning = "technical"
	Raw       Meaning = "" // a parameter the decoder does not know
)

// Field is one decoded field of a hit. Name is the name as on the wire
// (e.g. "ud[em]", "cd[value]", "context.page.url", "tv.1~em").
type Field struct {
	Name    string  `json:"name"`
	Value   string  `json:"value"`
	Meaning Meaning `json:"meaning,omitempty"`
}

// Hit is one decoded tracking event.
type Hit struct {
	Vendor       string  `json:"vendor"`  // company common name: Meta, Google, ...
	Product      string  `json:"product"` // Meta Pixel, GA4, ...
	Account      string  `json:"account,omitempty"`
	Event        string  `json:"event,omitempty"`
	RequestIndex int     `json:"-"`
	Fields       []Field `json:"fields"`
}

// Finding is a configuration or behaviour finding.
type Finding struct {
	// Type is one of the Finding* constants.
	Type    string
	Vendor  string
	Product string
	Account string
	Host    string
	Domain  string
	// Summary is one plain sentence for people.
	Summary string
	// Details are extra facts as ordered name/value pairs.
	Details []Detail
	// Requests are the indexes of the requests that show it, ascending.
	Requests []int
}

// Detail is a named fact of a finding.
type Detail struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Finding types.
const (
	FindingPixelConfig       = "pixel-config"
	FindingCookieSync        = "cookie-sync"
	FindingSessionReplay     = "session-replay"
	FindingThirdPartyCookie  = "third-party-cookie"
	FindingIdentifierCookie  = "identifier-cookie"
	FindingFingerprinting    = "fingerprinting"
	FindingUnknownBeacon     = "tracking-beacon"
	FindingAutomaticMatching = "automatic-advanced-matching"
)
