package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestResolveVersion(t *testing.T) {
	withMain := func(v string, settings ...debug.BuildSetting) *debug.BuildInfo {
		return &debug.BuildInfo{Main: debug.Module{Path: "github.com/dbforge/dbforge", Version: v}, Settings: settings}
	}
	rev := debug.BuildSetting{Key: "vcs.revision", Value: "0123456789abcdef0123"}
	dirty := debug.BuildSetting{Key: "vcs.modified", Value: "true"}
	cases := []struct {
		name    string
		ldflags string
		info    *debug.BuildInfo
		ok      bool
		want    string
	}{
		{"ldflags win over build info", "v1.4.0", withMain("v1.3.0"), true, "v1.4.0"},
		{"go install module@version", "dev", withMain("v1.3.0"), true, "v1.3.0"},
		{"pseudo-version", "dev", withMain("v0.0.0-20261201000000-0123456789ab"), true, "v0.0.0-20261201000000-0123456789ab"},
		{"local build with vcs stamp", "dev", withMain("(devel)", rev, dirty), true, "dev+0123456789ab-dirty"},
		{"local build without vcs", "dev", withMain("(devel)"), true, "dev"},
		{"no build info", "", nil, false, "dev"},
	}
	for _, c := range cases {
		if got := resolveVersion(c.ldflags, c.info, c.ok); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

// --version is a flag of the root command and says what `version` says.
func TestVersionFlagMatchesVersionCommand(t *testing.T) {
	isolateEnv(t)
	cmd := mustRun(t, "version")
	flag := mustRun(t, "--version")
	if flag != cmd || !strings.HasPrefix(flag, "dbforge ") {
		t.Errorf("--version %q, version %q", flag, cmd)
	}
}

// The real binary reports the version given by ldflags (how make build and
// goreleaser stamp it) through --version.
func TestBinaryVersionFromLdflags(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "dbforge")
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	build := exec.Command(gobin, "build", "-o", bin,
		"-ldflags", "-X github.com/dbforge/dbforge/internal/cli.Version=v9.8.7-test", "github.com/dbforge/dbforge")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--version").CombinedOutput()
	if err != nil || string(out) != "dbforge v9.8.7-test\n" {
		t.Errorf("--version: %v %q", err, out)
	}
}
