package metrics

import (
	"bufio"
	"cmp"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ContentType is what a text exposition is served as: what the Prometheus
// client sent (escaping=underscores says metric names are in the classic
// character set, which every name written here is).
const ContentType = "text/plain; version=0.0.4; charset=utf-8; escaping=underscores"

// Type is a metric family's type, as its # TYPE line says it.
type Type string

// The family types this package writes.
const (
	TypeCounter   Type = "counter"
	TypeGauge     Type = "gauge"
	TypeHistogram Type = "histogram"
	TypeSummary   Type = "summary"
)

// Label is one name="value" pair of a series.
type Label struct{ Name, Value string }

// Family is one metric family of an exposition: its name, help and type,
// and a function that writes its samples when it is scraped. Write must
// emit only series of this family, in a stable order.
type Family struct {
	Name, Help string
	Type       Type
	Write      func(w *Writer)
}

// WriteText writes the families sorted by name, each with its # HELP and
// # TYPE lines before its first sample (a family with no sample is left
// out, as the Prometheus client does), and returns the first write error. Samples stream through
// a buffer, so the exposition is never held whole in memory.
func WriteText(out io.Writer, families []Family) error {
	sorted := slices.Clone(families)
	slices.SortStableFunc(sorted, func(a, b Family) int { return cmp.Compare(a.Name, b.Name) })
	w := &Writer{bw: bufio.NewWriterSize(out, 32<<10)}
	for _, f := range sorted {
		w.pending = &f
		f.Write(w)
	}
	return w.bw.Flush()
}

// Writer writes samples of the text format. Its errors are kept by the
// underlying bufio.Writer and reported by WriteText.
type Writer struct {
	bw      *bufio.Writer
	num     []byte  // scratch for number formatting
	pending *Family // the family whose header awaits its first sample
}

// header writes the pending family's # HELP and # TYPE lines, once.
func (w *Writer) header() {
	f := w.pending
	if f == nil {
		return
	}
	w.pending = nil
	w.bw.WriteString("# HELP ")
	w.bw.WriteString(f.Name)
	w.bw.WriteByte(' ')
	writeEscaped(w.bw, f.Help, false)
	w.bw.WriteString("\n# TYPE ")
	w.bw.WriteString(f.Name)
	w.bw.WriteByte(' ')
	w.bw.WriteString(string(f.Type))
	w.bw.WriteByte('\n')
}

// Sample writes one line: name{labels} value.
func (w *Writer) Sample(name string, labels []Label, v float64) {
	w.header()
	w.bw.WriteString(name)
	w.labels(labels, "", "")
	w.value(v)
}

// Histogram writes a histogram's _bucket series (le last among the
// labels, then +Inf), _sum and _count.
func (w *Writer) Histogram(name string, labels []Label, h HistogramSnapshot) {
	w.header()
	for i, b := range h.Bounds {
		w.bw.WriteString(name)
		w.bw.WriteString("_bucket")
		w.num = formatFloat(w.num[:0], b)
		w.labels(labels, "le", string(w.num))
		w.value(float64(h.Cumulative[i]))
	}
	w.bw.WriteString(name)
	w.bw.WriteString("_bucket")
	w.labels(labels, "le", "+Inf")
	w.value(float64(h.Count))
	w.bw.WriteString(name)
	w.bw.WriteString("_sum")
	w.labels(labels, "", "")
	w.value(h.Sum)
	w.bw.WriteString(name)
	w.bw.WriteString("_count")
	w.labels(labels, "", "")
	w.value(float64(h.Count))
}

// labels writes {a="x",b="y"} plus one extra pair when extraName is set;
// nothing when there are none.
func (w *Writer) labels(labels []Label, extraName, extraValue string) {
	if len(labels) == 0 && extraName == "" {
		return
	}
	w.bw.WriteByte('{')
	for i, l := range labels {
		if i > 0 {
			w.bw.WriteByte(',')
		}
		w.pair(l.Name, l.Value)
	}
	if extraName != "" {
		if len(labels) > 0 {
			w.bw.WriteByte(',')
		}
		w.pair(extraName, extraValue)
	}
	w.bw.WriteByte('}')
}

func (w *Writer) pair(name, value string) {
	w.bw.WriteString(name)
	w.bw.WriteString(`="`)
	writeEscaped(w.bw, value, true)
	w.bw.WriteByte('"')
}

func (w *Writer) value(v float64) {
	w.bw.WriteByte(' ')
	w.num = formatFloat(w.num[:0], v)
	w.bw.Write(w.num)
	w.bw.WriteByte('\n')
}

// formatFloat formats v as Prometheus does: shortest round-trip form,
// +Inf, -Inf and NaN spelled out.
func formatFloat(b []byte, v float64) []byte {
	switch {
	case math.IsInf(v, +1):
		return append(b, "+Inf"...)
	case math.IsInf(v, -1):
		return append(b, "-Inf"...)
	case math.IsNaN(v):
		return append(b, "NaN"...)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

// writeEscaped writes s with the text format's escapes: backslash and
// newline always, the double quote too inside a label value. Invalid
// UTF-8 becomes U+FFFD: a scraper rejects the whole exposition otherwise.
func writeEscaped(bw *bufio.Writer, s string, quote bool) {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	start := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '\\':
			esc = `\\`
		case '\n':
			esc = `\n`
		case '"':
			if !quote {
				continue
			}
			esc = `\"`
		default:
			continue
		}
		bw.WriteString(s[start:i])
		bw.WriteString(esc)
		start = i + 1
	}
	bw.WriteString(s[start:])
}
