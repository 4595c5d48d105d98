package sharedtest

import (
	"archive/zip"
	"io"
	"testing"
)

// ZipEntry is one file of a zip archive, read whole.
type ZipEntry struct {
	Name string
	Data []byte
}

// ReadZip reads every file of the zip archive at path, in archive order.
func ReadZip(tb testing.TB, path string) []ZipEntry {
	tb.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer zr.Close()
	var out []ZipEntry
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			tb.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, ZipEntry{f.Name, data})
	}
	return out
}
