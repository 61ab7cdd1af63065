package client_test

import (
	"mime"
	"testing"

	"github.com/dbforge/dbforge/client"
)

// TestTransferFormatsTable: each format of the one table is found by its
// name and by each of its extensions, its Content-Type parses, and no
// extension means two formats.
func TestTransferFormatsTable(t *testing.T) {
	seen := map[string]string{}
	for _, f := range client.TransferFormats() {
		if got, ok := client.LookupFormat(f.Name); !ok || got.Name != f.Name {
			t.Errorf("LookupFormat(%q) = %v, %v", f.Name, got, ok)
		}
		if _, _, err := mime.ParseMediaType(f.ContentType); err != nil {
			t.Errorf("%s: Content-Type %q: %v", f.Name, f.ContentType, err)
		}
		if len(f.Extensions) == 0 {
			t.Errorf("%s has no file extension", f.Name)
		}
		for _, ext := range f.Extensions {
			if other, dup := seen[ext]; dup {
				t.Errorf(".%s means both %s and %s", ext, other, f.Name)
			}
			seen[ext] = f.Name
			if got := client.FormatFromPath("dir.x/out." + ext); got != f.Name {
				t.Errorf("FormatFromPath(out.%s) = %q, want %q", ext, got, f.Name)
			}
		}
	}
	if _, ok := client.LookupFormat("xml"); ok {
		t.Error("an unknown format is found")
	}
}
