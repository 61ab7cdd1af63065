package sqltext

import "strings"

// QuoteIdent writes name as an SQLite identifier: always in double quotes,
// inner double quotes doubled. Every identifier that reaches generated SQL
// goes through it.
func QuoteIdent(name string) string {
	var b strings.Builder
	b.Grow(len(name) + 2)
	WriteIdent(&b, name)
	return b.String()
}

// WriteIdent writes QuoteIdent(name) to b, for statements built in one
// buffer.
func WriteIdent(b *strings.Builder, name string) {
	b.WriteByte('"')
	b.WriteString(strings.ReplaceAll(name, `"`, `""`)) // name itself when it holds no quote
	b.WriteByte('"')
}

// DisplayIdent writes name the way a person types it: bare when it is a
// plain word that is not reserved, else QuoteIdent. It is for text a user
// reads or edits (completion, prompts), never for generated SQL.
func DisplayIdent(name string) string {
	if isBareName(name) {
		return name
	}
	return QuoteIdent(name)
}

// isBareName reports whether name can be written without quotes.
func isBareName(name string) bool {
	if name == "" || IsReserved(name) {
		return false
	}
	for i := 0; i < len(name); i++ {
		b := name[i]
		if !IsNameByte(b) || b == '$' || (i == 0 && b >= '0' && b <= '9') {
			return false
		}
	}
	return true
}

// IsReserved reports whether w is a reserved word: it can never be a bare
// alias or name, so a name spelled like it must be quoted.
func IsReserved(w string) bool {
	switch strings.ToUpper(w) {
	case "ADD", "ALL", "ALTER", "AND", "AS", "AUTOINCREMENT", "BETWEEN", "CASE", "CHECK",
		"COLLATE", "COMMIT", "CONSTRAINT", "CREATE", "CROSS", "DEFAULT", "DEFERRABLE",
		"DELETE", "DISTINCT", "DROP", "ELSE", "ESCAPE", "EXCEPT", "EXISTS", "FOREIGN",
		"FROM", "FULL", "GROUP", "HAVING", "IN", "INDEX", "INNER", "INSERT", "INTERSECT",
		"INTO", "IS", "ISNULL", "JOIN", "LEFT", "LIMIT", "NATURAL", "NOT", "NOTNULL", "NULL",
		"ON", "OR", "ORDER", "OUTER", "PRIMARY", "REFERENCES", "RETURNING", "RIGHT",
		"SELECT", "SET", "TABLE", "THEN", "TO", "TRANSACTION", "UNION", "UNIQUE", "UPDATE",
		"USING", "VALUES", "WHEN", "WHERE", "WINDOW", "WITH", "OFFSET":
		return true
	}
	return false
}
