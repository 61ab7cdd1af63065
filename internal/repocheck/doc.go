// Package repocheck holds tests of the repository as a whole rather than of
// one package: the import rules docs/ARCHITECTURE.md states, and that the
// repository's documents point only at files inside it. It has no code of
// its own; `go test ./internal/repocheck` runs the checks.
package repocheck
