package history

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDraftsRoundTripAtomicallyPerDatabase(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "drafts")
	d := Drafts{Dir: dir}
	if data, err := d.Load("shop"); err != nil || data != nil {
		t.Fatalf("no draft yet: %q %v", data, err)
	}
	body := []byte("{\"tabs\":[{\"text\":\"SELECT 'é'\\n\"}]}\x00raw")
	if err := d.Save("shop", body); err != nil {
		t.Fatal(err)
	}
	if err := d.Save("../shop", []byte("other")); err != nil {
		t.Fatal(err)
	}
	got, err := d.Load("shop")
	if err != nil || string(got) != string(body) {
		t.Fatalf("load: %q %v", got, err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".history-") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
	if len(entries) != 2 {
		t.Fatalf("files in the drafts folder: %v", entries)
	}
	if info, _ := os.Stat(dir); info.Mode().Perm() != 0o700 {
		t.Fatalf("drafts folder mode %v", info.Mode().Perm())
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "shop.draft.json")); err == nil {
		t.Fatal("a database name reached outside the folder")
	}
	if err := d.Save("shop", nil); err != nil {
		t.Fatal(err)
	}
	if data, err := d.Load("shop"); err != nil || data != nil {
		t.Fatalf("after removing: %q %v", data, err)
	}
	if _, err := d.Load(""); err == nil {
		t.Fatal("empty database name accepted")
	}
}
