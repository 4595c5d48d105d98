package jobs

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/leakwatch/leakwatch/internal/policy"
)

// Bounds of what a notification lists and quotes: a hostile capture may
// name thousands of receivers or carry megabyte URLs.
const (
	maxListed = 50   // entries per section
	maxQuoted = 300  // bytes of one value quoted in text
	maxValue  = 1024 // bytes of one value in the webhook JSON
)

// Event is the event name of a notification webhook.
const Event = "leakwatch.scan.new_findings"

// webhookBody is the JSON a webhook target receives.
type webhookBody struct {
	Event  string `json:"event"`
	Notice Notice `json:"notice"`
	Text   string `json:"text"`
}

// JSON is the webhook body of the notice.
func (n Notice) JSON() ([]byte, error) {
	b, err := json.Marshal(webhookBody{Event: Event, Notice: n.capped(), Text: n.Text()})
	if err != nil {
		return nil, fmt.Errorf("encode notice: %w", err)
	}
	return b, nil
}

// capped bounds the notice for the webhook body: maxListed entries per
// list, maxValue bytes per value (valid UTF-8, otherwise as found).
func (n Notice) capped() Notice {
	n.SiteURL = truncate(strings.ToValidUTF8(n.SiteURL, "\uFFFD"), maxValue)
	n.NewCompanies = cappedChanges(n.NewCompanies)
	n.NewDataKinds = cappedChanges(n.NewDataKinds)
	cs := make([]ConsentConflict, min(len(n.NewConsentConflicts), maxListed))
	for i := range cs {
		c := n.NewConsentConflicts[i]
		c.Company, c.Product, c.Denied = capValue(c.Company), capValue(c.Product), capValue(c.Denied)
		c.Page, c.Summary = capValue(c.Page), capValue(c.Summary)
		cs[i] = c
	}
	n.NewConsentConflicts = cs
	return n
}

func cappedChanges(in []policy.CompanyChange) []policy.CompanyChange {
	out := make([]policy.CompanyChange, min(len(in), maxListed))
	for i := range out {
		c := in[i]
		c.Company = capValue(c.Company)
		c.Domains, c.DataKinds, c.NewDataKinds, c.GoneDataKinds = capList(c.Domains), capList(c.DataKinds), capList(c.NewDataKinds), capList(c.GoneDataKinds)
		out[i] = c
	}
	return out
}

func capList(ss []string) []string {
	if ss == nil {
		return nil
	}
	out := make([]string, min(len(ss), maxListed))
	for i := range out {
		out[i] = capValue(ss[i])
	}
	return out
}

func capValue(s string) string { return truncate(strings.ToValidUTF8(s, "\uFFFD"), maxValue) }

// Title is the notice in one line, safe for an e-mail subject.
func (n Notice) Title() string {
	var parts []string
	add := func(k int, one, many string) {
		switch {
		case k == 1:
			parts = append(parts, "1 "+one)
		case k > 1:
			parts = append(parts, fmt.Sprintf("%d %s", k, many))
		}
	}
	add(len(n.NewCompanies), "new company", "new companies")
	add(len(n.NewDataKinds), "company receiving new data", "companies receiving new data")
	add(len(n.NewConsentConflicts), "new consent conflict", "new consent conflicts")
	return fmt.Sprintf("leakwatch: %s on %s", strings.Join(parts, ", "), clean(n.SiteURL))
}

// section is one part of a notice in lines of plain text.
type section struct {
	title string
	lines []string
}

func (n Notice) sections() []section {
	var out []section
	add := func(title string, lines []string) {
		if len(lines) > maxListed {
			lines = append(lines[:maxListed:maxListed], fmt.Sprintf("… and %d more", len(lines)-maxListed))
		}
		if len(lines) > 0 {
			out = append(out, section{title, lines})
		}
	}
	var l []string
	for _, c := range n.NewCompanies {
		l = append(l, clean(c.Company)+receives(c.DataKinds)+domainList(c.Domains))
	}
	add("New companies", l)
	l = nil
	for _, c := range n.NewDataKinds {
		l = append(l, clean(c.Company)+" now receives "+cleanJoin(c.NewDataKinds))
	}
	add("New data sent to known companies", l)
	l = nil
	for _, c := range n.NewConsentConflicts {
		l = append(l, clean(c.Company)+": "+clean(c.Summary)+pageRef(c.Page))
	}
	add("New consent conflicts", l)
	return out
}

// Text is the notice as plain text, ready for an e-mail body.
func (n Notice) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Scan %d of %s found what its %s (scan %d) did not.\n", n.ScanID, clean(n.SiteURL), n.Reference, n.Against)
	for _, s := range n.sections() {
		fmt.Fprintf(&b, "\n%s:\n", s.title)
		for _, l := range s.lines {
			fmt.Fprintf(&b, "  - %s\n", l)
		}
	}
	return b.String()
}

// Email is the notice as an e-mail subject and plain-text body.
func (n Notice) Email() (subject, body string) { return n.Title(), n.Text() }

// Slack is the notice as a Slack-compatible message ({"text", "blocks"}).
func (n Notice) Slack() ([]byte, error) {
	type text struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	type block struct {
		Type string `json:"type"`
		Text *text  `json:"text,omitempty"`
	}
	title := n.Title()
	blocks := []block{{Type: "header", Text: &text{"plain_text", truncate(title, 150)}}}
	for _, s := range n.sections() {
		var b strings.Builder
		b.WriteString("*" + slackEscape(s.title) + "*")
		for _, l := range s.lines {
			b.WriteString("\n• " + slackEscape(l))
		}
		blocks = append(blocks, block{Type: "section", Text: &text{"mrkdwn", truncate(b.String(), 3000)}})
	}
	out, err := json.Marshal(struct {
		Text   string  `json:"text"`
		Blocks []block `json:"blocks"`
	}{slackEscape(title), blocks})
	if err != nil {
		return nil, fmt.Errorf("encode Slack message: %w", err)
	}
	return out, nil
}

func receives(kinds []string) string {
	if len(kinds) == 0 {
		return ""
	}
	return " receives " + cleanJoin(kinds)
}

func domainList(ds []string) string {
	if len(ds) == 0 {
		return ""
	}
	return " (" + cleanJoin(ds[:min(len(ds), 5)]) + ")"
}

func pageRef(p string) string {
	if p == "" {
		return ""
	}
	return " [on " + clean(p) + "]"
}

func cleanJoin(ss []string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = clean(s)
	}
	return strings.Join(out, ", ")
}

// clean makes a value from a capture safe inside one line of text: control,
// format (bidi) and line-separator runes become spaces, invalid UTF-8 is
// replaced and the value is cut to maxQuoted bytes.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp) {
			return ' '
		}
		return r
	}, s)
	return truncate(s, maxQuoted)
}

// truncate cuts s to at most n bytes on a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// slackEscape escapes the three characters Slack's mrkdwn treats as markup
// for links and mentions, so a value cannot ping @channel or fake a link.
func slackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
