package cli

import (
	"path/filepath"
	"testing"
)

// --max-result-memory must be a positive number of bytes: a usage error
// in one line otherwise, before anything is opened.
func TestServeResultMemoryUsage(t *testing.T) {
	dir := isolateEnv(t)
	data := filepath.Join(dir, "data")
	for _, v := range []string{"0", "-1"} {
		assertError(t, run(t, "", "serve", "--data", data, "--no-auth", "--max-result-memory", v), exitUsage, "--max-result-memory must be positive")
	}
	assertError(t, run(t, "", "serve", "--data", data, "--no-auth", "--max-result-memory", "lots"), exitUsage, "max-result-memory")
}
