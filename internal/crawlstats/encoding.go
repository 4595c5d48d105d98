package crawlstats

import (
	"strings"
)

// stepClass says what a step of a finding's encoding chain is.
type stepClass int

const (
	stepEncoding  stepClass = iota // a reversible encoding or compression: kept in the label
	stepHash                       // a digest: kept, and the flow is hashed
	stepNormalize                  // a normalisation of the value before it was encoded: dropped from the label
)

// stepClasses names the steps leak's candidate pool and decoders write
// that are not plain encodings. A step not listed is an encoding: a new
// decoder shows in the label rather than vanishing from it.
var stepClasses = map[string]stepClass{
	"md2": stepHash, "md4": stepHash, "md5": stepHash, "sha1": stepHash, "sha224": stepHash,
	"sha256": stepHash, "sha384": stepHash, "sha512": stepHash, "sha3-224": stepHash,
	"sha3-256": stepHash, "sha3-384": stepHash, "sha3-512": stepHash, "sha256-salted": stepHash,
	"ripemd160": stepHash, "whirlpool": stepHash, "blake2b": stepHash, "blake2s": stepHash,
	"murmur3": stepHash, "crc32": stepHash,

	"trim": stepNormalize, "lower": stepNormalize, "lowercase": stepNormalize, "upper": stepNormalize,
	"digits": stepNormalize, "e164": stepNormalize, "national": stepNormalize, "no-spaces": stepNormalize,
	"phone-format": stepNormalize, "country-code": stepNormalize, "country-name": stepNormalize,
	"state-code": stepNormalize, "state-name": stepNormalize, "strip-punctuation": stepNormalize,
	"zip5": stepNormalize, "": stepNormalize,
}

func classOf(step string) stepClass {
	if c, ok := stepClasses[strings.ToLower(step)]; ok {
		return c
	}
	if strings.HasSuffix(step, "-normalize") || strings.HasSuffix(step, "-normalise") {
		return stepNormalize
	}
	return stepEncoding
}

// labelSep joins the steps of an encoding label, outermost first.
const labelSep = " > "

// EncodingLabel names a finding's encoding chain (outermost first) as the
// research tables count it: its encodings and hashes in order, without
// the normalisation applied before them ("plain" when nothing is left),
// and whether any step is a hash.
func EncodingLabel(chain []string) (label string, hashed bool) {
	var kept []string
	for _, s := range chain {
		switch classOf(s) {
		case stepNormalize:
			continue
		case stepHash:
			hashed = true
		}
		kept = append(kept, s)
	}
	if len(kept) == 0 {
		return "plain", false
	}
	return strings.Join(kept, labelSep), hashed
}
