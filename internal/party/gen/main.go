// Command gen refreshes the embedded entity data of package party from the
// MIT-licensed npm package third-party-web: it installs the pinned version
// with npm into a temporary directory, converts dist/entities-nostats.json to
// the compact line format party embeds, and copies the package's licence.
//
// Run it through `go generate ./internal/party` (npm must be on PATH).
//
// With -webxray FILE it also converts a local copy of webXray's
// domain_owners.json (GPL-3.0, like this project; not on npm, so it is not
// fetched) to data/webxray.tsv, which party merges under third-party-web.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
)

// version is the pinned third-party-web release. Change it deliberately and
// review the diff of the generated file.
const version = "0.30.0"

const (
	dataFile       = "entities.tsv"
	licenseFile    = "THIRD_PARTY_WEB_LICENSE"
	webxrayFile    = "webxray.tsv"
	webxrayLicense = "WEBXRAY_LICENSE"
)

func main() {
	out := flag.String("out", "data", "directory to write "+dataFile+" and "+licenseFile+" into")
	webxray := flag.String("webxray", "", "also convert this webXray domain_owners.json to "+webxrayFile)
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := run(ctx, *out)
	if err == nil && *webxray != "" {
		err = runWebXray(*webxray, *out)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// runWebXray converts a local webXray domain_owners.json.
func runWebXray(path, out string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	table, err := convertWebXray(raw, filepath.Base(path))
	if err != nil {
		return fmt.Errorf("convert %s: %w", path, err)
	}
	notice := "The file " + webxrayFile + " is derived from webXray's domain_owners.json\n" +
		"(https://github.com/timlib/webXray), distributed under the GNU General Public\n" +
		"License version 3, the licence of this project (see LICENSE at the repository root).\n"
	if err := os.WriteFile(filepath.Join(out, webxrayFile), table, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, webxrayLicense), []byte(notice), 0o644)
}

func run(ctx context.Context, out string) error {
	tmp, err := os.MkdirTemp("", "third-party-web-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	cmd := exec.CommandContext(ctx, "npm", "install", "--prefix", tmp,
		"--ignore-scripts", "--no-audit", "--no-fund", "--no-save",
		"third-party-web@"+version)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("npm install third-party-web@%s: %w", version, err)
	}
	pkg := filepath.Join(tmp, "node_modules", "third-party-web")
	if err := checkPackage(pkg); err != nil {
		return err
	}
	raw, err := os.ReadFile(filepath.Join(pkg, "dist", "entities-nostats.json"))
	if err != nil {
		return err
	}
	table, err := convert(raw, version)
	if err != nil {
		return fmt.Errorf("convert entities-nostats.json: %w", err)
	}
	lic, err := os.ReadFile(filepath.Join(pkg, "LICENSE"))
	if err != nil {
		return err
	}
	notice := fmt.Sprintf("The file %s is derived from the npm package third-party-web %s\n"+
		"(https://github.com/patrickhulce/third-party-web), distributed under this licence:\n\n%s",
		dataFile, version, lic)
	if err := os.WriteFile(filepath.Join(out, dataFile), table, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, licenseFile), []byte(notice), 0o644)
}

// checkPackage makes sure npm installed the pinned, MIT-licensed release.
func checkPackage(dir string) error {
	b, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return err
	}
	var meta struct{ Version, License string }
	if err := json.Unmarshal(b, &meta); err != nil {
		return fmt.Errorf("third-party-web package.json: %w", err)
	}
	if meta.Version != version {
		return fmt.Errorf("npm installed third-party-web %s, want %s", meta.Version, version)
	}
	if meta.License != "MIT" {
		return errors.New("third-party-web licence is " + meta.License + ", not MIT: review before embedding")
	}
	return nil
}
