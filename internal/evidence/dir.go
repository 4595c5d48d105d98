package evidence

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// maxDirEntries bounds how many entries (files and folders) Verify walks
// in an unpacked bundle; a bundle holds a handful.
const maxDirEntries = 1 << 16

// verifyDir checks a bundle unpacked into dir. Files are opened through
// an os.Root, so nothing outside dir is read; symbolic links, devices and
// pipes are never opened, only named.
func verifyDir(ctx context.Context, dir string, opts VerifyOptions) (*Result, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	entries, err := dirEntries(ctx, root, opts.maxTotal())
	if err != nil {
		return nil, err
	}
	return verifyEntries(ctx, entries, opts)
}

// dirEntries lists the files under root by slash-separated name, refusing
// a tree of more than maxDirEntries entries or whose files add up to more
// than budget bytes before anything is read.
func dirEntries(ctx context.Context, root *os.Root, budget uint64) (entrySet, error) {
	entries := entrySet{}
	var total uint64
	n := 0
	err := fs.WalkDir(root.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case ctx.Err() != nil:
			return fmt.Errorf("verify stopped: %w", ctx.Err())
		case name == ".":
			return nil
		}
		if n++; n > maxDirEntries {
			return fmt.Errorf("more than %d entries: not an evidence bundle", maxDirEntries)
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			entries[name] = append(entries[name], bundleEntry{notFile: describeMode(d.Type())})
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		size := uint64(info.Size())
		if total += size; total > budget {
			return fmt.Errorf("the folder's files add up to more than %d bytes (the budget)", budget)
		}
		entries[name] = append(entries[name], bundleEntry{size: size, open: func() (io.ReadCloser, error) {
			return openRegular(root, name)
		}})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return entries, nil
}

// openRegular opens name under root, refusing anything that became other
// than a regular file since the walk.
func openRegular(root *os.Root, name string) (io.ReadCloser, error) {
	f, err := root.Open(name)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err == nil && !st.Mode().IsRegular() {
		err = errors.New(describeMode(st.Mode().Type()))
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

func describeMode(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
}
