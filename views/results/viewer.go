package results

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/internal/units"
	"github.com/dustin/go-humanize"
)

// Limits of what the cell viewer lays out, so one huge cell cannot stall
// the UI: text beyond maxViewText and bytes beyond maxHexBytes are left out
// (and the viewer says so).
const (
	maxViewText = 1 << 20
	maxHexBytes = 512
)

// viewer is the full-pane overlay showing one cell's whole value.
type viewer struct {
	title  string
	value  any
	isJSON bool
	lines  []string
	scroll int
	height int
}

func newViewer(title string, v any) *viewer { return &viewer{title: title, value: v} }

// layout wraps the value for width and height (the content area).
func (v *viewer) layout(width, height int) {
	v.height = max(height, 1)
	v.lines, v.isJSON = viewerLines(v.value, max(width, 1))
	v.clamp()
}

func (v *viewer) scrollBy(d int) {
	v.scroll += d
	v.clamp()
}

func (v *viewer) clamp() {
	v.scroll = min(max(v.scroll, 0), max(len(v.lines)-v.height, 0))
}

// viewerHeight is the content height of the viewer: the pane less its
// title, rule and footer lines.
func (m Model) viewerHeight() int { return max(m.height-3, 1) }

func (v *viewer) view(m Model, width, height int) []string {
	lines := []string{m.th.Title.Render(v.title)}
	if height < 2 {
		return lines
	}
	lines = append(lines, m.th.GridRule().Render(strings.Repeat("─", width)))
	end := min(v.scroll+v.height, len(v.lines))
	for _, l := range v.lines[v.scroll:end] {
		if len(lines) >= height-1 {
			break
		}
		if v.value == nil {
			l = m.th.NullCell().Render(l)
		}
		lines = append(lines, l)
	}
	for len(lines) < height-1 {
		lines = append(lines, "")
	}
	pos := ""
	if len(v.lines) > v.height {
		pos = fmt.Sprintf("lines %d-%d of %d · ", v.scroll+1, end, len(v.lines))
	}
	if v.isJSON {
		pos += "JSON · "
	}
	return append(lines, m.th.Muted.Render(pos+"enter/esc close · j/k scroll · y copy"))
}

// viewerLines renders a value for reading: JSON objects and arrays pretty
// printed, text wrapped, BLOBs as size plus a hex dump of their head.
func viewerLines(v any, width int) (lines []string, isJSON bool) {
	var text string
	switch x := v.(type) {
	case nil:
		return []string{"NULL"}, false
	case []byte:
		return blobLines(x, width), false
	case string:
		text = x
		if len(text) > maxViewText {
			text = text[:maxViewText] + fmt.Sprintf("\n… %s more bytes not shown", humanize.Comma(int64(len(x)-maxViewText)))
		} else if pretty, ok := prettyJSON(x); ok {
			text, isJSON = pretty, true
		}
	case map[string]any, []any:
		text = otherText(x)
		if pretty, ok := prettyJSON(text); ok {
			text, isJSON = pretty, true
		}
	default:
		text, _ = display(x)
	}
	wrapped := ansi.Wrap(sanitize.Text(text), width, " ,;")
	return strings.Split(wrapped, "\n"), isJSON
}

// prettyJSON indents s when it is a JSON object or array.
func prettyJSON(s string) (string, bool) {
	t := strings.TrimSpace(s)
	if t == "" || (t[0] != '{' && t[0] != '[') || !json.Valid([]byte(t)) {
		return "", false
	}
	var b bytes.Buffer
	if err := json.Indent(&b, []byte(t), "", "  "); err != nil {
		return "", false
	}
	return b.String(), true
}

func blobLines(b []byte, width int) []string {
	head := b[:min(len(b), maxHexBytes)]
	lines := []string{fmt.Sprintf("BLOB · %s bytes (%s)", humanize.Comma(int64(len(b))), units.Bytes(int64(len(b)))), ""}
	lines = append(lines, hexDump(head, width)...)
	if len(b) > len(head) {
		lines = append(lines, "… "+humanize.Comma(int64(len(b)-len(head)))+" more bytes")
	}
	return lines
}

// hexDump is hex.Dump's layout with as many bytes per line (16, 8 or 4) as
// fit the width; its text column shows printable ASCII only.
func hexDump(b []byte, width int) []string {
	per := 16
	for per > 4 && 8+2+3*per+1+per+2+per/16 > width {
		per /= 2
	}
	var lines []string
	for off := 0; off < len(b); off += per {
		chunk := b[off:min(off+per, len(b))]
		var l strings.Builder
		fmt.Fprintf(&l, "%08x  ", off)
		for i := 0; i < per; i++ {
			if i < len(chunk) {
				l.WriteString(hex.EncodeToString(chunk[i : i+1]))
				l.WriteByte(' ')
			} else {
				l.WriteString("   ")
			}
			if i == per/2-1 && per >= 16 {
				l.WriteByte(' ')
			}
		}
		l.WriteString(" |")
		for _, c := range chunk {
			if c < 0x20 || c > 0x7e {
				c = '.'
			}
			l.WriteByte(c)
		}
		l.WriteString("|")
		lines = append(lines, l.String())
	}
	return lines
}
