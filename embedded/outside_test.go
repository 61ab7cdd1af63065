package embedded_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// TestOutsideModule builds and runs testdata/outside, a module of its own
// that imports only the public packages (client, embedded) through a
// replace directive, as a program outside this repository would. It runs
// offline: GOPROXY=off, the main module's go.sum and the module cache.
func TestOutsideModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a separate module")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	mod, err := os.ReadFile(filepath.Join("testdata", "outside", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	mod = regexp.MustCompile(`(?m)^replace github.com/dbforge/dbforge => .*$`).ReplaceAll(mod, []byte("replace github.com/dbforge/dbforge => "+root))
	mainMod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	// The main module's requirements, listed here too, keep the module
	// graph pruned as it is for the main module: without them the go
	// command loads the full graph, whose older go.mod files (testify
	// v1.3.0 of pgpassfile, say) a module cache filled by building this
	// repository does not hold, and GOPROXY=off cannot fetch.
	for _, block := range regexp.MustCompile(`(?ms)^require \(.*?^\)$`).FindAll(mainMod, -1) {
		mod = append(append(mod, '\n'), block...)
	}
	copyFile(t, filepath.Join(dir, "go.mod"), mod)
	src, err := os.ReadFile(filepath.Join("testdata", "outside", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	copyFile(t, filepath.Join(dir, "main.go"), src)
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	copyFile(t, filepath.Join(dir, "go.sum"), sum)

	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "run", ".", filepath.Join(dir, "data"))
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off", "CGO_ENABLED=0")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("go run: %v\n%s", err, errb.String())
	}
	if got := out.String(); !regexp.MustCompile(`^shop order_items=[1-9]\d*\nshop_try order_items=0\n$`).MatchString(got) {
		t.Fatalf("output %q", got)
	}
	// and the data is plain SQLite files in the directory
	for _, db := range []string{"shop", "shop_try"} {
		if _, err := os.Stat(filepath.Join(dir, "data", "databases", db+".db")); err != nil {
			t.Fatal(err)
		}
	}
	// the outside program could not have reached an internal package
	if strings.Contains(string(src), "/internal/") {
		t.Fatal("the outside program imports an internal package")
	}
}

func copyFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
