package crawl

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/leakwatch/leakwatch/internal/browser"
)

// Step is one scripted interaction.
type Step struct {
	// Action is one of Actions.
	Action string
	// URL is the address for goto (http, https or about:blank) and the
	// substring wait_url waits for.
	URL string
	// URLPattern is the regular expression wait_url waits for.
	URLPattern *regexp.Regexp
	// Selector is the CSS selector the action works on; for press and
	// expect it is optional.
	Selector string
	// Text is what type types, key by key, or the text expect looks for.
	Text string
	// Key is the key press presses: one character or a name such as Enter.
	Key string
	// Value is the option select chooses, or the value of set_cookie.
	Value string
	// Checked is the state check leaves a checkbox in.
	Checked bool
	// Cookie names set_cookie's cookie (Name, Domain, Path, Secure, HTTPOnly).
	CookieName, CookieDomain, CookiePath string
	CookieSecure, CookieHTTPOnly         bool
	// Wait is the pause of a wait step without a selector.
	Wait time.Duration
	// Delay is the pause after each key typed.
	Delay time.Duration
	// Secret marks what type types as a secret (a password, a one-time
	// code) that outputs must redact wherever it appears, in any encoding.
	// Text typed into a password field is secret without it; see
	// TypedSecrets and Options.OnSecret.
	Secret bool
	// Timeout bounds the step; 0 means DefaultStepTimeout (and the page
	// timeout for goto).
	Timeout time.Duration
	// Optional steps may fail without failing the scan.
	Optional bool
	// Name names a screenshot.
	Name string
	// Line is the step's line in its file, for error messages.
	Line int
}

// DefaultStepTimeout bounds a step that sets no timeout of its own.
const DefaultStepTimeout = 10 * time.Second

// actionSpec says how a step's value is written: scalar is the key a
// plain value fills ("" when the action needs a map), keys the keys its map
// may hold besides optional and timeout, and required those it must hold.
type actionSpec struct {
	scalar   string
	keys     []string
	required []string
	build    func(st *Step, f map[string]string) error
}

var selectorOnly = actionSpec{scalar: "selector", keys: []string{"selector"}, required: []string{"selector"}}

// actionSpecs are the step actions, as data; Actions lists their names.
var actionSpecs = map[string]actionSpec{
	"goto":       {scalar: "url", keys: []string{"url"}, required: []string{"url"}, build: buildGoto},
	"click":      selectorOnly,
	"submit":     selectorOnly,
	"clear":      selectorOnly,
	"hover":      selectorOnly,
	"scroll_to":  selectorOnly,
	"check":      {scalar: "selector", keys: []string{"selector", "checked"}, required: []string{"selector"}, build: buildCheck},
	"type":       {keys: []string{"selector", "text", "delay", "secret"}, required: []string{"selector", "text"}, build: buildType},
	"press":      {scalar: "key", keys: []string{"key", "selector"}, required: []string{"key"}, build: buildPress},
	"select":     {keys: []string{"selector", "value"}, required: []string{"selector", "value"}},
	"wait":       {scalar: "duration", keys: []string{"selector", "duration"}, build: buildWait},
	"wait_url":   {scalar: "url", keys: []string{"url", "regex"}, build: buildWaitURL},
	"expect":     {scalar: "text", keys: []string{"text", "selector"}, build: buildExpect},
	"set_cookie": {keys: []string{"name", "value", "domain", "url", "path", "secure", "http_only"}, required: []string{"name", "value"}, build: buildCookie},
	"screenshot": {scalar: "name", keys: []string{"name"}, required: []string{"name"}},
}

// Actions lists the step actions a steps file may use.
var Actions = []string{"goto", "click", "type", "press", "select", "clear", "check", "hover",
	"scroll_to", "submit", "wait", "wait_url", "expect", "set_cookie", "screenshot"}

// maxWait bounds waits and timeouts so a typo cannot stall a scan for hours.
const maxWait = 5 * time.Minute

// LoadSteps reads a YAML steps file; its errors name the file once.
func LoadSteps(path string) ([]Step, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read steps: %w", err)
	}
	steps, err := ParseSteps(data)
	if err != nil {
		return nil, fmt.Errorf("steps %s: %w", path, err)
	}
	return steps, nil
}

// ParseSteps parses a YAML list of steps, each a map with one action
// (docs/steps.schema.json describes them all):
//
//   - goto: https://shop.example/login
//   - type: {selector: "#email", text: "erika@example.com", delay: 50ms}
//   - type: {selector: "#pin", text: "493021", secret: true}
//   - press: Enter
//   - click: {selector: "#login", timeout: 20s}
//   - wait_url: /account
//   - expect: {selector: "#account-name"}
//   - click: {selector: "#cookie-banner button", optional: true}
func ParseSteps(data []byte) ([]Step, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("parse steps: %w", err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, errors.New("parse steps: want one YAML document")
	}
	list := doc.Content[0]
	if list.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("line %d: steps must be a YAML list (- goto: URL ...)", list.Line)
	}
	steps := make([]Step, 0, len(list.Content))
	for i, item := range list.Content {
		st, err := parseStep(item)
		if err != nil {
			return nil, fmt.Errorf("step %d (line %d): %w", i+1, item.Line, err)
		}
		steps = append(steps, st)
	}
	return steps, nil
}

func parseStep(n *yaml.Node) (Step, error) {
	if n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		return Step{}, fmt.Errorf("want a map with one action (%s)", strings.Join(Actions, ", "))
	}
	key, val := n.Content[0], n.Content[1]
	spec, ok := actionSpecs[key.Value]
	if !ok {
		return Step{}, fmt.Errorf("unknown action %q; want one of %s", key.Value, strings.Join(Actions, ", "))
	}
	f, err := stepFields(val, spec)
	if err != nil {
		return Step{}, fmt.Errorf("%s: %w", key.Value, err)
	}
	st := Step{Action: key.Value, Line: n.Line, Selector: strings.TrimSpace(f["selector"]),
		Value: f["value"], Name: strings.TrimSpace(f["name"])}
	if err := commonFields(&st, f); err != nil {
		return Step{}, fmt.Errorf("%s: %w", key.Value, err)
	}
	if spec.build != nil {
		if err := spec.build(&st, f); err != nil {
			return Step{}, fmt.Errorf("%s: %w", key.Value, err)
		}
	}
	return st, nil
}

// stepFields decodes a step's value into its fields: a plain value fills
// the spec's scalar key, a map is checked against its keys.
func stepFields(n *yaml.Node, spec actionSpec) (map[string]string, error) {
	out := map[string]string{}
	switch {
	case n.Kind == yaml.ScalarNode && spec.scalar != "":
		if strings.TrimSpace(n.Value) == "" {
			return nil, errors.New("want a non-empty text value")
		}
		out[spec.scalar] = n.Value
		return out, nil
	case n.Kind != yaml.MappingNode:
		if spec.scalar != "" {
			return nil, fmt.Errorf("want a non-empty text value or a map with %s", strings.Join(spec.keys, ", "))
		}
		return nil, fmt.Errorf("want a map with %s", strings.Join(spec.keys, ", "))
	}
	allowed := append([]string{"optional", "timeout"}, spec.keys...)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i].Value, n.Content[i+1]
		if !contains(allowed, k) {
			return nil, fmt.Errorf("unknown key %q; want %s", k, strings.Join(allowed, ", "))
		}
		if v.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("%s: want a text value", k)
		}
		out[k] = v.Value
	}
	for _, k := range spec.required {
		if _, ok := out[k]; !ok || k != "text" && k != "value" && strings.TrimSpace(out[k]) == "" {
			return nil, fmt.Errorf("%s is required", k)
		}
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// commonFields reads the keys every action takes: optional and timeout.
func commonFields(st *Step, f map[string]string) error {
	if v, ok := f["optional"]; ok {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("optional: %q is not true or false", v)
		}
		st.Optional = b
	}
	if v, ok := f["timeout"]; ok {
		d, err := duration(v)
		if err != nil {
			return fmt.Errorf("timeout: %w", err)
		}
		st.Timeout = d
	}
	return nil
}

func duration(v string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(v))
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration like 2s or 500ms", v)
	}
	if d <= 0 || d > maxWait {
		return 0, fmt.Errorf("%s is outside (0, %s]", d, maxWait)
	}
	return d, nil
}

func buildGoto(st *Step, f map[string]string) error {
	st.URL = strings.TrimSpace(f["url"])
	if st.URL == "about:blank" {
		return nil
	}
	return checkURL(st.URL)
}

func buildCheck(st *Step, f map[string]string) error {
	st.Checked = true
	if v, ok := f["checked"]; ok {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("checked: %q is not true or false", v)
		}
		st.Checked = b
	}
	return nil
}

func buildType(st *Step, f map[string]string) error {
	st.Text = f["text"]
	if v, ok := f["secret"]; ok {
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("secret: %q is not true or false", v)
		}
		st.Secret = b
	}
	if v, ok := f["delay"]; ok {
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil || d < 0 || d > 5*time.Second {
			return fmt.Errorf("delay: %q is not a duration between 0 and 5s", v)
		}
		st.Delay = d
	}
	return nil
}

func buildPress(st *Step, f map[string]string) error {
	st.Key = f["key"]
	if !browser.ValidKey(st.Key) {
		return fmt.Errorf("unknown key %q; want one character or one of %s", st.Key,
			strings.Join(browser.KeyNames(), ", "))
	}
	return nil
}

func buildWait(st *Step, f map[string]string) error {
	d, hasD := f["duration"]
	switch {
	case hasD && st.Selector != "":
		return errors.New("give a duration or a selector, not both")
	case hasD:
		w, err := duration(d)
		st.Wait = w
		return err
	case st.Selector == "":
		return errors.New("selector is required")
	}
	return nil
}

func buildWaitURL(st *Step, f map[string]string) error {
	sub, re := f["url"], f["regex"]
	switch {
	case (sub == "") == (re == ""):
		return errors.New("give url (a substring) or regex, one of them")
	case re != "":
		p, err := regexp.Compile(re)
		if err != nil {
			return fmt.Errorf("regex: %w", err)
		}
		st.URLPattern = p
	}
	st.URL = sub
	return nil
}

func buildExpect(st *Step, f map[string]string) error {
	st.Text = f["text"]
	if (st.Text == "") == (st.Selector == "") {
		return errors.New("give text or selector, one of them")
	}
	return nil
}

func buildCookie(st *Step, f map[string]string) error {
	st.CookieName, st.CookieDomain, st.CookiePath = f["name"], f["domain"], f["path"]
	st.Name = "" // a screenshot's name, not the cookie's
	if u := f["url"]; u != "" {
		if err := checkURL(u); err != nil {
			return err
		}
		pu, _ := url.Parse(u)
		st.CookieDomain, st.CookieSecure = pu.Hostname(), pu.Scheme == "https"
	}
	for k, dst := range map[string]*bool{"secure": &st.CookieSecure, "http_only": &st.CookieHTTPOnly} {
		if v, ok := f[k]; ok {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("%s: %q is not true or false", k, v)
			}
			*dst = b
		}
	}
	return nil
}

func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("bad URL %q: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("bad URL %q: want an absolute http or https URL", raw)
	}
	return nil
}
