package editor

import (
	"reflect"
	"strings"
	"testing"
)

func texts(items []candidate) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.text)
	}
	return out
}

func TestCompletionContexts(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string // leading candidates, in order
		absent     []string
	}{
		{"tables after FROM", "SELECT * FROM ", []string{"big_orders", "customers", `"order items"`, "orders"}, []string{"SELECT", "id"}},
		{"tables after JOIN with prefix", "SELECT * FROM customers c JOIN or", []string{`"order items"`, "orders"}, []string{"OR", "ORDER"}},
		{"alias columns", "SELECT o. FROM orders o", nil, nil},
		{"alias columns with prefix", "SELECT * FROM orders AS o WHERE o.cu", []string{"customer_id"}, []string{"customers"}},
		{"table-qualified columns", "SELECT customers.e", []string{"email"}, nil},
		{"keywords and names", "SELECT na", []string{"name"}, nil},
		{"keyword case follows prefix", "sel", []string{"select"}, nil},
		{"columns of the statement's tables first", "SELECT * FROM orders WHERE t", []string{"total"}, nil},
		{"previous statement ignored", "SELECT * FROM customers; SELECT i", []string{"id"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			off := len(tc.text)
			if tc.name == "alias columns" {
				off = strings.Index(tc.text, ".") + 1
			}
			c, refs := analyze(tc.text, off)
			got := texts(candidates(sampleSchema(), c, refs))
			if tc.name == "alias columns" {
				if !reflect.DeepEqual(got, []string{"id", "customer_id", "total"}) {
					t.Fatalf("got %q", got)
				}
				return
			}
			if len(got) < len(tc.want) || !reflect.DeepEqual(got[:len(tc.want)], tc.want) {
				t.Fatalf("got %q, want to start with %q", got, tc.want)
			}
			for _, a := range tc.absent {
				for _, g := range got {
					if g == a {
						t.Fatalf("%q offered here: %q", a, got)
					}
				}
			}
		})
	}
}

func TestCompletionPopup(t *testing.T) {
	m := newEditor(t, 60, 10, "")
	m.SetSchema(sampleSchema())
	m = typeText(m, "SELECT * FROM ")
	m, _ = press(m, "tab")
	if !m.comp.open() || len(m.comp.items) != 4 {
		t.Fatalf("popup not open with the 4 tables: %+v", m.comp)
	}
	view := m.View()
	checkSize(t, view, 60, 10)
	if !strings.Contains(plain(view)[1], "big_orders") || !strings.Contains(plain(view)[1], "view") {
		t.Fatalf("popup not drawn under the cursor:\n%s", strings.Join(plain(view), "\n"))
	}
	m, _ = press(m, "down", "down", "enter")
	if m.comp.open() || m.Text() != `SELECT * FROM "order items"` {
		t.Fatalf("accept inserted %q", m.Text())
	}

	// typing narrows the list, a single match is inserted at once
	m = newEditor(t, 60, 10, "")
	m.SetSchema(sampleSchema())
	m = typeText(m, "SELECT * FROM o")
	m, _ = press(m, "tab")
	m = typeText(m, "r")
	if len(m.comp.items) != 2 {
		t.Fatalf("narrowed to %q", texts(m.comp.items))
	}
	m, _ = press(m, "esc")
	if m.comp.open() || !m.InTextInput() {
		t.Fatal("esc should close the popup and keep editing")
	}
	m = typeText(m, "ders c WHERE c.em")
	m, _ = press(m, "tab")
	if m.Text() != "SELECT * FROM orders c WHERE c.em" {
		// c is orders here: no column starts with em, nothing happens
		t.Fatalf("text %q", m.Text())
	}
	m = newEditor(t, 60, 10, "")
	m.SetSchema(sampleSchema())
	m = typeText(m, "SELECT cu.em FROM customers cu")
	m.move(pos{0, len("SELECT cu.em")}, false, false)
	m, _ = press(m, "tab")
	if m.Text() != "SELECT cu.email FROM customers cu" {
		t.Fatalf("single candidate not inserted: %q", m.Text())
	}

	// a bare tab indents
	m, _ = press(newEditor(t, 60, 10, ""), "tab")
	if m.Text() != indent {
		t.Fatalf("bare tab = %q", m.Text())
	}
}
