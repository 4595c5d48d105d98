package browser

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// quietPrefs are profile preferences that keep Chromium from calling
// Google on its own: Safe Browsing lookups, navigation error suggestions,
// search suggestions, network prediction, translation, spelling service,
// autofill and password services, sign-in, anonymized URL collection.
var quietPrefs = map[string]any{
	"safebrowsing.enabled":                         false,
	"safebrowsing.enhanced":                        false,
	"safebrowsing.scout_reporting_enabled":         false,
	"alternate_error_pages.enabled":                false,
	"search.suggest_enabled":                       false,
	"net.network_prediction_options":               2,
	"translate.enabled":                            false,
	"spellcheck.use_spelling_service":              false,
	"browser.enable_spellchecking":                 false,
	"autofill.profile_enabled":                     false,
	"autofill.credit_card_enabled":                 false,
	"credentials_enable_service":                   false,
	"profile.password_manager_enabled":             false,
	"signin.allowed":                               false,
	"url_keyed_anonymized_data_collection.enabled": false,
	"media_router.enable_media_router":             false,
	"domain_reliability.allowed_by_policy":         false,
}

// writeCookiePref sets profile.cookie_controls_mode to 0 (allow third-party
// cookies) in a Chromium Preferences file, keeping its other settings.
func writeCookiePref(path string) error {
	return writePrefs(path, map[string]any{"profile.cookie_controls_mode": 0})
}

// writePrefs sets preferences, named by dotted paths, in a Chromium
// Preferences file, keeping its other settings.
func writePrefs(path string, set map[string]any) error {
	prefs := map[string]any{}
	if data, err := os.ReadFile(path); err == nil && len(data) > 0 {
		if err := json.Unmarshal(data, &prefs); err != nil {
			return fmt.Errorf("read chromium preferences %s: %w", path, err)
		}
	}
	names := make([]string, 0, len(set))
	for k := range set {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		parts := strings.Split(name, ".")
		m := prefs
		for _, p := range parts[:len(parts)-1] {
			sub, ok := m[p].(map[string]any)
			if !ok {
				sub = map[string]any{}
				m[p] = sub
			}
			m = sub
		}
		m[parts[len(parts)-1]] = set[name]
	}
	data, err := json.Marshal(prefs)
	if err != nil {
		return fmt.Errorf("encode chromium preferences: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create profile dir: %w", err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return fmt.Errorf("write chromium preferences: %w", err)
	}
	return nil
}

// Process is a running process seen in /proc.
type Process struct {
	PID, PPID int
	// PGID is the process group; Chromium and its children share the
	// group Launch starts it in, whose ID is the main process ID.
	PGID    int
	Cmdline string
}

// Processes lists the processes whose command line contains substr. It is
// how Close finds stragglers and how tests check nothing survived.
func Processes(substr string) []Process {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var out []Process
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		raw, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil || len(raw) == 0 {
			continue
		}
		cmd := strings.TrimSpace(strings.ReplaceAll(string(raw), "\x00", " "))
		if !strings.Contains(cmd, substr) {
			continue
		}
		ppid, pgid := parentAndGroup(pid)
		out = append(out, Process{PID: pid, PPID: ppid, PGID: pgid, Cmdline: cmd})
	}
	return out
}

// parentAndGroup reads a process's parent and process group IDs.
func parentAndGroup(pid int) (ppid, pgid int) {
	data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0, 0
	}
	// The command name in parentheses may hold spaces; fields follow the last ')'.
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, 0
	}
	f := strings.Fields(s[i+1:]) // state, ppid, pgrp, ...
	if len(f) < 3 {
		return 0, 0
	}
	ppid, _ = strconv.Atoi(f[1])
	pgid, _ = strconv.Atoi(f[2])
	return ppid, pgid
}

// killByCmdline kills every process whose command line contains substr.
func killByCmdline(substr string) {
	self := os.Getpid()
	for _, p := range Processes(substr) {
		if p.PID == self {
			continue
		}
		if proc, err := os.FindProcess(p.PID); err == nil {
			_ = proc.Kill()
		}
	}
}
