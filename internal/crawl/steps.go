package crawl

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Step is one scripted interaction.
type Step struct {
	// Action is one of goto, click, type, submit, wait, screenshot.
	Action string
	// URL is the address for goto.
	URL string
	// Selector is the CSS selector for click, type, submit and wait.
	Selector string
	// Text is what type types, key by key.
	Text string
	// Wait is the pause of a wait step without a selector.
	Wait time.Duration
	// Name names a screenshot.
	Name string
	// Line is the step's line in its file, for error messages.
	Line int
}

// Actions lists the step actions a steps file may use.
var Actions = []string{"goto", "click", "type", "submit", "wait", "screenshot"}

// maxWait bounds a wait step so a typo cannot stall a scan for hours.
const maxWait = 5 * time.Minute

// LoadSteps reads a YAML steps file.
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

// ParseSteps parses a YAML list of steps, each a map with one action:
//
//   - goto: https://shop.example/login
//   - type: {selector: "#email", text: "erika@example.com"}
//   - click: "#login"
//   - submit: "#search"
//   - wait: 2s
//   - wait: {selector: "#account"}
//   - screenshot: account
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
	st := Step{Action: key.Value, Line: n.Line}
	switch key.Value {
	case "goto":
		u, err := scalar(val)
		if err == nil {
			err = checkURL(u)
		}
		st.URL = u
		return st, err
	case "click", "submit":
		sel, err := scalar(val)
		st.Selector = sel
		return st, err
	case "screenshot":
		name, err := scalar(val)
		st.Name = name
		return st, err
	case "type":
		return st, parseType(val, &st)
	case "wait":
		return st, parseWait(val, &st)
	}
	return Step{}, fmt.Errorf("unknown action %q; want one of %s", key.Value, strings.Join(Actions, ", "))
}

func scalar(n *yaml.Node) (string, error) {
	if n.Kind != yaml.ScalarNode || strings.TrimSpace(n.Value) == "" {
		return "", errors.New("want a non-empty text value")
	}
	return strings.TrimSpace(n.Value), nil
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

// fields decodes a mapping of text fields, rejecting unknown keys.
func fields(n *yaml.Node, allowed ...string) (map[string]string, error) {
	if n.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("want a map with %s", strings.Join(allowed, ", "))
	}
	out := map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i].Value, n.Content[i+1]
		ok := false
		for _, a := range allowed {
			ok = ok || a == k
		}
		if !ok {
			return nil, fmt.Errorf("unknown key %q; want %s", k, strings.Join(allowed, ", "))
		}
		if v.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("%s: want a text value", k)
		}
		out[k] = v.Value
	}
	return out, nil
}

func parseType(n *yaml.Node, st *Step) error {
	f, err := fields(n, "selector", "text")
	if err != nil {
		return err
	}
	st.Selector, st.Text = strings.TrimSpace(f["selector"]), f["text"]
	if st.Selector == "" {
		return errors.New("type: selector is required")
	}
	if _, ok := f["text"]; !ok {
		return errors.New("type: text is required")
	}
	return nil
}

func parseWait(n *yaml.Node, st *Step) error {
	if n.Kind == yaml.ScalarNode {
		d, err := time.ParseDuration(strings.TrimSpace(n.Value))
		if err != nil {
			return fmt.Errorf("wait: %q is not a duration like 2s or 500ms", n.Value)
		}
		if d <= 0 || d > maxWait {
			return fmt.Errorf("wait: %s is outside (0, %s]", d, maxWait)
		}
		st.Wait = d
		return nil
	}
	f, err := fields(n, "selector")
	if err != nil {
		return fmt.Errorf("wait: %w", err)
	}
	st.Selector = strings.TrimSpace(f["selector"])
	if st.Selector == "" {
		return errors.New("wait: selector is required")
	}
	return nil
}
