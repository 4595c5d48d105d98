package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/leakwatch/leakwatch/internal/evidence"
)

// keygenOptions are keygen's flags.
type keygenOptions struct {
	out   string
	force bool
}

func newKeygenCmd(e *env) *cobra.Command {
	var o keygenOptions
	cmd := &cobra.Command{
		Use:   "keygen --out NAME",
		Short: "Make an Ed25519 key pair for signing evidence bundles",
		Long: `Keygen writes a new Ed25519 key pair for --sign and verify --key: the private key to NAME
(mode 0600, PEM PKCS #8) and the public key to NAME.pub (PEM PKIX), and prints the public
key's fingerprint (sha256: and the hex SHA-256 of its DER form, as
'openssl pkey -pubin -in NAME.pub -outform DER | sha256sum' prints it). Both are the
standard forms OpenSSL reads, so a bundle's signature can be checked without leakwatch.
The private key is not encrypted: keep it on a disk only you can read. It never overwrites
a key unless --force is given (a replaced private key cannot be recovered).

` + exitHelp,
		Example: `  leakwatch keygen --out ~/.leakwatch/evidence-key
  leakwatch analyze --evidence case.zip --sign ~/.leakwatch/evidence-key --signer "Jane Doe" session.har
  leakwatch verify --key ~/.leakwatch/evidence-key.pub case.zip`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runKeygen(e, o, rand.Reader)
		},
	}
	cmd.Flags().StringVar(&o.out, "out", "", "write the private key to NAME and the public key to NAME.pub")
	cmd.Flags().BoolVar(&o.force, "force", false, "replace existing key files")
	return cmd
}

func runKeygen(e *env, o keygenOptions, rnd io.Reader) error {
	switch {
	case o.out == "":
		return usagef("keygen needs --out NAME: the private key goes to NAME, the public key to NAME.pub")
	case strings.HasSuffix(o.out, ".pub"):
		return usagef("--out %s: --out names the private key; the public key is written beside it as NAME.pub", o.out)
	}
	pub, priv, err := evidence.GenerateKey(rnd)
	if err != nil {
		return err
	}
	privPEM, err := evidence.MarshalPrivateKey(priv)
	if err != nil {
		return err
	}
	pubPEM, err := evidence.MarshalPublicKey(pub)
	if err != nil {
		return err
	}
	files := []keyFile{{o.out, privPEM, 0o600}, {o.out + ".pub", pubPEM, 0o644}}
	if err := writeKeyFiles(files, o.force); err != nil {
		return fmt.Errorf("keygen: %w", err)
	}
	fmt.Fprintf(e.stdout, "private key: %s (keep it secret: whoever holds it can sign as you)\n", o.out)
	fmt.Fprintf(e.stdout, "public key:  %s (give it to whoever checks your bundles: leakwatch verify --key %s)\n", o.out+".pub", o.out+".pub")
	fmt.Fprintf(e.stdout, "fingerprint: %s\n", evidence.Fingerprint(pub))
	return nil
}

// keyFile is a key file to write.
type keyFile struct {
	path string
	data []byte
	mode os.FileMode
}

// writeKeyFiles writes each file to a temporary file beside it, then puts
// them in place: renamed over an old one with force, else linked, which
// fails if the name is taken (no check-then-write race). When a later file
// cannot be placed, the ones placed before it are removed.
func writeKeyFiles(files []keyFile, force bool) (err error) {
	var temps, placed []string
	defer func() {
		for _, t := range temps {
			os.Remove(t)
		}
		if err != nil && !force {
			for _, p := range placed {
				os.Remove(p)
			}
		}
	}()
	for _, f := range files {
		t, err := writeTemp(f)
		if err != nil {
			return err
		}
		temps = append(temps, t)
	}
	for i, f := range files {
		if force {
			err = os.Rename(temps[i], f.path)
		} else if err = os.Link(temps[i], f.path); errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s exists: keygen does not replace keys; use --force to replace it, or another --out", f.path)
		}
		if err != nil {
			return err
		}
		placed = append(placed, f.path)
	}
	return nil
}

// writeTemp writes f's content to a new file in f's folder with f's mode.
func writeTemp(f keyFile) (string, error) {
	tmp, err := os.CreateTemp(filepath.Dir(f.path), "."+filepath.Base(f.path)+".tmp-*")
	if err != nil {
		return "", err
	}
	_, err = tmp.Write(f.data)
	err = errors.Join(err, tmp.Chmod(f.mode), tmp.Close())
	if err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return tmp.Name(), nil
}
