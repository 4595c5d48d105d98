package audit

import "github.com/leakwatch/leakwatch/internal/pixel"

// Meaning tags what a decoded pixel field carries, as the report states it.
// The values are the pixel decoders' tags; a tag this list lacks passes
// through unchanged.
type Meaning string

// Meanings of decoded pixel fields.
const (
	MeaningPageURL       Meaning = "page_url"
	MeaningReferrer      Meaning = "referrer"
	MeaningTitle         Meaning = "title"
	MeaningUserID        Meaning = "user_id"
	MeaningHashedEmail   Meaning = "hashed_email"
	MeaningHashedPhone   Meaning = "hashed_phone"
	MeaningHashedName    Meaning = "hashed_name"
	MeaningHashedAddress Meaning = "hashed_address"
	MeaningPlainPII      Meaning = "plain_pii"
	MeaningCustomData    Meaning = "custom_data"
	MeaningClickID       Meaning = "click_id"
	MeaningDevice        Meaning = "device"
	MeaningEventName     Meaning = "event"
	MeaningAccountID     Meaning = "account"
	// MeaningHashedOther is another hashed personal attribute (birth date,
	// gender).
	MeaningHashedOther Meaning = "hashed_other"
	// MeaningBrowserID is a pseudonymous browser, visitor or session
	// identifier, usually read from a first-party cookie (_fbp, _ga).
	MeaningBrowserID Meaning = "browser_id"
	// MeaningTechnical is a known parameter that carries no personal data.
	MeaningTechnical Meaning = "technical"
)

// Field is one decoded field of a pixel hit. Name is the name as on the
// wire (e.g. "ud[em]", "cd[value]", "tv.1~em").
type Field struct {
	Name    string  `json:"name"`
	Value   string  `json:"value"`
	Meaning Meaning `json:"meaning,omitempty"`
}

// Detail is a named fact of a pixel-configuration or behaviour finding.
type Detail struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Types of pixel-configuration and behaviour findings.
const (
	TypePixelConfig       = "pixel-config"
	TypeCookieSync        = "cookie-sync"
	TypeSessionReplay     = "session-replay"
	TypeThirdPartyCookie  = "third-party-cookie"
	TypeIdentifierCookie  = "identifier-cookie"
	TypeFingerprinting    = "fingerprinting"
	TypeTrackingBeacon    = "tracking-beacon"
	TypeAutomaticMatching = "automatic-advanced-matching"
)

// reportFields converts the decoder's fields to the report's.
func reportFields(fs []pixel.Field) []Field {
	if fs == nil {
		return nil
	}
	out := make([]Field, len(fs))
	for i, f := range fs {
		out[i] = Field{Name: f.Name, Value: f.Value, Meaning: Meaning(f.Meaning)}
	}
	return out
}

// reportDetails converts a behaviour finding's details to the report's.
func reportDetails(ds []pixel.Detail) []Detail {
	if ds == nil {
		return nil
	}
	out := make([]Detail, len(ds))
	for i, d := range ds {
		out[i] = Detail(d)
	}
	return out
}
