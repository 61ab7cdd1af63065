package databases

import (
	"testing"

	"github.com/dbforge/dbforge/internal/app"
)

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

// The prompts' checks are internal/app's format rules: a .tsv export gets
// the exports' reason, and the names listed come from the format table.
func TestPromptChecksUseTheAppFormatTable(t *testing.T) {
	if err := validateExportPath("rows.tsv"); err == nil || err.Error() != app.ErrTSVExport.Error() {
		t.Errorf(".tsv export: %v", err)
	}
	if err := validateExportPath("rows.txt"); err == nil || err.Error() != "end the name in .csv, .json, .ndjson or .sql" {
		t.Errorf(".txt export: %v", err)
	}
	if err := validateImportPath("rows.json"); err == nil || err.Error() != "end the name in .csv, .tsv or .sql" {
		t.Errorf(".json import: %v", err)
	}
	if err := validateImportPath("rows.TSV"); err != nil {
		t.Errorf(".TSV import refused: %v", err)
	}
}
