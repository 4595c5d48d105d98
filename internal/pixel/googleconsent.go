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

// gcdAlphabet is the web-safe alphabet gcd characters index into.
const gcdAlphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"

// gcdOrder is the order of the signals in gcd: after the leading "1", each
// signal is a separator character then a letter.
var gcdOrder = []string{"ad_storage", "analytics_storage", "ad_user_data", "ad_personalization"}

// gcdState reads one 2-bit gcd field: 1 not set, 2 denied, 3 granted; ok is
// false for 0 (no defined meaning).
func gcdState(v int) (state ConsentValue, set, ok bool) {
	switch v & 3 {
	case 1:
		return ConsentUnknown, false, true
	case 2:
		return ConsentDenied, true, true
	case 3:
		return ConsentGranted, true, true
	}
	return ConsentUnknown, false, false
}

// gcdSignal decodes one signal of gcd. The letter's index in gcdAlphabet
// packs three 2-bit fields, declare<<4 | default<<2 | update (so l is
// nothing set, p denied by default, r denied by default then granted by
// update, v granted by both, m/n denied/granted by an update alone); the
// separator's low two bits are the tag's implicit default (unconfirmed),
// reported in the source of a signal nothing set. The state is the first
// one set of update, default, declare; a signal not set is unknown.
func gcdSignal(sep, letter byte) ConsentSignal {
	li, si := strings.IndexByte(gcdAlphabet, letter), strings.IndexByte(gcdAlphabet, sep)
	unknown := ConsentSignal{ConsentUnknown, "gcd: unknown letter " + string(rune(letter))}
	if li < 0 {
		return unknown
	}
	decl, declSet, ok1 := gcdState(li >> 4)
	def, defSet, ok2 := gcdState(li >> 2)
	upd, updSet, ok3 := gcdState(li)
	if !ok1 || !ok2 || !ok3 {
		return unknown
	}
	switch {
	case updSet && defSet && upd == def:
		return ConsentSignal{upd, "gcd: default and update"}
	case updSet && defSet:
		return ConsentSignal{upd, "gcd: update over a " + string(def) + " default"}
	case updSet:
		return ConsentSignal{upd, "gcd: update"}
	case defSet:
		return ConsentSignal{def, "gcd: default"}
	case declSet:
		return ConsentSignal{decl, "gcd: declared"}
	}
	if si >= 0 {
		if imp, set, _ := gcdState(si); set {
			// The tag's own default applies; nothing was set (unconfirmed).
			return ConsentSignal{ConsentUnknown, "gcd: not set, implicit " + string(imp)}
		}
	}
	return ConsentSignal{ConsentUnknown, "gcd: not set"}
}

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

// parseGCD reads the four signals of a gcd value ("13r3r3r2r5l1"):
// separator and letter at offsets 1+2i and 2+2i.
func parseGCD(v string) map[string]ConsentSignal {
	if len(v) < 2*len(gcdOrder)+1 {
		return nil
	}
	out := map[string]ConsentSignal{}
	for i, name := range gcdOrder {
		out[name] = gcdSignal(v[1+2*i], v[2+2*i])
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
