package config

import (
	"strings"
	"testing"
)

// max_result_memory in [serve] decodes and shows in `dbforge config`.
func TestServeResultMemoryKey(t *testing.T) {
	dir := isolate(t)
	writeConfig(t, dir, "[serve]\nmax_result_bytes = 1048576\nmax_result_memory = 268435456\n")
	c, err := Resolve(Flags{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if m := c.Serve.MaxResultMemory; m == nil || *m != 256<<20 {
		t.Fatalf("max_result_memory decoded as %v", m)
	}
	if got := strings.Join(c.Serve.Given(), ", "); got != "max_result_bytes=1048576, max_result_memory=268435456" {
		t.Fatalf("given: %s", got)
	}
	writeConfig(t, dir, "[serve]\nmax_result_memory = \"lots\"\n")
	if _, err := Resolve(Flags{}, nil); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("max_result_memory as a string: %v", err)
	}
}
