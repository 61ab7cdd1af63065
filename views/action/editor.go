package action

// OpenFile asks the root to read a .sql file into the editor (it calls the
// editor's SetText and SetPath with the content, or reports the error).
type OpenFile struct{ Path string }

// SaveFile asks the root to write Text to Path (then SetPath on success).
type SaveFile struct {
	Path string
	Text string
}
