package editor

import (
	"sort"
	"strings"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/sqltext"
)

// candidate is one completion: the text inserted and what it is.
type candidate struct {
	text string
	kind string // "table", "view", "column", "keyword"
}

// completion is the open popup: candidates replacing the word that starts at
// byte start of the cursor's line.
type completion struct {
	items    []candidate
	sel, top int
	start    int
}

func (c completion) open() bool { return len(c.items) > 0 }

// popupRows is the most candidates the popup shows at once.
const popupRows = 8

// context is what completion found before the cursor.
type context struct {
	prefix    string // the partial word being completed
	qualifier string // table or alias before a dot, if any
	tables    bool   // the position expects a table name (FROM, JOIN, …)
	dialect   sqltext.Dialect
}

// analyze reads the statement around the cursor: the partial word, whether
// it follows `name.`, and whether a table name is expected there.
func analyze(text string, off int) (context, map[string]string) {
	return analyzeIn(sqltext.SQLite, text, off)
}

// analyzeIn is analyze following a dialect's SQL rules; the context
// carries the dialect so the keywords offered are that dialect's.
func analyzeIn(d sqltext.Dialect, text string, off int) (context, map[string]string) {
	start, end := 0, len(text)
	if st, ok := d.StatementAt(text, off); ok {
		start, end = min(st.Start, off), max(st.End, off)
	}
	before := d.Lex(text[start:off])
	for i := len(before) - 1; i >= 0; i-- {
		if before[i].Kind == sqltext.Punct && before[i].Text == ";" {
			before = before[i+1:]
			break
		}
	}
	c := context{dialect: d}
	if n := len(before); n > 0 && before[n-1].Kind == sqltext.Word && before[n-1].End == off-start {
		c.prefix = before[n-1].Text
		before = before[:n-1]
	}
	if n := len(before); n >= 2 && before[n-1].Text == "." && before[n-1].Kind == sqltext.Punct &&
		(before[n-2].Kind == sqltext.Word || before[n-2].Kind == sqltext.Ident) {
		c.qualifier = before[n-2].Text
	} else if n > 0 && before[n-1].Kind == sqltext.Word {
		switch before[n-1].Upper() {
		case "FROM", "JOIN", "INTO", "UPDATE", "TABLE":
			c.tables = true
		}
	}
	return c, aliases(d.Lex(text[start:end]))
}

// aliases maps every name a table is referred to by in the statement (its
// own name and its alias, upper-cased) to the table.
func aliases(toks []sqltext.Token) map[string]string {
	out := map[string]string{}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if !t.Is("FROM") && !t.Is("JOIN") && !t.Is("UPDATE") && !t.Is("INTO") {
			continue
		}
		for j := i + 1; j < len(toks); {
			name := toks[j]
			if name.Kind != sqltext.Word && name.Kind != sqltext.Ident || name.Kind == sqltext.Word && sqltext.IsReserved(name.Text) {
				break
			}
			out[strings.ToUpper(name.Text)] = name.Text
			j++
			if j < len(toks) && toks[j].Is("AS") {
				j++
			}
			if j < len(toks) && (toks[j].Kind == sqltext.Ident || toks[j].Kind == sqltext.Word && !sqltext.IsReserved(toks[j].Text)) {
				out[strings.ToUpper(toks[j].Text)] = name.Text
				j++
			}
			if !t.Is("FROM") || j >= len(toks) || toks[j].Text != "," {
				break
			}
			j++
		}
	}
	return out
}

// candidates lists what fits the context, best first: the columns of the
// qualified table, tables where a table is expected, else columns of the
// tables in the statement, then other tables, then keywords.
func candidates(s *client.Schema, c context, refs map[string]string) []candidate {
	var out []candidate
	seen := map[string]bool{}
	add := func(text, kind string) {
		if !strings.HasPrefix(strings.ToUpper(text), strings.ToUpper(c.prefix)) || seen[kind+text] {
			return
		}
		if kind != "keyword" {
			text = sqltext.DisplayIdent(text)
		} else if c.prefix != "" && c.prefix == strings.ToLower(c.prefix) {
			text = strings.ToLower(text)
		}
		seen[kind+text] = true
		out = append(out, candidate{text, kind})
	}
	tables := []client.TableSchema(nil)
	if s != nil {
		tables = s.Tables
	}
	find := func(name string) *client.TableSchema {
		for i := range tables {
			if strings.EqualFold(tables[i].Name, name) {
				return &tables[i]
			}
		}
		return nil
	}
	if c.qualifier != "" {
		name := c.qualifier
		if t, ok := refs[strings.ToUpper(name)]; ok {
			name = t
		}
		if t := find(name); t != nil {
			for _, col := range t.Columns {
				add(col.Name, "column")
			}
		}
		return out
	}
	if c.tables {
		for _, t := range sortedTables(tables) {
			add(t.Name, t.Type)
		}
		return out
	}
	if c.prefix == "" {
		return nil // a bare tab indents instead
	}
	var used []string
	for _, t := range refs {
		used = append(used, t)
	}
	sort.Strings(used)
	for _, name := range used {
		if t := find(name); t != nil {
			for _, col := range t.Columns {
				add(col.Name, "column")
			}
		}
	}
	for _, t := range sortedTables(tables) {
		add(t.Name, t.Type)
	}
	for _, t := range sortedTables(tables) {
		for _, col := range t.Columns {
			add(col.Name, "column")
		}
	}
	for _, k := range keywordsOf(c.dialect) {
		add(k, "keyword")
	}
	return out
}

func sortedTables(ts []client.TableSchema) []client.TableSchema {
	out := append([]client.TableSchema(nil), ts...)
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	return out
}

// complete opens the popup for the word before the cursor, or inserts the
// only candidate directly. It reports false when there is nothing to offer.
func (m *Model) complete() bool {
	m.comp = completion{}
	line := m.buf.lines[m.cur.row]
	off := m.buf.offset(m.cur)
	c, refs := analyzeIn(m.dialect, m.buf.text(), off)
	items := candidates(m.schema, c, refs)
	if len(items) == 0 {
		return false
	}
	start := m.cur.col - len(c.prefix)
	if start < 0 || line[start:m.cur.col] != c.prefix {
		return false
	}
	m.comp = completion{items: items, start: start}
	if len(items) == 1 {
		m.accept()
	}
	return true
}

// accept replaces the partial word with the highlighted candidate.
func (m *Model) accept() {
	if !m.comp.open() {
		return
	}
	it := m.comp.items[m.comp.sel]
	start := pos{m.cur.row, m.comp.start}
	m.comp = completion{}
	m.sel = false
	m.pushUndo(false)
	m.buf, m.cur = m.buf.replace(start, m.cur, it.text)
	m.afterEdit()
}

// moveSel moves the highlighted candidate, scrolling the popup.
func (m *Model) moveSel(d int) {
	n := len(m.comp.items)
	m.comp.sel = (m.comp.sel + d + n) % n
	if m.comp.sel < m.comp.top {
		m.comp.top = m.comp.sel
	}
	if m.comp.sel >= m.comp.top+popupRows {
		m.comp.top = m.comp.sel - popupRows + 1
	}
}
