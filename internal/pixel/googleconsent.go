package pixel

import "strings"

// ConsentValue is the state of one Google Consent Mode signal.
type ConsentValue string

// Consent states.
const (
	ConsentGranted ConsentValue = "granted"
	ConsentDenied  ConsentValue = "denied"
	ConsentUnknown ConsentValue = "unknown"
)

// ConsentSignal is one consent signal and where its state was read: the
// parameter ("gcs", "gcd", "npa") and, for gcd, how the site set it
// ("default", "update", "default and update").
type ConsentSignal struct {
	State  ConsentValue `json:"state"`
	Source string       `json:"source,omitempty"`
}

// GoogleConsent is the Consent Mode state a Google hit declares, with the
// raw parameters it was read from.
type GoogleConsent struct {
	AdStorage         ConsentSignal `json:"ad_storage"`
	AnalyticsStorage  ConsentSignal `json:"analytics_storage"`
	AdUserData        ConsentSignal `json:"ad_user_data"`
	AdPersonalization ConsentSignal `json:"ad_personalization"`
	// GCS, GCD, NPA, DMA, DMACPS and PSCDL are the parameters as sent
	// ("" when absent).
	GCS, GCD, NPA, DMA, DMACPS, PSCDL string
}

// gcdLetters maps a gcd letter to the state it encodes and how it was set:
// l not set; p/t denied/granted by default only; m/n denied/granted by an
// update with no default; q/v default and update agree; r denied by default
// then granted by update; u granted by default then denied by update.
var gcdLetters = map[byte]ConsentSignal{
	'l': {ConsentUnknown, "gcd: not set"},
	'p': {ConsentDenied, "gcd: default"},
	't': {ConsentGranted, "gcd: default"},
	'm': {ConsentDenied, "gcd: update"},
	'n': {ConsentGranted, "gcd: update"},
	'q': {ConsentDenied, "gcd: default and update"},
	'v': {ConsentGranted, "gcd: default and update"},
	'r': {ConsentGranted, "gcd: update over a denied default"},
	'u': {ConsentDenied, "gcd: update over a granted default"},
}

// gcdOrder is the order of the signals in gcd, one letter each after the
// two-character prefix, separated by one character.
var gcdOrder = []string{"ad_storage", "analytics_storage", "ad_user_data", "ad_personalization"}

// ConsentState returns the Consent Mode state a Google hit declares. ok is
// false for a hit of another vendor or a Google hit with none of gcs, gcd,
// npa, dma. gcs (G1<ad_storage><analytics_storage>, 1 granted) is the state
// when the hit was sent and takes precedence for the two storage signals;
// npa=1 (non-personalized ads) makes an unknown ad_personalization denied.
func ConsentState(h Hit) (GoogleConsent, bool) {
	if h.Vendor != "Google" {
		return GoogleConsent{}, false
	}
	c := GoogleConsent{
		GCS: fieldValue(h.Fields, "gcs"), GCD: fieldValue(h.Fields, "gcd"), NPA: fieldValue(h.Fields, "npa"),
		DMA: fieldValue(h.Fields, "dma"), DMACPS: fieldValue(h.Fields, "dma_cps"), PSCDL: fieldValue(h.Fields, "pscdl"),
	}
	if c.GCS == "" && c.GCD == "" && c.NPA == "" && c.DMA == "" {
		return GoogleConsent{}, false
	}
	sig := map[string]ConsentSignal{}
	for name, s := range parseGCD(c.GCD) {
		sig[name] = s
	}
	for name, s := range parseGCS(c.GCS) {
		sig[name] = s
	}
	if c.NPA == "1" && sig["ad_personalization"].State != ConsentGranted {
		sig["ad_personalization"] = ConsentSignal{ConsentDenied, "npa"}
	}
	get := func(n string) ConsentSignal {
		if s, ok := sig[n]; ok {
			return s
		}
		return ConsentSignal{State: ConsentUnknown}
	}
	c.AdStorage, c.AnalyticsStorage = get("ad_storage"), get("analytics_storage")
	c.AdUserData, c.AdPersonalization = get("ad_user_data"), get("ad_personalization")
	return c, true
}

// parseGCS reads "G1xy" (x ad_storage, y analytics_storage; 1 granted,
// 0 denied, "-" not set). Anything else yields nothing.
func parseGCS(v string) map[string]ConsentSignal {
	if len(v) != 4 || !strings.HasPrefix(v, "G1") {
		return nil
	}
	out := map[string]ConsentSignal{}
	for i, name := range []string{"ad_storage", "analytics_storage"} {
		switch v[2+i] {
		case '1':
			out[name] = ConsentSignal{ConsentGranted, "gcs"}
		case '0':
			out[name] = ConsentSignal{ConsentDenied, "gcs"}
		}
	}
	return out
}

// parseGCD reads the four signal letters of a gcd value ("13r3r3r2r5l1"):
// letters at offsets 2, 4, 6, 8. Unknown letters are reported unknown.
func parseGCD(v string) map[string]ConsentSignal {
	if len(v) < 2+2*len(gcdOrder)-1 {
		return nil
	}
	out := map[string]ConsentSignal{}
	for i, name := range gcdOrder {
		letter := v[2+2*i]
		s, ok := gcdLetters[letter]
		if !ok {
			s = ConsentSignal{ConsentUnknown, "gcd: unknown letter " + string(rune(letter))}
		}
		out[name] = s
	}
	return out
}

// addConsentFields adds the decoded Consent Mode parameters of a Google hit
// as Technical fields beside the raw ones: "gcs>ad_storage",
// "gcd>ad_user_data" (state and how it was set), "dma_cps>services".
func addConsentFields(b *builder) {
	for _, f := range append([]Field(nil), b.hit.Fields...) {
		switch f.Name {
		case "gcs":
			for _, name := range []string{"ad_storage", "analytics_storage"} {
				if s, ok := parseGCS(f.Value)[name]; ok {
					b.addAs("gcs>"+name, string(s.State), Technical)
				}
			}
		case "gcd":
			m := parseGCD(f.Value)
			for _, name := range gcdOrder {
				if s, ok := m[name]; ok {
					b.addAs("gcd>"+name, string(s.State)+" ("+strings.TrimPrefix(s.Source, "gcd: ")+")", Technical)
				}
			}
		case "dma_cps":
			b.addAs("dma_cps>services", dmaServices(f.Value), Technical)
		}
	}
}

// dmaServices spells out a dma_cps value: one letter per Google service
// the visitor's consent is shared with ("-" none; "o", other, unconfirmed).
func dmaServices(v string) string {
	names := map[rune]string{'s': "search", 'y': "youtube", 'p': "play", 'h': "shopping",
		'a': "ads", 'm': "maps", 'o': "other"}
	var out []string
	for _, c := range v {
		if n, ok := names[c]; ok {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ",")
}
