package har

import (
	"fmt"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// consentField names this package's extension holding what a live scan did
// about consent: on a page, the banner answers; on the log, the consent
// mode and the opt-out signals sent.
const consentField = "_leakwatch_consent"

// harConsentAction is a traffic.ConsentAction in a page's _leakwatch_consent.
type harConsentAction struct {
	Platform string `json:"platform"`
	Action   string `json:"action"`
	Time     string `json:"time,omitempty"`
	Index    int    `json:"index"`
	Result   string `json:"result"`
	Detail   string `json:"detail,omitempty"`
}

// harConsentLog is the log's _leakwatch_consent.
type harConsentLog struct {
	Mode      string          `json:"mode,omitempty"`
	GPC       bool            `json:"gpc,omitempty"`
	DNT       bool            `json:"dnt,omitempty"`
	OptOut    bool            `json:"opt_out_recorded,omitempty"`
	WellKnown []harGPCSupport `json:"gpc_well_known,omitempty"`
}

type harGPCSupport struct {
	Origin     string `json:"origin"`
	Status     int    `json:"status"`
	GPC        *bool  `json:"gpc,omitempty"`
	LastUpdate string `json:"lastUpdate,omitempty"`
	Error      string `json:"error,omitempty"`
}

func harConsentActions(as []traffic.ConsentAction) []harConsentAction {
	out := make([]harConsentAction, 0, len(as))
	for _, a := range as {
		h := harConsentAction{Platform: a.Platform, Action: a.Action, Index: a.Index, Result: a.Result, Detail: a.Detail}
		if !a.Time.IsZero() {
			h.Time = formatTime(a.Time)
		}
		out = append(out, h)
	}
	return out
}

// consentActions reads a page's actions back; a bad time is a warning.
func (s *streamer) consentActions(hs []harConsentAction, page int) []traffic.ConsentAction {
	var out []traffic.ConsentAction
	for _, h := range hs {
		a := traffic.ConsentAction{Platform: h.Platform, Action: h.Action, Index: h.Index, Result: h.Result, Detail: h.Detail}
		if h.Time != "" {
			t, err := parseTime(h.Time)
			if err != nil {
				s.warn(fmt.Sprintf("%s: page %d: %s time: %v", s.name, page, consentField, err))
			}
			a.Time = t
		}
		out = append(out, a)
	}
	return out
}

// harConsentLogOf returns the log's field, or nil when c has nothing to say.
func harConsentLogOf(c *traffic.Capture) *harConsentLog {
	if c.Consent == "" && c.OptOut == nil {
		return nil
	}
	h := &harConsentLog{Mode: c.Consent}
	if o := c.OptOut; o != nil {
		h.OptOut, h.GPC, h.DNT = true, o.GPC, o.DNT
		for _, w := range o.WellKnown {
			h.WellKnown = append(h.WellKnown, harGPCSupport(w))
		}
	}
	return h
}

// setConsentLog puts the log's field into the capture.
func setConsentLog(c *traffic.Capture, h *harConsentLog) {
	c.Consent = h.Mode
	if !h.OptOut && !h.GPC && !h.DNT && len(h.WellKnown) == 0 {
		return
	}
	o := &traffic.OptOut{GPC: h.GPC, DNT: h.DNT}
	for _, w := range h.WellKnown {
		o.WellKnown = append(o.WellKnown, traffic.GPCSupport(w))
	}
	c.OptOut = o
}
