package repocheck

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// repoFile is one text file of the repository.
type repoFile struct {
	rel  string // slash path from the repository root
	text string
}

// textFiles reads the repository's text files: sources, documents,
// templates, build and deploy files. Build outputs (.gitignore'd) and
// binary files are left out.
func textFiles(t *testing.T) []repoFile {
	t.Helper()
	skipDirs := map[string]bool{".git": true, "bin": true, "dist": true, "man": true}
	var out []repoFile
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if skipDirs[rel] { // .git is a file in a worktree
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() || rel == "dbforge" || strings.HasSuffix(rel, ".db") || strings.Contains(rel, "/testdata/fuzz/") {
			return nil
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.IndexByte(raw, 0) >= 0 {
			return nil // binary
		}
		out = append(out, repoFile{rel, string(raw)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 200 {
		t.Fatalf("only %d text files found under %s", len(out), root)
	}
	return out
}

// outsidePointers are ways a file names something outside the repository:
// the design folder the docs once lived in, and absolute paths of the
// machine the code was written on. They are built from parts so this file
// does not match itself.
func outsidePointers() []*regexp.Regexp {
	return []*regexp.Regexp{
		regexp.MustCompile(`(^|[^A-Za-z0-9_.-])` + "shared" + `/(design|docs?)\b`),
		regexp.MustCompile(`\.\./` + "shared" + `\b`),
		regexp.MustCompile(`(^|[\s"'(\x60=:])/` + "work" + `/`),
	}
}

// TestNoFilePointsOutsideTheRepo refuses any reference to a file that a
// clone does not have.
func TestNoFilePointsOutsideTheRepo(t *testing.T) {
	patterns := outsidePointers()
	for _, f := range textFiles(t) {
		for i, line := range strings.Split(f.text, "\n") {
			for _, re := range patterns {
				if re.MatchString(line) {
					t.Errorf("%s:%d points outside the repository: %s", f.rel, i+1, strings.TrimSpace(line))
				}
			}
		}
	}
}

// markdownLink matches an inline link or image target, and a reference
// definition ("[name]: target").
var markdownLink = regexp.MustCompile(`\]\(([^)\s]+)(?:\s+"[^"]*")?\)|^\s*\[[^\]]+\]:\s*(\S+)`)

// docMention matches a document of docs/ named in any file
// ("docs/API.md").
var docMention = regexp.MustCompile(`\bdocs/[A-Z][A-Z_]+\.md\b`)

// TestRelativeLinksResolve checks that every relative link in a Markdown
// file names a file or directory inside the repository, and that every
// document of docs/ another file names exists.
func TestRelativeLinksResolve(t *testing.T) {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	files := textFiles(t)
	links := 0
	for _, f := range files {
		if !strings.HasSuffix(f.rel, ".md") {
			continue
		}
		inFence := false
		for i, line := range strings.Split(f.text, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "```") {
				inFence = !inFence
			}
			if inFence {
				continue
			}
			for _, m := range markdownLink.FindAllStringSubmatch(line, -1) {
				target := m[1] + m[2]
				if isExternal(target) {
					continue
				}
				target, _, _ = strings.Cut(target, "#")
				if target == "" {
					continue // an anchor in the same file
				}
				links++
				abs := filepath.Join(absRoot, filepath.Dir(f.rel), filepath.FromSlash(target))
				if rel, err := filepath.Rel(absRoot, abs); err != nil || strings.HasPrefix(rel, "..") {
					t.Errorf("%s:%d: link %q leaves the repository", f.rel, i+1, target)
					continue
				}
				if _, err := os.Stat(abs); err != nil {
					t.Errorf("%s:%d: link %q does not resolve", f.rel, i+1, target)
				}
			}
		}
	}
	if links < 10 {
		t.Fatalf("only %d relative links found", links)
	}
	for _, f := range files {
		for i, line := range strings.Split(f.text, "\n") {
			for _, name := range docMention.FindAllString(line, -1) {
				if _, err := os.Stat(filepath.Join(absRoot, filepath.FromSlash(name))); err != nil {
					t.Errorf("%s:%d names %s, which does not exist", f.rel, i+1, name)
				}
			}
		}
	}
}

// isExternal reports whether a link target is a URL rather than a path.
func isExternal(target string) bool {
	for _, scheme := range []string{"http://", "https://", "mailto:", "ftp://"} {
		if strings.HasPrefix(target, scheme) {
			return true
		}
	}
	return false
}

// TestLinkCheckerSeesABrokenLink is the attack on the checker: the link
// forms it must catch.
func TestLinkCheckerSeesABrokenLink(t *testing.T) {
	for _, line := range []string{"see [the API](../x/API.md)", "[api]: NOPE.md"} {
		if markdownLink.FindStringSubmatch(line) == nil {
			t.Errorf("%q: no link found", line)
		}
	}
	bad := []string{"read " + "shared" + "/design/API.md", "cd " + "/" + "work" + "/main", "`../" + "shared" + "/x`"}
	good := []string{"/tmp/work/q.sql", "a shared/ prefix", "github.com/x/shared"}
	for _, line := range bad {
		hit := false
		for _, re := range outsidePointers() {
			hit = hit || re.MatchString(line)
		}
		if !hit {
			t.Errorf("%q not caught", line)
		}
	}
	for _, line := range good {
		for _, re := range outsidePointers() {
			if re.MatchString(line) {
				t.Errorf("%q caught by %s", line, re)
			}
		}
	}
}
