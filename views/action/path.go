package action

// CompletePath asks the root to list what the path typed in a prompt could
// complete to. ID names the prompt and Seq numbers its requests, so the
// answer reaches the prompt that asked and an answer for an older request
// (or an input typed on since) is dropped.
type CompletePath struct {
	ID    string
	Seq   int
	Input string
}

// PathCompletions is the root's answer to CompletePath: the entries of the
// typed directory whose names start with the typed base (hidden ones only
// when the base starts with "."), sorted, at most a few hundred of Total.
// Names are raw file names: sanitize before drawing.
type PathCompletions struct {
	ID      string
	Seq     int
	Input   string
	Entries []PathEntry
	Total   int
	Err     error
}

// PathEntry is one candidate: a name in the typed directory.
type PathEntry struct {
	Name string
	Dir  bool
}
