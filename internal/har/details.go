package har

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// timeLayouts are the startedDateTime forms exporters write: ISO 8601 with
// offset (any fraction length), without the colon, or without a zone (UTC).
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
}

// cookieLayouts add the HTTP date forms of cookie expiry.
var cookieLayouts = []string{
	time.RFC1123,
	"Mon, 02-Jan-2006 15:04:05 MST",
	time.RFC1123Z,
	time.RFC850,
	time.ANSIC,
}

// parseTime parses an ISO 8601 time into UTC.
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("cannot parse %q as an ISO 8601 time", truncate(s, 64))
}

// parseExpires reads a cookie expiry: ISO or HTTP date, or Unix seconds
// (Chrome); session cookies (-1, 0, empty) and unreadable values are zero.
func parseExpires(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	if t, ok := parseUnix(s); ok {
		return t
	}
	if t, err := parseTime(s); err == nil {
		return t
	}
	for _, l := range cookieLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// maxUnix is the first second of year 10000, past which ISO 8601 has no
// four-digit year to write.
const maxUnix = 253402300800

// parseUnix reads decimal Unix seconds exactly to the nanosecond; values of
// 0 or less are "unknown" (the zero time).
func parseUnix(s string) (time.Time, bool) {
	if strings.ContainsAny(s, "eE") {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return time.Time{}, false
		}
		if f <= 0 || f >= maxUnix {
			return time.Time{}, true
		}
		sec := int64(f)
		return time.Unix(sec, int64((f-float64(sec))*1e9)).UTC(), true
	}
	whole, frac, _ := strings.Cut(s, ".")
	sec, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || strings.HasPrefix(whole, "+") {
		return time.Time{}, false
	}
	var nsec int64
	if frac != "" {
		if len(frac) > 9 {
			frac = frac[:9]
		}
		frac += strings.Repeat("0", 9-len(frac))
		if nsec, err = strconv.ParseInt(frac, 10, 64); err != nil || nsec < 0 {
			return time.Time{}, false
		}
	}
	if sec < 0 || (sec == 0 && nsec == 0) || sec >= maxUnix {
		return time.Time{}, true
	}
	return time.Unix(sec, nsec).UTC(), true
}

// formatUnix writes t as decimal Unix seconds, exactly; 0 for the zero time.
func formatUnix(t time.Time) string {
	if t.IsZero() {
		return "0"
	}
	s := strconv.FormatInt(t.Unix(), 10)
	if ns := t.Nanosecond(); ns != 0 {
		s += strings.TrimRight(fmt.Sprintf(".%09d", ns), "0")
	}
	return s
}

func nilIfEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// initiator reads Chrome DevTools' _initiator object, else chrome-har's
// _initiator_detail (the same object as a JSON string), else the flat
// _initiator URL with _initiator_line/_column of chrome-har and WebPagetest.
func (s *streamer) initiator(e *harEntry, idx int) traffic.Initiator {
	raw := strings.TrimSpace(string(e.Initiator))
	if strings.HasPrefix(raw, "{") {
		var hi harInitiator
		if err := decodeInitiator([]byte(raw), &hi); err != nil {
			s.warnEntry(idx, "_initiator: %v", err)
			return traffic.Initiator{}
		}
		return fromCDP(&hi)
	}
	if e.InitiatorDetail != "" {
		var hi harInitiator
		if err := json.Unmarshal([]byte(e.InitiatorDetail), &hi); err == nil {
			return fromCDP(&hi)
		}
		s.warnEntry(idx, "_initiator_detail is not an initiator object; using _initiator")
	}
	in := traffic.Initiator{Type: string(e.InitiatorType)}
	if strings.HasPrefix(raw, `"`) {
		json.Unmarshal([]byte(raw), &in.URL)
	}
	// chrome-har and WebPagetest count lines and columns from 1.
	in.Line = max(e.InitiatorLine.Int(0)-1, 0)
	in.Column = max(e.InitiatorColumn.Int(0)-1, 0)
	if in.Type == "" && in.URL != "" {
		in.Type = "other"
	}
	return in
}

// fromCDP maps a Network.Initiator; the stack is flattened innermost first,
// the async parent stacks following their child.
func fromCDP(hi *harInitiator) traffic.Initiator {
	in := traffic.Initiator{
		Type: hi.Type, URL: hi.URL,
		Line: hi.LineNumber.Int(0), Column: hi.ColumnNumber.Int(0),
	}
	for st, depth := hi.Stack, 0; st != nil && depth < 1000; st, depth = st.Parent, depth+1 {
		for _, f := range st.CallFrames {
			in.Stack = append(in.Stack, traffic.StackFrame{
				Function: f.FunctionName, URL: f.URL,
				Line: f.LineNumber.Int(0), Column: f.ColumnNumber.Int(0),
			})
		}
	}
	return in
}

// webSocket maps Chrome's _webSocketMessages; binary frames (opcode 2) carry
// base64 data.
func (s *streamer) webSocket(ms []harWSMessage, idx int) []traffic.WebSocketFrame {
	if len(ms) == 0 {
		return nil
	}
	out := make([]traffic.WebSocketFrame, len(ms))
	for i, m := range ms {
		f := traffic.WebSocketFrame{Sent: m.Type == "send", Opcode: m.Opcode.Int(1)}
		if t, ok := parseFrameTime(string(m.Time)); ok {
			f.Time = t
		}
		if m.Data != "" {
			f.Data = []byte(m.Data)
			if f.Opcode == 2 {
				b, err := decodeBase64(m.Data)
				if err != nil {
					s.warnEntry(idx, "_webSocketMessages[%d]: invalid base64, kept as text", i)
				} else {
					f.Data = nilIfEmpty(b)
				}
			}
		}
		out[i] = f
	}
	return out
}
