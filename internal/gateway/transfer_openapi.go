package gateway

// transferOperations describes the export, import and backup routes for
// the OpenAPI document (operations() appends them).
func transferOperations() []operation {
	exportErr := []int{400, 401, 403, 404, 409, 422}
	return []operation{
		{method: "GET", path: "/api/db/{db}/export/csv", summary: "Stream a table or view as CSV (RFC 4180, header row; NULL unquoted empty or null=)", tag: "transfer", query: []string{"table", "null"}, ok: 200, errors: exportErr},
		{method: "GET", path: "/api/db/{db}/export/json", summary: "Stream a table or view as a JSON array of objects, or NDJSON with ndjson=true", tag: "transfer", query: []string{"table", "ndjson"}, ok: 200, errors: exportErr},
		{method: "GET", path: "/api/db/{db}/export/sql", summary: "Stream a full SQL dump (schema and data) that re-imports to an identical database", tag: "transfer", ok: 200, errors: []int{400, 401, 403, 404, 409}},
		{method: "POST", path: "/api/db/{db}/export/query", summary: "Stream every row of one read-only statement as CSV, a JSON array or NDJSON (no row limit)", tag: "transfer", body: "ExportQueryRequest", ok: 200, errors: []int{400, 401, 403, 404, 408, 409, 413, 422, 503}},
		{method: "POST", path: "/api/db/{db}/import/csv", summary: "Import a streamed CSV body in one transaction; creates the table with inferred types", tag: "transfer", query: []string{"table", "header", "create", "delimiter", "null"}, ok: 200, errors: []int{400, 401, 403, 404, 408, 409, 413, 422, 503}},
		{method: "POST", path: "/api/db/{db}/import/sql", summary: "Run a multi-statement script in one transaction", tag: "transfer", ok: 200, errors: []int{400, 401, 403, 404, 408, 409, 413, 503}},
		{method: "POST", path: "/admin/databases/{db}/{action}", summary: "action=backup: take an online snapshot (201); action=restore: restore the snapshot named in {\"backup\"}", tag: "transfer", ok: 200, errors: []int{400, 401, 403, 404, 409, 422, 503}},
		{method: "GET", path: "/admin/databases/{db}/backups", summary: "List a database's backups, newest first", tag: "transfer", ok: 200, errors: []int{400, 401, 403, 404}},
		{method: "GET", path: "/admin/templates", summary: "Templates spawn can fill a new database from: bundled ones and the operator's <config dir>/templates/*.sql", tag: "admin", ok: 200, errors: []int{401, 403}},
		{method: "POST", path: "/admin/databases/{db}/fork/{to}", summary: "Fork: copy a live database (an online snapshot; writes go on) or, with backup=NAME, one of its backups, as the new independent database {to}", tag: "admin", query: []string{"backup"}, ok: 201, okSchema: "Fork", errors: []int{400, 401, 403, 404, 409, 503}},
	}
}
