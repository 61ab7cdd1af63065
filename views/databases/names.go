package databases

import (
	"errors"
	"regexp"
)

var namePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// MaxNameLen is the longest database name the gateway accepts.
const MaxNameLen = 64

// ValidateName checks a database name the way the gateway does, so the
// prompt can say what is wrong before anything is sent.
func ValidateName(s string) error {
	switch {
	case s == "":
		return errors.New("a name is required")
	case len(s) > MaxNameLen:
		return errors.New("at most 64 characters")
	case !namePattern.MatchString(s):
		return errors.New("letters, digits, _ . - only; start with a letter or digit")
	}
	return nil
}
