package crawlstats

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"

	"github.com/leakwatch/leakwatch/internal/report"
)

// Export formats.
const (
	FormatJSONL   = "jsonl"
	FormatCSV     = "csv"
	FormatParquet = "parquet"
)

// ExportFormats lists the formats NewWriter takes.
func ExportFormats() []string { return []string{FormatJSONL, FormatCSV, FormatParquet} }

// RowWriter writes records one at a time in a format; Close ends the file
// (Parquet writes its footer there) but not the io.Writer under it.
type RowWriter interface {
	Write(r Record) error
	Close() error
}

// NewWriter returns a writer of records in format to w. Memory stays
// bounded: JSONL and CSV hold one row, Parquet one row group.
func NewWriter(w io.Writer, format string) (RowWriter, error) {
	switch strings.ToLower(format) {
	case FormatJSONL:
		bw := bufio.NewWriterSize(w, 64<<10)
		enc := json.NewEncoder(bw)
		enc.SetEscapeHTML(false)
		return &jsonlWriter{bw: bw, enc: enc}, nil
	case FormatCSV:
		cw := csv.NewWriter(w)
		cw.UseCRLF = true // RFC 4180
		if err := cw.Write(Columns()); err != nil {
			return nil, fmt.Errorf("write CSV header: %w", err)
		}
		return &csvWriter{cw: cw}, nil
	case FormatParquet:
		pw := parquet.NewGenericWriter[Record](w, parquet.Compression(&parquet.Zstd),
			parquet.MaxRowsPerRowGroup(parquetRowGroup))
		return &parquetWriter{pw: pw}, nil
	}
	return nil, fmt.Errorf("unknown export format %q (valid: %s)", format, strings.Join(ExportFormats(), ", "))
}

// parquetRowGroup is how many rows one Parquet row group (held in memory
// until it is written) takes.
const parquetRowGroup = 8192

type jsonlWriter struct {
	bw  *bufio.Writer
	enc *json.Encoder
}

func (w *jsonlWriter) Write(r Record) error {
	if err := w.enc.Encode(r); err != nil {
		return fmt.Errorf("write JSONL row: %w", err)
	}
	return nil
}

func (w *jsonlWriter) Close() error {
	if err := w.bw.Flush(); err != nil {
		return fmt.Errorf("write JSONL: %w", err)
	}
	return nil
}

type csvWriter struct {
	cw  *csv.Writer
	row []string
}

func (w *csvWriter) Write(r Record) error {
	w.row = csvCells(w.row[:0], r)
	if err := w.cw.Write(w.row); err != nil {
		return fmt.Errorf("write CSV row: %w", err)
	}
	return nil
}

func (w *csvWriter) Close() error {
	w.cw.Flush()
	if err := w.cw.Error(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return nil
}

type parquetWriter struct {
	pw  *parquet.GenericWriter[Record]
	one [1]Record
}

func (w *parquetWriter) Write(r Record) error {
	w.one[0] = r
	if _, err := w.pw.Write(w.one[:]); err != nil {
		return fmt.Errorf("write Parquet row: %w", err)
	}
	return nil
}

func (w *parquetWriter) Close() error {
	if err := w.pw.Close(); err != nil {
		return fmt.Errorf("write Parquet: %w", err)
	}
	return nil
}

var recordType = reflect.TypeFor[Record]()

// Columns are the export's column names, in order: Record's fields.
func Columns() []string {
	out := make([]string, recordType.NumField())
	for i := range out {
		out[i], _, _ = strings.Cut(recordType.Field(i).Tag.Get("json"), ",")
	}
	return out
}

// csvCells appends r's cells. Text is one line (report.SanitizeLine: no
// control or bidi characters) and a cell a spreadsheet would run as a
// formula (= + - @ first) starts with an apostrophe.
func csvCells(dst []string, r Record) []string {
	v := reflect.ValueOf(r)
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.String:
			dst = append(dst, csvSafe(report.SanitizeLine(f.String())))
		case reflect.Int64:
			dst = append(dst, strconv.FormatInt(f.Int(), 10))
		case reflect.Bool:
			dst = append(dst, strconv.FormatBool(f.Bool()))
		default:
			panic(fmt.Sprintf("crawlstats: column %s of kind %s", recordType.Field(i).Name, f.Kind()))
		}
	}
	return dst
}

func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
