package csvio

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// Record is one parsed record. Null[i] says field i was the null marker
// unquoted; Fields[i] is then "".
type Record struct {
	Fields []string
	Null   []bool
	Line   int // the line the record starts on (1-based)
}

// ParseError is malformed CSV at a position (1-based line and byte column).
type ParseError struct {
	Line, Column int
	Err          error
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("line %d, column %d: %v", e.Line, e.Column, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// FieldCountError is a record with another width than the first record's.
type FieldCountError struct {
	Line, Got, Want int
}

func (e *FieldCountError) Error() string {
	return fmt.Sprintf("line %d: wrong number of fields: %d, expected %d", e.Line, e.Got, e.Want)
}

func (e *FieldCountError) Unwrap() error { return ErrFieldCount }

// The parse errors a Reader reports.
var (
	ErrBareQuote  = errors.New(`bare " in non-quoted-field`)
	ErrQuote      = errors.New(`extraneous or missing " in quoted-field`)
	ErrInvalidUTF = errors.New("invalid UTF-8")
)

// Reader reads records in the dialect: fields separated by a delimiter,
// records ended by LF or CRLF (inside quotes either is data, kept as is),
// an unquoted field equal to the null marker is NULL, a quoted one is
// text. Every record must have as many fields as the first. Blank lines are
// skipped, except in a one-column CSV, where a blank line is a record whose
// field is empty (NULL by default), so a one-column export reads back.
// Fields must be valid UTF-8. Errors from the underlying reader are
// returned as they are (not as a ParseError).
type Reader struct {
	br    *bufio.Reader
	comma []byte
	null  string
	width int // fields per record, set by the first
	line  int // lines consumed so far
	buf   []byte
	ends  []int
	quote []bool
	pos   []fieldPos
}

// fieldPos is where a field starts, for error messages.
type fieldPos struct{ line, col int }

// NewReader reads CSV from r with a delimiter and a null marker.
func NewReader(r io.Reader, comma rune, null string) (*Reader, error) {
	if comma == '"' || comma == '\r' || comma == '\n' || comma == utf8.RuneError || !utf8.ValidRune(comma) {
		return nil, fmt.Errorf("invalid delimiter %q", comma)
	}
	if err := ValidNull(null, comma); err != nil {
		return nil, err
	}
	return &Reader{br: bufio.NewReaderSize(r, 64<<10), comma: utf8.AppendRune(nil, comma), null: null}, nil
}

// Comma is the delimiter.
func (r *Reader) Comma() rune { c, _ := utf8.DecodeRune(r.comma); return c }

// Width is the number of fields per record (0 before the first).
func (r *Reader) Width() int { return r.width }

// Line is the last line consumed.
func (r *Reader) Line() int { return r.line }

// readLine returns the next physical line with its '\n' (none at EOF).
func (r *Reader) readLine() ([]byte, error) {
	line, err := r.br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		long := append([]byte(nil), line...)
		for errors.Is(err, bufio.ErrBufferFull) {
			line, err = r.br.ReadSlice('\n')
			long = append(long, line...)
		}
		line = long
	}
	if len(line) > 0 && errors.Is(err, io.EOF) {
		err = nil
	}
	if err == nil {
		r.line++
	}
	return line, err
}

// Read returns the next record, or io.EOF after the last.
func (r *Reader) Read() (Record, error) {
	var line []byte
	var err error
	for {
		line, err = r.readLine()
		if err != nil {
			return Record{}, err
		}
		if !blank(line) {
			break
		}
		if r.width == 1 {
			r.ends, r.quote, r.pos = append(r.ends[:0], 0), append(r.quote[:0], false), append(r.pos[:0], fieldPos{r.line, 1})
			return r.finish(r.line, nil)
		}
	}
	start := r.line
	r.buf, r.ends, r.quote, r.pos = r.buf[:0], r.ends[:0], r.quote[:0], r.pos[:0]
	pos := 0
	for {
		r.pos = append(r.pos, fieldPos{r.line, pos + 1})
		if pos < len(line) && line[pos] == '"' {
			// quoted field: runs to a lone closing quote, maybe over lines
			col := pos + 1
			pos++
			for {
				i := bytes.IndexByte(line[pos:], '"')
				if i < 0 {
					r.buf = append(r.buf, line[pos:]...)
					next, err := r.readLine()
					if errors.Is(err, io.EOF) {
						return Record{}, &ParseError{Line: r.line, Column: col, Err: ErrQuote}
					}
					if err != nil {
						return Record{}, err
					}
					line, pos, col = next, 0, 1
					continue
				}
				r.buf = append(r.buf, line[pos:pos+i]...)
				pos += i + 1
				if pos < len(line) && line[pos] == '"' {
					r.buf = append(r.buf, '"')
					pos++
					continue
				}
				break
			}
			r.ends, r.quote = append(r.ends, len(r.buf)), append(r.quote, true)
			rest := line[pos:]
			switch {
			case bytes.HasPrefix(rest, r.comma):
				pos += len(r.comma)
				continue
			case blank(rest):
				return r.finish(start, r.buf)
			}
			return Record{}, &ParseError{Line: r.line, Column: pos + 1, Err: ErrQuote}
		}
		// unquoted field: to the next delimiter or the end of the line
		rest := line[pos:]
		end := bytes.Index(rest, r.comma)
		last := end < 0
		if last {
			end = len(rest)
			if end > 0 && rest[end-1] == '\n' {
				end--
				if end > 0 && rest[end-1] == '\r' {
					end--
				}
			}
		}
		if q := bytes.IndexByte(rest[:end], '"'); q >= 0 {
			return Record{}, &ParseError{Line: r.line, Column: pos + q + 1, Err: ErrBareQuote}
		}
		r.buf = append(r.buf, rest[:end]...)
		r.ends, r.quote = append(r.ends, len(r.buf)), append(r.quote, false)
		if last {
			return r.finish(start, r.buf)
		}
		pos += end + len(r.comma)
	}
}

// finish checks the width and builds the record from one string.
func (r *Reader) finish(start int, buf []byte) (Record, error) {
	ends, quoted := r.ends, r.quote
	if r.width == 0 {
		r.width = len(ends)
	} else if len(ends) != r.width {
		return Record{}, &FieldCountError{Line: start, Got: len(ends), Want: r.width}
	}
	all := string(buf)
	rec := Record{Fields: make([]string, len(ends)), Null: make([]bool, len(ends)), Line: start}
	from := 0
	for i, to := range ends {
		f := all[from:to]
		from = to
		if !quoted[i] && f == r.null {
			rec.Null[i] = true
			continue
		}
		if !utf8.ValidString(f) {
			return Record{}, &ParseError{Line: r.pos[i].line, Column: r.pos[i].col, Err: fmt.Errorf("%w in field %d", ErrInvalidUTF, i+1)}
		}
		rec.Fields[i] = f
	}
	return rec, nil
}

// blank is an empty line: nothing, "\n" or "\r\n".
func blank(b []byte) bool {
	return len(b) == 0 || string(b) == "\n" || string(b) == "\r\n"
}
