package pixel

import (
	"bytes"
	"strings"
)

// Google's enhanced-conversions value ("user-provided data"), sent in the
// "em" parameter of Google Ads, Analytics and tag hits:
//
//	tv.1~em.<hash>~pn.<hash>~fn0.<hash>~ln0.<hash>~pc0.94577~co0.us
//
// is a version and "~"-separated "key.value" tokens: em e-mail, pn phone,
// fn/ln first and last name, and address parts numbered per address (sa
// street, ct city, rg region, pc postal code, co country; postal code and
// country in plaintext). It is parsed here, once, for the pixel decoders
// (fields "em>tv.1~em") and for the leak search, which gets SplitGoogleTV
// through audit as a leak.Splitter so that a finding names its slot
// ("em > tv.1~em").

// GoogleTVPrefix starts an enhanced-conversions value.
const GoogleTVPrefix = "tv.1~"

// SplitGoogleTV calls part for each token of v, an enhanced-conversions
// value: a "key.value" token with the slot name "tv.1~<key>" and its
// value, a token with no key (no '.', or nothing before it) with a nil
// name and the whole token. Text before the first '~' is the version.
func SplitGoogleTV(v []byte, part func(name, value []byte)) {
	_, rest, found := bytes.Cut(v, []byte("~"))
	for found {
		var tok []byte
		tok, rest, found = bytes.Cut(rest, []byte("~"))
		key, val, ok := bytes.Cut(tok, []byte("."))
		if !ok || len(key) == 0 {
			part(nil, tok)
			continue
		}
		part(append([]byte(GoogleTVPrefix), key...), val)
	}
}

// addEnhancedConversions adds the tokens of a "tv.1~em.<h>~pn.<h>~..."
// value as fields "<name>>tv.1~<key>"; a token with no '.' is a key with
// an empty value.
func addEnhancedConversions(b *builder, name, value string) {
	SplitGoogleTV([]byte(value), func(slot, part []byte) {
		key, v := "", string(part)
		if slot == nil {
			key, v, _ = strings.Cut(v, ".")
		} else {
			key = string(slot[len(GoogleTVPrefix):])
		}
		b.addAs(name+">tv.1~"+key, v, ecMeaning(key, v))
	})
}

// ecMeaning names an enhanced-conversions token by its key without the
// address index: em, pn, fn/ln, and address parts (postal code and country
// are sent in plaintext).
func ecMeaning(key, v string) Meaning {
	k := strings.TrimRight(key, "0123456789")
	switch k {
	case "em":
		return hashedOr(v, HashedEmail)
	case "pn":
		return hashedOr(v, HashedPhone)
	case "fn", "ln":
		return hashedOr(v, HashedName)
	case "pc", "co", "sa", "ct", "rg":
		return hashedOr(v, HashedAddress)
	}
	return Raw
}
