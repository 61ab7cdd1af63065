package gateway

import (
	"net/http"
	"strings"
)

// operation describes one route for the OpenAPI document. The list below is
// written by hand, apart from the route registrations, so a test can check
// that the two agree; an operation's security comes from the access its
// route is registered with.
type operation struct {
	method, path, summary, tag string
	query                      []string // query parameter names
	body                       string   // request schema name, "" for none
	ok                         int      // success status
	okSchema                   string   // success schema name, "" for free-form
	errors                     []int    // documented error statuses
}

func operations() []operation {
	dbErr := []int{400, 401, 404}
	ops := []operation{
		{method: "GET", path: "/", summary: "Welcome message (MK1)", tag: "meta", ok: 200, okSchema: "Message"},
		{method: "GET", path: "/health", summary: "Gateway health and checks", tag: "meta", ok: 200, okSchema: "Health", errors: []int{503}},
		{method: "GET", path: "/metrics", summary: "Prometheus metrics (text exposition format); needs the metrics token or an unscoped admin key", tag: "meta", ok: 200, errors: []int{401, 403}},
		{method: "GET", path: "/openapi.json", summary: "This document", tag: "meta", ok: 200},
		{method: "GET", path: "/docs", summary: "This document as a readable HTML page (self-contained, works offline)", tag: "meta", ok: 200},

		{method: "POST", path: "/admin/databases/spawn/{db}", summary: "Create or start a database (MK1): 201 when new or started again after a prune (restarted: true), 200 when already running", tag: "admin", body: "SpawnRequest", ok: 201, okSchema: "Spawn", errors: []int{400, 401, 404, 409}},
		{method: "POST", path: "/admin/databases/prune/{db}", summary: "Stop a database and keep its data (MK1)", tag: "admin", ok: 200, okSchema: "Message", errors: dbErr},
		{method: "GET", path: "/admin/databases", summary: "List running databases (MK1); ?status=all|stopped includes pruned ones; ?prefix= filters names, ?limit=&offset= page them (X-Total-Count)", tag: "admin", query: []string{"status", "prefix", "limit", "offset"}, ok: 200, okSchema: "InstanceList", errors: []int{401, 422}},
		{method: "GET", path: "/admin/discovery", summary: "Names and statuses of every database (MK1)", tag: "admin", ok: 200, errors: []int{401}},
		{method: "GET", path: "/admin/gateway/stats", summary: "Request counts by route pattern and errors by status (MK1)", tag: "admin", ok: 200, okSchema: "GatewayStats", errors: []int{401, 403}},
		{method: "GET", path: "/admin/databases/{db}", summary: "Database details: tables, indexes, pages, WAL", tag: "admin", ok: 200, errors: dbErr},
		{method: "DELETE", path: "/admin/databases/{db}", summary: "Delete a database and its files for good (requires force=true)", tag: "admin", query: []string{"force"}, ok: 200, okSchema: "Message", errors: dbErr},
		{method: "GET", path: "/admin/databases/{db}/stats", summary: "Per-database health: counters, latency percentiles, sample series", tag: "admin", ok: 200, errors: dbErr},

		{method: "POST", path: "/api/db/{db}/query", summary: "Run one SQL statement (MK1)", tag: "data", body: "QueryRequest", ok: 200, okSchema: "QueryResult", errors: []int{400, 401, 404, 408, 409, 413, 422, 503}},
		{method: "POST", path: "/api/db/{db}/tables", summary: "Create a table from column definitions (MK1)", tag: "data", body: "CreateTableRequest", ok: 201, okSchema: "Message", errors: []int{400, 401, 404, 409, 422}},
		{method: "POST", path: "/api/db/{db}/tables/{table}/rows", summary: "Insert rows in one transaction (MK1)", tag: "data", body: "InsertRequest", ok: 201, okSchema: "Message", errors: []int{400, 401, 404, 409, 422}},
		{method: "GET", path: "/api/db/{db}/tables/{table}/rows", summary: "Read rows with limit, offset and equality filters on columns (MK1)", tag: "data", query: []string{"limit", "offset"}, ok: 200, okSchema: "QueryResult", errors: []int{400, 401, 404, 408, 409, 422, 503}},
		{method: "GET", path: "/api/db/{db}/schema", summary: "Tables, views, columns, indexes, foreign keys and triggers", tag: "data", query: []string{"table"}, ok: 200, errors: []int{400, 401, 404, 409}},
		{method: "POST", path: "/api/db/{db}/explain", summary: "EXPLAIN QUERY PLAN of one statement as a tree", tag: "data", body: "QueryRequest", ok: 200, errors: []int{400, 401, 404, 409}},

		{method: "POST", path: "/admin/keys", summary: "Create an API key (admin, readwrite or readonly; optionally scoped to databases); the key is returned only this once", tag: "security", ok: 201, errors: []int{400, 401, 403, 422}},
		{method: "GET", path: "/admin/keys", summary: "List API keys (never the keys themselves)", tag: "security", ok: 200, errors: []int{401, 403}},
		{method: "DELETE", path: "/admin/keys/{id}", summary: "Revoke an API key; it stops working at once", tag: "security", ok: 200, errors: []int{401, 403, 404}},
		{method: "GET", path: "/admin/audit", summary: "Audit log, newest first: who, when, route, database, statement kind, outcome", tag: "security", query: []string{"limit", "db", "key", "since"}, ok: 200, errors: []int{401, 403, 422}},
	}
	return append(ops, transferOperations()...)
}

// routeAccess is the access the route serving method and path was
// registered with. An operation with no route is described as admin-only,
// the strictest; the OpenAPI test refuses such an operation.
func (g *Gateway) routeAccess(method, path string) access {
	pattern := method + " " + path
	if path == "/" {
		pattern = method + " /{$}" // the mux's exact-match form
	}
	if acc, ok := g.access[pattern]; ok {
		return acc
	}
	return accessAdmin
}

// accessNeeds says in words which keys a protected access level admits.
func accessNeeds(acc access) string {
	switch acc {
	case accessGatewayWide:
		return "an unscoped admin key."
	case accessView:
		return "any key; a database must be in its scope, lists show only its databases."
	case accessRead:
		return "any key scoped to the database; a readonly key's statements cannot write."
	case accessWrite:
		return "an admin or readwrite key scoped to the database."
	}
	return "an admin key; a scoped admin key only on its databases."
}

// openAPIDocument builds the OpenAPI 3 description of the API.
func (g *Gateway) openAPIDocument() map[string]any {
	paths := map[string]map[string]any{}
	for _, op := range operations() {
		item := paths[op.path]
		if item == nil {
			item = map[string]any{}
			paths[op.path] = item
		}
		var params []any
		for seg := range strings.SplitSeq(op.path, "/") {
			if strings.HasPrefix(seg, "{") {
				name := strings.Trim(seg, "{}")
				params = append(params, map[string]any{"name": name, "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
			}
		}
		for _, q := range op.query {
			params = append(params, map[string]any{"name": q, "in": "query", "required": false, "schema": map[string]any{"type": "string"}})
		}
		responses := map[string]any{}
		okResp := map[string]any{"description": http.StatusText(op.ok)}
		if op.okSchema != "" {
			okResp["content"] = jsonContent(op.okSchema)
		}
		responses[itoa3(op.ok)] = okResp
		for _, code := range op.errors {
			responses[itoa3(code)] = map[string]any{"description": http.StatusText(code), "content": jsonContent("Error")}
		}
		o := map[string]any{
			"summary":     op.summary,
			"tags":        []string{op.tag},
			"operationId": strings.ToLower(op.method) + strings.NewReplacer("/", "_", "{", "", "}", "", ".", "_").Replace(op.path),
			"responses":   responses,
		}
		if len(params) > 0 {
			o["parameters"] = params
		}
		if op.body != "" {
			o["requestBody"] = map[string]any{"required": op.body != "SpawnRequest", "content": jsonContent(op.body)}
		}
		acc := g.routeAccess(op.method, op.path)
		o["x-access"] = acc.String()
		switch acc {
		case accessMetrics:
			o["security"] = []any{map[string]any{"bearer": []string{}}, map[string]any{"apiKey": []string{}}}
			o["description"] = op.summary + ". Send the metrics token (serve --metrics-token) as Authorization: Bearer, or an unscoped admin key."
		case accessOpen:
			// open: an empty list says no key is needed; every open route
			// is GET only, so any other method is a 405 JSON error
			o["security"] = []any{}
			responses["405"] = map[string]any{"description": "Method Not Allowed: the route is served for GET only", "content": jsonContent("Error")}
			o["description"] = op.summary + ". Open: no key needed."
		default:
			o["security"] = []any{map[string]any{"apiKey": []string{}}, map[string]any{"bearer": []string{}}}
			o["description"] = op.summary + ". Needs an API key (X-API-Key or Authorization: Bearer) whose role and database scope allow it: " + accessNeeds(acc)
		}
		item[strings.ToLower(op.method)] = o
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{
			"title":       "DB-Forge gateway",
			"version":     g.opts.Version,
			"description": "Isolated SQLite and PostgreSQL databases on demand. Routes marked MK1 answer exactly as DB-Forge MK1 did.",
			"license":     map[string]any{"name": "MIT", "url": "https://opensource.org/licenses/MIT"},
		},
		// relative: the gateway that serves this document, wherever it listens
		"servers": []any{map[string]any{"url": "/", "description": "this gateway"}},
		"tags":    openAPITags(),
		"paths":   paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{
				"apiKey": map[string]any{"type": "apiKey", "in": "header", "name": "X-API-Key"},
				"bearer": map[string]any{"type": "http", "scheme": "bearer"},
			},
			"schemas": schemas(),
		},
	}
}

// openAPITags describes the tags operations are grouped by.
func openAPITags() []any {
	var out []any
	for _, t := range []struct{ name, desc string }{
		{"meta", "Open routes: welcome, health, metrics, this description"},
		{"admin", "Database lifecycle and gateway statistics"},
		{"data", "SQL and MK1's table routes"},
		{"transfer", "Export, import, backup and restore"},
		{"security", "API keys and the audit log"},
	} {
		out = append(out, map[string]any{"name": t.name, "description": t.desc})
	}
	return out
}

func jsonContent(schema string) map[string]any {
	return map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/" + schema}}}
}

func itoa3(code int) string {
	return string([]byte{byte('0' + code/100), byte('0' + code/10%10), byte('0' + code%10)})
}

func obj(props map[string]any, required ...string) map[string]any {
	o := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

func typ(t string) map[string]any { return map[string]any{"type": t} }

func schemas() map[string]any {
	anyValue := map[string]any{"description": "integer, number (REAL always has a fraction), string, null, or {\"$blob\": base64}"}
	return map[string]any{
		"Error": obj(map[string]any{
			"detail": typ("string"),
			"error":  obj(map[string]any{"code": typ("string"), "message": typ("string"), "status": typ("integer")}),
		}, "detail", "error"),
		"Message":      obj(map[string]any{"message": typ("string"), "db_name": typ("string")}, "message"),
		"SpawnRequest": obj(map[string]any{"backend": map[string]any{"type": "string", "enum": []string{"sqlite", "postgres"}}, "template": spawnTemplateSchema(), "from_sql": spawnFromSQLSchema()}),
		"Spawn": obj(map[string]any{"message": typ("string"), "db_name": typ("string"), "container_id": typ("string"),
			"status": typ("string"), "backend": typ("string"), "restarted": typ("boolean")}, "message", "db_name", "container_id"),
		"Instance": obj(map[string]any{"name": typ("string"), "container_id": typ("string"), "status": typ("string"),
			"backend": typ("string"), "size_bytes": typ("integer"), "created_at": typ("string"),
			"last_accessed": typ("string"), "read_only": typ("boolean")}, "name", "container_id", "status"),
		"Fork": obj(map[string]any{"message": typ("string"), "db_name": typ("string"), "source": typ("string"), "backup": typ("string"),
			"container_id": typ("string"), "status": typ("string"), "backend": typ("string"), "created_at": typ("string")}, "message", "db_name", "source"),
		"InstanceList": map[string]any{"type": "array", "items": map[string]any{"$ref": "#/components/schemas/Instance"}},
		"GatewayStats": obj(map[string]any{"uptime_seconds": typ("number"), "total_requests": typ("integer"),
			"total_errors": typ("integer"), "requests_by_endpoint": typ("object"), "errors_by_type": typ("object")}),
		"Health": obj(map[string]any{"status": typ("string"), "version": typ("string"), "uptime_seconds": typ("number"),
			"databases": typ("object"), "checks": typ("object"), "errors": map[string]any{"type": "array", "items": typ("string")}}),
		"QueryRequest": obj(map[string]any{
			"sql":        typ("string"),
			"params":     map[string]any{"description": "array (positional) or object (named)"},
			"parameters": map[string]any{"description": "alias of params"},
			"limit":      typ("integer"),
			"offset":     typ("integer"),
			"shape":      map[string]any{"type": "string", "enum": []string{"objects", "rows"}},
			"read_only":  typ("boolean"),
		}, "sql"),
		"ExportQueryRequest": obj(map[string]any{
			"sql":    typ("string"),
			"params": map[string]any{"description": "array (positional) or object (named)"},
			"format": map[string]any{"type": "string", "enum": []string{"csv", "json", "ndjson"}},
		}, "sql"),
		"QueryResult": obj(map[string]any{
			"data":              map[string]any{"type": "array", "items": typ("object"), "nullable": true, "description": "null on a statement that returns no rows"},
			"rows":              map[string]any{"type": "array", "items": map[string]any{"type": "array", "items": anyValue}},
			"columns":           map[string]any{"type": "array", "items": obj(map[string]any{"name": typ("string"), "type": typ("string")})},
			"rows_affected":     typ("integer"),
			"row_count":         typ("integer"),
			"has_more":          typ("boolean"),
			"execution_time_ms": typ("number"),
			"message":           map[string]any{"type": "string", "nullable": true, "description": "null on a row result"},
			"last_insert_id":    typ("integer"),
		}, "rows_affected"),
		"CreateTableRequest": obj(map[string]any{
			"table_name": typ("string"),
			"columns": map[string]any{"type": "array", "items": obj(map[string]any{
				"name": typ("string"), "type": typ("string"), "primary_key": typ("boolean"),
				"not_null": typ("boolean"), "default": anyValue,
			}, "name")},
		}, "table_name", "columns"),
		"InsertRequest": obj(map[string]any{"rows": map[string]any{"type": "array", "items": typ("object")}}, "rows"),
	}
}

func (g *Gateway) openAPI(w http.ResponseWriter, r *http.Request) {
	g.writeJSON(w, r, http.StatusOK, g.openAPIDocument())
}
