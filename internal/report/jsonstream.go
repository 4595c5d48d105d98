package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"strings"
)

// writeJSONStream writes v (a struct) as json.Encoder with two-space
// indentation would, field by field and, for slices, element by element,
// so that a report of 300,000 companies is never held in memory twice
// over as one encoded buffer.
func writeJSONStream(w io.Writer, v any) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	js := &jsonStream{w: bw, encs: map[string]*json.Encoder{}}
	if err := js.streamStruct(reflect.ValueOf(v).Elem(), ""); err != nil {
		return err
	}
	if _, err := bw.WriteString("\n"); err != nil {
		return err
	}
	return bw.Flush()
}

// jsonStream writes one report: its encoders, one per indentation depth,
// share one buffer, so that writing 300,000 elements makes no encoder
// or buffer per element.
type jsonStream struct {
	w    *bufio.Writer
	buf  bytes.Buffer
	encs map[string]*json.Encoder
}

func (js *jsonStream) streamStruct(v reflect.Value, prefix string) error {
	w := js.w
	t := v.Type()
	inner := prefix + "  "
	w.WriteString("{")
	first := true
	for i := range t.NumField() {
		f := t.Field(i)
		name, omit, skip := jsonName(f)
		fv := v.Field(i)
		if skip || omit && emptyJSON(fv) {
			continue
		}
		if !first {
			w.WriteString(",")
		}
		first = false
		w.WriteString("\n" + inner)
		key, _ := json.Marshal(name)
		w.Write(key)
		w.WriteString(": ")
		var err error
		if fv.Kind() == reflect.Slice && !fv.IsNil() && fv.Len() > 0 {
			err = js.streamSlice(fv, inner)
		} else {
			err = js.writeIndented(fv.Interface(), inner)
		}
		if err != nil {
			return err
		}
	}
	if !first {
		w.WriteString("\n" + prefix)
	}
	_, err := w.WriteString("}")
	return err
}

func (js *jsonStream) streamSlice(v reflect.Value, prefix string) error {
	w := js.w
	inner := prefix + "  "
	w.WriteString("[")
	for i := range v.Len() {
		if i > 0 {
			w.WriteString(",")
		}
		w.WriteString("\n" + inner)
		if err := js.writeIndented(v.Index(i).Interface(), inner); err != nil {
			return err
		}
	}
	_, err := w.WriteString("\n" + prefix + "]")
	return err
}

// writeIndented writes one value as the encoder would at that depth.
func (js *jsonStream) writeIndented(v any, prefix string) error {
	enc := js.encs[prefix]
	if enc == nil {
		enc = json.NewEncoder(&js.buf)
		enc.SetIndent(prefix, "  ")
		enc.SetEscapeHTML(false) // URLs stay readable; the output is not HTML
		js.encs[prefix] = enc
	}
	js.buf.Reset()
	defer func() {
		if js.buf.Cap() > 1<<20 { // one huge element's buffer is not kept
			js.buf = bytes.Buffer{}
		}
	}()
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := js.w.Write(bytes.TrimSuffix(js.buf.Bytes(), []byte("\n")))
	return err
}

// jsonName reads a field's json tag as encoding/json does.
func jsonName(f reflect.StructField) (name string, omitempty, skip bool) {
	if !f.IsExported() {
		return "", false, true
	}
	tag := f.Tag.Get("json")
	if tag == "-" {
		return "", false, true
	}
	name, opts, _ := strings.Cut(tag, ",")
	if name == "" {
		name = f.Name
	}
	return name, strings.Contains(","+opts+",", ",omitempty,"), false
}

// emptyJSON is encoding/json's omitempty test.
func emptyJSON(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	}
	return false
}
