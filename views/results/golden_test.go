package results

import (
	"errors"
	"fmt"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/client"
)

// Inner sizes of the results pane in the layouts: 80×24 with the editor
// above (78×10) or results alone in the narrow layout (76×19), 120×40 with
// the editor above (118×18) or zoomed (116×36).
var paneSizes = [][2]int{{78, 10}, {76, 19}, {118, 18}, {116, 36}}

func customers() ([]client.Column, [][]any) {
	cols := []client.Column{
		{Name: "id", Type: "INTEGER"}, {Name: "name", Type: "TEXT"}, {Name: "city", Type: "TEXT"},
		{Name: "balance", Type: "REAL"}, {Name: "note", Type: "TEXT"}, {Name: "prefs", Type: "JSON"},
		{Name: "avatar", Type: "BLOB"}, {Name: "created_at", Type: "TEXT"},
	}
	names := []string{"Ada Lovelace", "Grace Hopper", "山田 太郎", "Zoë Ångström", "Émile 🎉 Zola", "Alan Turing"}
	cities := []string{"London", "New York", "東京", "Malmö", "Paris", "Wilmslow"}
	var rows [][]any
	for i := 0; i < 60; i++ {
		var note any = fmt.Sprintf("customer since %d", 2010+i%12)
		switch i % 7 {
		case 1:
			note = nil
		case 2:
			note = "NULL"
		case 4:
			note = "red \x1b[31malert\x1b[0m"
		}
		var avatar any
		if i%3 == 0 {
			blob := make([]byte, 1024*(i+1))
			for j := range blob {
				blob[j] = byte(j * 7)
			}
			avatar = blob
		}
		rows = append(rows, []any{
			int64(i + 1), names[i%len(names)], cities[i%len(cities)], float64(i*1337%10007) / 7,
			note, fmt.Sprintf(`{"theme":"dark","n":%d}`, i), avatar, fmt.Sprintf("2024-%02d-%02d 10:%02d:00", 1+i%12, 1+i%28, i%60),
		})
	}
	return cols, rows
}

func TestGoldenGrid(t *testing.T) {
	cols, rows := customers()
	for _, size := range paneSizes {
		w, h := size[0], size[1]
		m := newTestModel(t, w, h)
		m.SetResult(1, "select * from customers", &client.QueryResult{Columns: cols, Rows: rows, HasMore: true, ExecutionTimeMS: 3.24})
		m, _ = press(m, keyDown, keyDown, keyRight)
		v := m.View()
		checkSize(t, v, w, h)
		golden(t, fmt.Sprintf("grid_%dx%d", w, h), m.Title()+"\n"+ansi.Strip(v)+"\n")
	}
}

func TestGoldenScrolled(t *testing.T) {
	cols, rows := customers()
	m := newTestModel(t, 78, 10)
	m.SetResult(1, "select * from customers", &client.QueryResult{Columns: cols, Rows: rows, ExecutionTimeMS: 12})
	m, _ = press(m, keyPgDn, keyRight, keyRight, keyRight, keyRight, keyRight)
	golden(t, "grid_scrolled_78x10", m.Title()+"\n"+ansi.Strip(m.View())+"\n")
}

func TestGoldenViewerAndStates(t *testing.T) {
	cols, rows := customers()
	m := newTestModel(t, 76, 19)
	m.SetResult(1, "select * from customers", &client.QueryResult{Columns: cols, Rows: rows})
	m, _ = press(m, runeKey('$'), keyLeft, keyLeft, keyEnter)
	golden(t, "viewer_json_76x19", ansi.Strip(m.View())+"\n")
	m, _ = press(m, keyEsc, keyRight, keyEnter)
	golden(t, "viewer_blob_76x19", ansi.Strip(m.View())+"\n")
	m, _ = press(m, keyEsc, runeKey('e'))
	golden(t, "export_76x19", ansi.Strip(m.View())+"\n")

	m = newTestModel(t, 78, 10)
	m.SetResult(2, "delete from customers where city = 'Paris'", &client.QueryResult{Message: "ok", RowsAffected: 10, ExecutionTimeMS: 0.4})
	golden(t, "message_78x10", m.Title()+"\n"+ansi.Strip(m.View())+"\n")
	m.SetError(errors.New(`near "form": syntax error`))
	golden(t, "error_78x10", m.Title()+"\n"+ansi.Strip(m.View())+"\n")
	m = newTestModel(t, 78, 10)
	golden(t, "empty_78x10", m.Title()+"\n"+ansi.Strip(m.View())+"\n")
}
