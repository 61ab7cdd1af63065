package cli

import (
	"bytes"
	"time"

	"github.com/spf13/cobra"
)

// runPrint is the skeleton of a command that prints one result: check
// --format, open a session, build the output in memory, write it once.
func runPrint(cmd *cobra.Command, format string, fn func(*Session, *printer, *bytes.Buffer) error) error {
	if err := validFormat(format); err != nil {
		return err
	}
	return withSession(cmd, func(s *Session) error {
		p, err := newPrinter(cmd, s.Config, format)
		if err != nil {
			return err
		}
		var b bytes.Buffer
		if err := fn(s, p, &b); err != nil {
			return err
		}
		return p.flush(&b)
	})
}

// doc prints a document: as JSON it is doc itself; as a table or Markdown
// it is text when given, else g; as CSV it is g.
func (p *printer) doc(b *bytes.Buffer, doc any, text string, g grid) error {
	switch {
	case p.format == fmtJSON:
		return writeJSONDoc(b, doc)
	case text != "" && p.format != fmtCSV:
		b.WriteString(text)
		return nil
	}
	return p.render(b, g)
}

// sections prints several grids one after the other, a blank line apart.
func (p *printer) sections(b *bytes.Buffer, gs ...grid) error {
	for i, g := range gs {
		if i > 0 {
			b.WriteString("\n")
		}
		if err := p.render(b, g); err != nil {
			return err
		}
	}
	return nil
}

// fieldGrid builds a two-column field/value grid from name, value pairs.
// Values are shown as text so the column reads as one list.
func fieldGrid(kv ...any) grid {
	g := grid{cols: []string{"field", "value"}}
	for i := 0; i+1 < len(kv); i += 2 {
		v := kv[i+1]
		if v != nil {
			v = scalarText(v)
		}
		g.rows = append(g.rows, []any{kv[i], v})
	}
	return g
}

// orNull shows an empty string as NULL (unknown, e.g. against MK1).
func orNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// fmtTime shows a timestamp in local time, NULL when unknown.
func fmtTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Local().Format("2006-01-02 15:04:05")
}

// fmtSeconds shows a duration in seconds rounded to the second.
func fmtSeconds(s float64) string {
	return (time.Duration(s * float64(time.Second))).Round(time.Second).String()
}
