package crawlstats_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/leakwatch/leakwatch/internal/crawlstats"
	"github.com/leakwatch/leakwatch/internal/store"
)

// expected are the rows of results read directly, without the store or
// a format in between.
func expected(runID int64, results []store.CrawlResult) []crawlstats.Record {
	var out []crawlstats.Record
	for _, r := range sortedBySite(results) {
		r.RunID = runID
		s := crawlstats.ReadResult(r)
		out = append(append(out, s.Row), s.Flows...)
	}
	return out
}

func sortedBySite(rs []store.CrawlResult) []store.CrawlResult {
	out := append([]store.CrawlResult(nil), rs...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j].Site < out[i].Site {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestExportRoundTrip(t *testing.T) {
	t.Parallel()
	results := crawl(t)
	st, run := storeRun(t, sqliteDSN(t), results)
	want := expected(run.ID, results)
	for _, c := range []struct {
		format string
		read   func(t *testing.T, b []byte) []crawlstats.Record
	}{
		{crawlstats.FormatJSONL, readJSONL},
		{crawlstats.FormatCSV, readCSV},
		{crawlstats.FormatParquet, readParquet},
	} {
		t.Run(c.format, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			n, err := crawlstats.Export(context.Background(), st, run.ID, c.format, &b)
			if err != nil {
				t.Fatal(err)
			}
			if n.Sites != len(results) || n.Sites+n.Flows != len(want) || n.ReportErrors != 0 {
				t.Errorf("counts %+v, want %d sites and %d rows", n, len(results), len(want))
			}
			got := c.read(t, b.Bytes())
			compareRecords(t, got, want)
		})
	}
}

func compareRecords(t *testing.T, got, want []crawlstats.Record) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("row %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

func readJSONL(t *testing.T, b []byte) []crawlstats.Record {
	t.Helper()
	var out []crawlstats.Record
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r crawlstats.Record
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("line %d: %v", len(out)+1, err)
		}
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// readCSV reads an export back into records, by the header's names, and
// undoes the apostrophe put before cells a spreadsheet would run.
func readCSV(t *testing.T, b []byte) []crawlstats.Record {
	t.Helper()
	if !bytes.Contains(b, []byte("\r\n")) {
		t.Error("CSV lines do not end in CRLF (RFC 4180)")
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != strings.Join(crawlstats.Columns(), ",") {
		t.Fatalf("header %q", rows[0])
	}
	var out []crawlstats.Record
	for _, row := range rows[1:] {
		var r crawlstats.Record
		v := reflect.ValueOf(&r).Elem()
		for i, cell := range row {
			if err := setField(v.Field(i), cell); err != nil {
				t.Fatalf("row %d column %s: %v", len(out)+1, rows[0][i], err)
			}
		}
		out = append(out, r)
	}
	return out
}

func setField(f reflect.Value, cell string) error {
	switch f.Kind() {
	case reflect.String:
		if len(cell) > 1 && cell[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(cell[1])) {
			cell = cell[1:]
		}
		f.SetString(cell)
	case reflect.Int64:
		n, err := strconv.ParseInt(cell, 10, 64)
		if err != nil {
			return err
		}
		f.SetInt(n)
	case reflect.Bool:
		v, err := strconv.ParseBool(cell)
		if err != nil {
			return err
		}
		f.SetBool(v)
	default:
		return fmt.Errorf("kind %s", f.Kind())
	}
	return nil
}

func readParquet(t *testing.T, b []byte) []crawlstats.Record {
	t.Helper()
	rd := parquet.NewGenericReader[crawlstats.Record](bytes.NewReader(b))
	defer rd.Close()
	out := make([]crawlstats.Record, 0, rd.NumRows())
	buf := make([]crawlstats.Record, 7) // a size that does not divide the rows
	for {
		n, err := rd.Read(buf)
		out = append(out, buf[:n]...)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestExportPostgres exports the same run from PostgreSQL: the same bytes
// as from SQLite.
func TestExportPostgres(t *testing.T) {
	t.Parallel()
	results := crawl(t)
	if pg == nil {
		t.Skipf("PostgreSQL: %v", pgErr)
	}
	dsn, err := pg.NewDatabase(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	pst, prun := storeRun(t, dsn, results)
	sst, srun := storeRun(t, sqliteDSN(t), results)
	if prun.ID != srun.ID {
		t.Fatalf("run ids %d and %d", prun.ID, srun.ID)
	}
	var pb, sb bytes.Buffer
	if _, err := crawlstats.Export(context.Background(), pst, prun.ID, crawlstats.FormatJSONL, &pb); err != nil {
		t.Fatal(err)
	}
	if _, err := crawlstats.Export(context.Background(), sst, srun.ID, crawlstats.FormatJSONL, &sb); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pb.Bytes(), sb.Bytes()) {
		t.Errorf("PostgreSQL and SQLite exports differ")
	}
}

// listRun is a run of the given results, in the order given.
type listRun []store.CrawlResult

func (l listRun) EachCrawlResult(_ context.Context, runID int64, fn func(store.CrawlResult) error) error {
	for _, r := range l {
		r.RunID = runID
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// TestExportHostileText: text a worker stored as it came (a site name
// that is not UTF-8, an error quoting a terminal escape or a formula) and
// a report that cannot be read are exported: JSONL and Parquet as valid
// UTF-8, CSV one line a row with formulas defused.
func TestExportHostileText(t *testing.T) {
	t.Parallel()
	run := listRun{
		{Site: "broken.example", State: store.Done, Report: []byte(`{"schema":"leakwatch/report/v1","pages":7}`)},
		{Site: "caf\xe9.example", State: store.Failed, Error: "=HYPERLINK(\"x\")\x1b[31m\nnet::ERR_CONNECTION_RESET"},
	}
	want := expected(1, run)
	if want[1].Site != "caf\uFFFD.example" || want[1].ErrorClass != "reset" || want[0].ReportError == "" {
		t.Fatalf("rows %+v", want)
	}
	for _, c := range []struct {
		format string
		read   func(t *testing.T, b []byte) []crawlstats.Record
	}{{crawlstats.FormatJSONL, readJSONL}, {crawlstats.FormatParquet, readParquet}, {crawlstats.FormatCSV, readCSV}} {
		var b bytes.Buffer
		n, err := crawlstats.Export(context.Background(), run, 1, c.format, &b)
		if err != nil || n.ReportErrors != 1 {
			t.Fatalf("%s: %+v, %v", c.format, n, err)
		}
		got := c.read(t, b.Bytes())
		if c.format == crawlstats.FormatCSV {
			if got[1].Error != `=HYPERLINK("x")\x1b[31m net::ERR_CONNECTION_RESET` || bytes.Count(b.Bytes(), []byte("\n")) != 3 {
				t.Errorf("CSV error cell %q", got[1].Error)
			}
			if !bytes.Contains(b.Bytes(), []byte(`'=HYPERLINK`)) {
				t.Error("CSV formula not defused")
			}
			continue
		}
		compareRecords(t, got, want)
	}
}

// TestParquetRowGroups writes more rows than one row group holds and
// reads every one back in order.
func TestParquetRowGroups(t *testing.T) {
	t.Parallel()
	var want []crawlstats.Record
	for i := range 20_000 {
		r := crawlstats.Record{Kind: crawlstats.KindFlow, RunID: 1, Site: fmt.Sprintf("s%05d.example", i/7), Rank: int64(i / 7),
			Type: "leak", Company: "Meta", Host: "www.facebook.com", DataKind: "email", Encoding: "sha256", Hashed: i%2 == 0,
			Findings: int64(i), FirstRequest: int64(i % 13)}
		want = append(want, r)
	}
	var b bytes.Buffer
	w, err := crawlstats.NewWriter(&b, crawlstats.FormatParquet)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range want {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := parquet.OpenFile(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.RowGroups()); n != 3 {
		t.Errorf("%d row groups, want 3 of at most 8192 rows", n)
	}
	compareRecords(t, readParquet(t, b.Bytes()), want)
}
