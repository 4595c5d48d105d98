package lab

import (
	"encoding/base64"
	"time"
)

// The lab CMP's identity in the TC strings it writes. No registered CMP
// has id 4095 (the largest 12-bit value), so the strings cannot be taken
// for a real CMP's.
const (
	labCMPID       = 4095
	labCMPVersion  = 1
	labGVLVersion  = 150
	labTCFPolicy   = 5 // TCF v2.3 policy
	labPurposes    = 11
	labPublisherCC = "US"
	labLanguage    = "EN"
)

// labTCFVendors are the IAB Global Vendor List ids of the lab's vendors
// that are on the list (Google Advertising Products 755, LinkedIn 804,
// Microsoft Advertising 1126); Meta, Snap and Pinterest do not register.
var labTCFVendors = []int{755, 804, 1126}

// tcChoice is what a lab visitor chose in the banner.
type tcChoice struct {
	Accept bool
	At     time.Time
}

// tcString encodes a TCF v2 TC string with the core segment only: every
// purpose and listed vendor consented on accept, none on reject.
func tcString(c tcChoice) string {
	var w bitWriter
	ds := uint64(c.At.UnixMilli() / 100)
	w.put(2, 6) // version
	w.put(ds, 36)
	w.put(ds, 36)
	w.put(labCMPID, 12)
	w.put(labCMPVersion, 12)
	w.put(1, 6) // consent screen
	w.letters(labLanguage)
	w.put(labGVLVersion, 12)
	w.put(labTCFPolicy, 6)
	w.flag(true)  // IsServiceSpecific
	w.flag(false) // UseNonStandardTexts
	w.put(0, 12)  // special feature opt-ins
	for i := 1; i <= 24; i++ {
		w.flag(c.Accept && i <= labPurposes)
	}
	w.put(0, 24)  // purposes' legitimate interest transparency
	w.flag(false) // PurposeOneTreatment
	w.letters(labPublisherCC)
	w.vendorBits(labTCFVendors, c.Accept) // vendor consents
	w.vendorBits(labTCFVendors, false)    // vendor legitimate interests
	w.put(0, 12)                          // no publisher restrictions
	return base64.RawURLEncoding.EncodeToString(w.bytes())
}

// bitWriter packs big-endian bit fields, as TC strings hold them.
type bitWriter struct {
	buf []byte
	n   int // bits written
}

func (w *bitWriter) flag(b bool) {
	if w.n%8 == 0 {
		w.buf = append(w.buf, 0)
	}
	if b {
		w.buf[w.n/8] |= 0x80 >> (w.n % 8)
	}
	w.n++
}

func (w *bitWriter) put(v uint64, bits int) {
	for i := bits - 1; i >= 0; i-- {
		w.flag(v>>i&1 == 1)
	}
}

// letters writes two-letter codes as 6-bit offsets from 'A'.
func (w *bitWriter) letters(s string) {
	for i := 0; i < len(s); i++ {
		w.put(uint64(s[i]-'A'), 6)
	}
}

// vendorBits writes a vendor section as a bit field up to the largest id:
// MaxVendorId, IsRangeEncoding 0, one bit per vendor.
func (w *bitWriter) vendorBits(ids []int, set bool) {
	maxID := 0
	if set {
		for _, id := range ids {
			maxID = max(maxID, id)
		}
	}
	w.put(uint64(maxID), 16)
	w.flag(false)
	on := map[int]bool{}
	for _, id := range ids {
		on[id] = set
	}
	for id := 1; id <= maxID; id++ {
		w.flag(on[id])
	}
}

func (w *bitWriter) bytes() []byte { return w.buf }
