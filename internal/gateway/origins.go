package gateway

import (
	"strings"
)

// origins is the set of web origins (scheme://host[:port]) whose pages may
// call the gateway from a browser.
type origins struct {
	any  bool            // every origin ("*")
	list map[string]bool // exact origins, lower-case, no trailing slash
}

// newOrigins builds the set from the configured list. An empty list means
// every origin when keys are required (keys travel in headers, which a
// page of another origin cannot take from the browser) and none in open
// mode, where a page's request would be as good as the admin's.
func newOrigins(configured []string, open bool) origins {
	o := origins{list: map[string]bool{}}
	for _, s := range configured {
		s = normalOrigin(s)
		switch s {
		case "":
		case "*":
			o.any = true
		default:
			o.list[s] = true
		}
	}
	if len(configured) == 0 && !open {
		o.any = true
	}
	return o
}

// allows reports whether a page of origin may call the gateway.
func (o origins) allows(origin string) bool {
	return o.any || o.list[normalOrigin(origin)]
}

func normalOrigin(s string) string {
	return strings.ToLower(strings.TrimSuffix(strings.TrimSpace(s), "/"))
}
