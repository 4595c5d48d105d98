package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/leakwatch/leakwatch/internal/crawl"
	"github.com/leakwatch/leakwatch/internal/lab"
	"github.com/leakwatch/leakwatch/internal/server"
	"github.com/leakwatch/leakwatch/internal/store"
)

// demoPersona is the name the lab's persona is stored under with --demo.
const demoPersona = "demo"

// serveDemo is the lab's demo site run inside 'serve --demo': scans reach
// its hostnames (and only those) directly, mapped to the lab's loopback
// port as 'leakwatch demo' maps them; every other connection still goes
// through the network guard.
type serveDemo struct {
	site  *lab.Site
	hosts map[string]bool
}

func startServeDemo(ctx context.Context, e *env, st store.Store) (*serveDemo, error) {
	site, err := lab.Start(ctx, lab.Options{Logger: e.log()})
	if err != nil {
		return nil, fmt.Errorf("start demo site: %w", err)
	}
	d := &serveDemo{site: site, hosts: map[string]bool{}}
	for _, h := range lab.Hosts() {
		d.hosts[h] = true
	}
	// The demo account's persona, so that a scan can search for it; only
	// where personas can be stored (a key is set).
	if err := st.PutPersona(ctx, demoPersona, site.Persona()); err != nil && !errors.Is(err, store.ErrNoKey) {
		site.Close()
		return nil, fmt.Errorf("store the demo persona: %w", err)
	}
	return d, nil
}

func (d *serveDemo) Close() error { return d.site.Close() }

// chromeArgs adds to the guard proxy's flags: the lab's hostnames bypass
// the proxy and resolve to the lab, whose certificate is trusted.
func (d *serveDemo) chromeArgs(proxyArgs []string) []string {
	hosts := lab.Hosts()
	rules := make([]string, len(hosts))
	for i, h := range hosts {
		rules[i] = "MAP " + h + " " + d.site.Addr()
	}
	out := make([]string, 0, len(proxyArgs)+2)
	for _, a := range proxyArgs {
		if v, ok := strings.CutPrefix(a, "--proxy-bypass-list="); ok {
			a = "--proxy-bypass-list=" + v + ";" + strings.Join(hosts, ";")
		}
		out = append(out, a)
	}
	return append(out, "--host-resolver-rules="+strings.Join(rules, ", "),
		"--ignore-certificate-errors-spki-list="+d.site.SPKIHash())
}

// check lets https URLs of the lab's hostnames through and asks next about
// the rest.
func (d *serveDemo) check(next server.TargetCheck) server.TargetCheck {
	return func(ctx context.Context, rawURL string) error {
		u, err := url.Parse(rawURL)
		if err == nil && u.Scheme == "https" && u.User == nil && u.Port() == "" && d.hosts[strings.ToLower(u.Hostname())] {
			return nil
		}
		return next(ctx, rawURL)
	}
}

// consentRules are the consent platforms a demo scan answers: the lab's
// own CMP besides the known ones.
func (d *serveDemo) consentRule() crawl.ConsentRule { return labConsentRule(lab.ConsentPlatform()) }
