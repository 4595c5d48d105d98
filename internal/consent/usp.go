package consent

import (
	"fmt"
	"strings"
)

// USP is a decoded IAB US Privacy (CCPA) string such as "1YNN": version,
// then Y (yes), N (no) or - (not applicable) for each of notice given,
// opted out of sale, and transaction covered by the LSPA.
type USP struct {
	Version     int    `json:"version"`
	Notice      string `json:"notice"`
	OptOutSale  string `json:"opt_out_sale"`
	LSPACovered string `json:"lspa_covered"`
}

// OptedOut reports whether the visitor opted out of the sale of data.
func (u USP) OptedOut() bool { return u.OptOutSale == "Y" }

// Applies reports whether the string claims CCPA applies ("1---" does not).
func (u USP) Applies() bool { return u.Notice != "-" || u.OptOutSale != "-" || u.LSPACovered != "-" }

// ParseUSP decodes a US Privacy string. Letters may be lower case; anything
// other than four characters, version 1 and Y/N/- is an error.
func ParseUSP(s string) (USP, error) {
	if len(s) != 4 {
		return USP{}, fmt.Errorf("US Privacy string %q: %d characters, not 4", clip(s), len(s))
	}
	if s[0] != '1' {
		return USP{}, fmt.Errorf("US Privacy string %q: version %q, not 1", s, s[0])
	}
	u := USP{Version: 1}
	dst := []*string{&u.Notice, &u.OptOutSale, &u.LSPACovered}
	for i, p := range dst {
		c := strings.ToUpper(s[i+1 : i+2])
		if c != "Y" && c != "N" && c != "-" {
			return USP{}, fmt.Errorf("US Privacy string %q: %q at %d is not Y, N or -", s, c, i+1)
		}
		*p = c
	}
	return u, nil
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
