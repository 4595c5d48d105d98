package browser

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// writeCookiePref sets profile.cookie_controls_mode to 0 (allow third-party
// cookies) in a Chromium Preferences file, keeping its other settings.
func writeCookiePref(path string) error {
	prefs := map[string]any{}
	if data, err := os.ReadFile(path); err == nil && len(data) > 0 {
		if err := json.Unmarshal(data, &prefs); err != nil {
			return fmt.Errorf("read chromium preferences %s: %w", path, err)
		}
	}
	profile, _ := prefs["profile"].(map[string]any)
	if profile == nil {
		profile = map[string]any{}
	}
	profile["cookie_controls_mode"] = 0
	prefs["profile"] = profile
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
