package mcp

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/dbforge/dbforge/client"
)

// Schema resources: dbforge://db/{name}/schema is a database's schema as
// JSON, the same document the schema tool returns.
const (
	schemaURIPrefix = "dbforge://db/"
	schemaURISuffix = "/schema"
)

func (s *server) addResources(srv *sdk.Server) {
	srv.AddResourceTemplate(&sdk.ResourceTemplate{
		URITemplate: schemaURIPrefix + "{name}" + schemaURISuffix,
		Name:        "database-schema",
		Title:       "Database schema",
		Description: "Tables, views, columns, indexes, foreign keys and triggers of one database, as JSON.",
		MIMEType:    "application/json",
	}, s.readSchema)
}

func (s *server) readSchema(ctx context.Context, req *sdk.ReadResourceRequest) (*sdk.ReadResourceResult, error) {
	uri := req.Params.URI
	name, ok := strings.CutPrefix(uri, schemaURIPrefix)
	if ok {
		name, ok = strings.CutSuffix(name, schemaURISuffix)
	}
	if ok {
		var err error
		name, err = url.PathUnescape(name)
		ok = err == nil && name != "" && !strings.Contains(name, "/")
	}
	if !ok {
		return nil, sdk.ResourceNotFoundError(uri)
	}
	var header http.Header
	if req.Extra != nil {
		header = req.Extra.Header
	}
	sc, err := s.opts.Client(header).Schema(ctx, name, "")
	if client.IsNotFound(err) || client.IsForbidden(err) {
		// the same answer whether or not a database outside the scope exists
		return nil, sdk.ResourceNotFoundError(uri)
	}
	if err != nil {
		return nil, toolError(err)
	}
	b, err := json.Marshal(sc)
	if err != nil {
		return nil, err
	}
	return &sdk.ReadResourceResult{Contents: []*sdk.ResourceContents{{URI: uri, MIMEType: "application/json", Text: string(b)}}}, nil
}
