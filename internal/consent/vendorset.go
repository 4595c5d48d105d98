package consent

import (
	"fmt"
	"sort"
)

// VendorSet is a set of TCF vendor ids as a TC string encodes it: the
// highest id the section covers, how it was encoded, and the ids in it as
// sorted, non-overlapping ranges (a 65535-vendor bit field stays small).
type VendorSet struct {
	MaxVendorID int `json:"max_vendor_id"`
	// Encoding is "bitfield" or "range".
	Encoding string        `json:"encoding"`
	Ranges   []VendorRange `json:"ranges,omitempty"`
}

// VendorRange is an inclusive range of vendor ids.
type VendorRange struct {
	From int `json:"from"`
	To   int `json:"to"`
}

// Has reports whether id is in the set.
func (s VendorSet) Has(id int) bool {
	i := sort.Search(len(s.Ranges), func(i int) bool { return s.Ranges[i].To >= id })
	return i < len(s.Ranges) && s.Ranges[i].From <= id
}

// Len returns the number of ids in the set.
func (s VendorSet) Len() int {
	n := 0
	for _, r := range s.Ranges {
		n += r.To - r.From + 1
	}
	return n
}

// IDs returns at most limit ids of the set, ascending (all when limit <= 0).
func (s VendorSet) IDs(limit int) []int {
	var out []int
	for _, r := range s.Ranges {
		for id := r.From; id <= r.To; id++ {
			if limit > 0 && len(out) == limit {
				return out
			}
			out = append(out, id)
		}
	}
	return out
}

// readVendorSet reads a vendor section: MaxVendorId (16 bits), the encoding
// bit, then a bit field of MaxVendorId bits or a range list.
func readVendorSet(r *bitReader) (VendorSet, error) {
	maxID, err := r.int(16)
	if err != nil {
		return VendorSet{}, fmt.Errorf("max vendor id: %w", err)
	}
	isRange, err := r.bool()
	if err != nil {
		return VendorSet{}, fmt.Errorf("encoding type: %w", err)
	}
	s := VendorSet{MaxVendorID: maxID, Encoding: "bitfield"}
	if isRange {
		s.Encoding = "range"
		s.Ranges, err = readRanges(r, maxID)
		return s, err
	}
	if maxID > r.left() {
		return VendorSet{}, fmt.Errorf("bit field of %d vendors at bit %d of %d: %w", maxID, r.pos, r.bits(), errTruncated)
	}
	for id := 1; id <= maxID; id++ {
		if b, _ := r.read(1); b == 1 {
			s.Ranges = addID(s.Ranges, id)
		}
	}
	return s, nil
}

// addID appends id to ranges built in ascending order.
func addID(rs []VendorRange, id int) []VendorRange {
	if n := len(rs); n > 0 && rs[n-1].To == id-1 {
		rs[n-1].To = id
		return rs
	}
	return append(rs, VendorRange{id, id})
}

// readRanges reads NumEntries (12 bits) then that many entries, each a
// single id (IsARange 0, 16 bits) or a range (IsARange 1, two 16-bit ids),
// every id in 1..maxID. The result is sorted and merged.
func readRanges(r *bitReader, maxID int) ([]VendorRange, error) {
	n, err := r.int(12)
	if err != nil {
		return nil, fmt.Errorf("range entries: %w", err)
	}
	if 17*n > r.left() { // each entry takes at least 17 bits
		return nil, fmt.Errorf("%d range entries at bit %d of %d: %w", n, r.pos, r.bits(), errTruncated)
	}
	out := make([]VendorRange, 0, n)
	for i := 0; i < n; i++ {
		e, err := readRange(r)
		if err != nil {
			return nil, fmt.Errorf("range entry %d: %w", i+1, err)
		}
		if e.From < 1 || e.To < e.From || e.To > maxID {
			return nil, fmt.Errorf("range entry %d: vendors %d-%d outside 1-%d", i+1, e.From, e.To, maxID)
		}
		out = append(out, e)
	}
	return mergeRanges(out), nil
}

// readRange reads one range entry.
func readRange(r *bitReader) (VendorRange, error) {
	isRange, err := r.bool()
	if err != nil {
		return VendorRange{}, err
	}
	from, err := r.int(16)
	if err != nil {
		return VendorRange{}, err
	}
	if !isRange {
		return VendorRange{from, from}, nil
	}
	to, err := r.int(16)
	return VendorRange{from, to}, err
}

// mergeRanges sorts ranges and joins overlapping or adjacent ones.
func mergeRanges(rs []VendorRange) []VendorRange {
	sort.Slice(rs, func(i, j int) bool { return rs[i].From < rs[j].From })
	var out []VendorRange
	for _, x := range rs {
		if n := len(out); n > 0 && x.From <= out[n-1].To+1 {
			out[n-1].To = max(out[n-1].To, x.To)
			continue
		}
		out = append(out, x)
	}
	return out
}
