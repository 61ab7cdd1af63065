package schema

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/views/textfit"
)

// Title is "Schema · 3 tables · 1 view", with the match count while a
// filter narrows the tree.
func (m Model) Title() string {
	if m.schema == nil {
		return "Schema"
	}
	tables, views := 0, 0
	for _, t := range m.schema.Tables {
		if t.Type == "view" {
			views++
		} else {
			tables++
		}
	}
	t := "Schema · " + plural(tables, "table")
	if views > 0 {
		t += " · " + plural(views, "view")
	}
	if m.filter.Value() != "" {
		n := 0
		for _, r := range m.rows {
			if r.kind == rowTable {
				n++
			}
		}
		t += fmt.Sprintf(" · %d match", n)
	}
	if m.ddl != nil {
		t += " · DDL " + m.ddlTitle
	}
	return t
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// View draws exactly height lines of width cells.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return strings.Repeat("\n", max(m.height-1, 0))
	}
	var lines []string
	switch {
	case m.ddl != nil:
		lines = m.ddlLines()
	case m.none:
		lines = []string{m.th.Muted.Render("no database selected")}
	case m.schema == nil && m.err == nil:
		lines = []string{m.th.Muted.Render("loading schema…")}
	case m.schema != nil && len(m.schema.Tables) == 0:
		lines = []string{m.th.Muted.Render("no tables yet: create one from the editor")}
	case len(m.rows) == 0 && m.schema != nil:
		lines = []string{m.th.Muted.Render("nothing matches the filter")}
	default:
		end := min(m.offset+m.listHeight(), len(m.rows))
		for i := m.offset; i < end; i++ {
			lines = append(lines, m.line(i))
		}
	}
	if m.ddl == nil {
		lines = lines[:min(len(lines), m.listHeight())]
		for len(lines) < m.listHeight() {
			lines = append(lines, "")
		}
		lines = append(lines, m.filter.Footer(m.th, m.err)...)
	}
	for len(lines) < m.height {
		lines = append(lines, "")
	}
	lines = lines[:m.height]
	for i := range lines {
		lines[i] = textfit.Ellipsis(lines[i], m.width)
	}
	return strings.Join(lines, "\n")
}

// line draws tree row i, highlighted when it is the cursor.
func (m Model) line(i int) string {
	r := m.rows[i]
	t := m.schema.Tables[r.table]
	selected := i == m.cursor && m.focused
	var s string
	switch r.kind {
	case rowTable:
		s = m.tableLine(t, selected)
	case rowColumn:
		s = m.columnLine(t, t.Columns[r.item], selected)
	case rowIndex:
		ix := t.Indexes[r.item]
		s = "    " + m.muted("idx ", selected) + sanitize.Line(ix.Name) + " (" + names(ix.Columns) + ")"
		if ix.Unique {
			s += m.muted(" UNIQUE", selected)
		}
	case rowForeignKey:
		fk := t.ForeignKeys[r.item]
		s = "    " + m.muted("fk  ", selected) + names(fk.Columns) + " → " + sanitize.Line(fk.RefTable) + "(" + names(fk.RefColumns) + ")"
	case rowTrigger:
		s = "    " + m.muted("trg ", selected) + sanitize.Line(m.schema.Triggers[r.item].Name)
	}
	if selected {
		return m.th.Selected.Render(textfit.Ellipsis(s, m.width))
	}
	return s
}

// muted styles secondary text, except on the selected row where the
// selection style must cover the whole line.
func (m Model) muted(s string, selected bool) string {
	if selected {
		return s
	}
	return m.th.Muted.Render(s)
}

func (m Model) tableLine(t client.TableSchema, selected bool) string {
	mark := "▸ "
	if m.expanded[t.Name] {
		mark = "▾ "
	}
	right := groupDigits(t.RowCount)
	if m.estimated {
		right = "~" + right
	}
	if t.Type == "view" {
		right = "view"
	}
	name := sanitize.Line(t.Name)
	gap := m.width - ansi.StringWidth(mark+name) - len(right)
	if gap < 1 {
		return mark + name
	}
	if !selected {
		name = m.th.Text.Bold(true).Render(name)
	}
	return mark + name + strings.Repeat(" ", gap) + m.muted(right, selected)
}

func (m Model) columnLine(t client.TableSchema, c client.ColumnSchema, selected bool) string {
	nameW, typeW := 0, 0
	for _, col := range t.Columns {
		nameW = max(nameW, ansi.StringWidth(sanitize.Line(col.Name)))
		typeW = max(typeW, ansi.StringWidth(sanitize.Line(col.Type)))
	}
	nameW, typeW = min(nameW, 24), min(typeW, 14)
	var flags []string
	if c.PrimaryKey {
		flags = append(flags, "PK")
	}
	if c.NotNull {
		flags = append(flags, "NOT NULL")
	}
	if c.Default != nil {
		flags = append(flags, "= "+sanitize.Line(*c.Default))
	}
	name := pad(sanitize.Line(c.Name), nameW)
	typ := pad(sanitize.Line(c.Type), typeW)
	return "    " + name + " " + m.muted(typ, selected) + " " + m.accentFlags(strings.Join(flags, " "), selected)
}

func (m Model) accentFlags(s string, selected bool) string {
	if selected || s == "" {
		return s
	}
	return m.th.Accent.Render(s)
}

func pad(s string, w int) string {
	if ansi.StringWidth(s) > w {
		return ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", w-ansi.StringWidth(s))
}

func names(list []string) string {
	out := make([]string, len(list))
	for i, n := range list {
		out[i] = sanitize.Line(n)
	}
	return strings.Join(out, ", ")
}

// groupDigits writes n with thousands separators: 1204 → "1,204".
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// ddlLines draws the DDL overlay: a header, then the statements scrolled.
func (m Model) ddlLines() []string {
	head := m.th.Title.Render("DDL "+m.ddlTitle) + m.th.Muted.Render("  esc closes")
	lines := []string{head}
	end := min(m.ddlOffset+m.height-1, len(m.ddl))
	for _, l := range m.ddl[m.ddlOffset:end] {
		lines = append(lines, m.th.Text.Render(l))
	}
	return lines
}
