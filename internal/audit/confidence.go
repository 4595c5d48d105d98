package audit

import (
	"fmt"
	"slices"

	"github.com/leakwatch/leakwatch/internal/leak"
	"github.com/leakwatch/leakwatch/internal/pixel"
)

// notPersonal are pixel field meanings a vendor documents as carrying no
// personal value: a pattern found there (a Luhn-valid cache buster in a
// Floodlight ord=, a click ID shaped like a phone number) is low confidence.
var notPersonal = []pixel.Meaning{pixel.Technical, pixel.BrowserID, pixel.ClickID, pixel.AccountID,
	pixel.EventName, pixel.Device}

// judgeByMeaning lowers a pattern match found in a field the request's
// pixel decoder names as technical or an identifier.
func judgeByMeaning(m *leak.PatternMatch, fields []pixel.Field) {
	if m.Confidence == leak.ConfidenceLow || len(fields) == 0 || m.Location == "" {
		return
	}
	f, ok := pixel.FieldAt(fields, m.Location)
	if !ok || !slices.Contains(notPersonal, f.Meaning) {
		return
	}
	m.Confidence = leak.ConfidenceLow
	m.Reason = fmt.Sprintf("the vendor documents %s as a %s field, not personal data", f.Name, meaningWords(f.Meaning))
}

func meaningWords(m pixel.Meaning) string {
	switch m {
	case pixel.Technical:
		return "technical (version, time, random number, consent flag)"
	case pixel.BrowserID:
		return "browser identifier"
	case pixel.ClickID:
		return "ad click identifier"
	case pixel.AccountID:
		return "account (tag ID)"
	case pixel.EventName:
		return "event name"
	}
	return string(m)
}

// cookieIdentifiers lowers pattern findings whose value is an identifier
// cookie seen in the same capture: a number that passes Luhn but is a
// TubeMogul or AppNexus user ID followed through syncs is an ID, not a card.
func (s *state) cookieIdentifiers(r *Report) {
	for i := range r.Findings {
		f := &r.Findings[i]
		if f.Type != TypePattern || f.Confidence == ConfidenceLow || f.Request == nil {
			continue
		}
		a := s.analyzers[f.Request.Source]
		if a == nil {
			continue
		}
		if cookie, owner, ok := a.Identifier(f.Value); ok {
			f.Confidence = ConfidenceLow
			f.Reason = fmt.Sprintf("the same value is the identifier in cookie %s of %s", cookie, owner)
		}
	}
}
