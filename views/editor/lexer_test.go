package editor

import "testing"

// The editor's SQL lexer is chroma's, loaded from the embedded copy.
func TestSQLLexerIsChromaSQL(t *testing.T) {
	if got := sqlLexer().Config().Name; got != "SQL" {
		t.Fatalf("lexer %q, want chroma's SQL lexer", got)
	}
}
