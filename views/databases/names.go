package databases

import "github.com/dbforge/dbforge/client"

// ValidateName checks a database name the way the gateway does (the
// contract's rule, defined once in the client), so the prompt can say
// what is wrong before anything is sent.
func ValidateName(s string) error { return client.ValidateDatabaseName(s) }
