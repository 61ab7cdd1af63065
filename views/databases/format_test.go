package databases

import "testing"

func TestFormatsFromFileNames(t *testing.T) {
	cases := []struct{ path, export, imp string }{
		{"out.csv", "csv", "csv"},
		{" OUT.CSV ", "csv", "csv"},
		{"rows.tsv", "", "csv"},
		{"rows.json", "json", ""},
		{"rows.ndjson", "ndjson", ""},
		{"rows.jsonl", "ndjson", ""},
		{"dump.sql", "sql", "sql"},
		{"notes.txt", "", ""},
		{"dir.csv/file", "", ""},
		{"noext", "", ""},
	}
	for _, c := range cases {
		if got := ExportFormat(c.path); got != c.export {
			t.Errorf("ExportFormat(%q) = %q, want %q", c.path, got, c.export)
		}
		if got := ImportFormat(c.path); got != c.imp {
			t.Errorf("ImportFormat(%q) = %q, want %q", c.path, got, c.imp)
		}
	}
}
