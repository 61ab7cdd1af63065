package gateway

import (
	"bytes"
	_ "embed"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// docsTemplate is the /docs page: server-rendered HTML with inline CSS and
// no script, so it works offline and loads nothing from anywhere.
//
//go:embed docs.html.tmpl
var docsTemplate string

// docsPage is parsed on the first /docs request, not at package init,
// which every command of the binary would pay.
var docsPage = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("docs").Parse(docsTemplate))
})

// docsCSP forbids the page to load anything but its own inline style.
const docsCSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// The page's view of the OpenAPI document.
type (
	docsView struct {
		Title, Version, Description string
		Groups                      []docsGroup
		Schemas                     []docsSchema
	}
	docsGroup struct {
		Tag string
		Ops []docsOp
	}
	docsOp struct {
		ID, Method, Path, Summary string
		Open                      bool
		Params                    []docsParam
		Body                      *docsType
		Responses                 []docsResponse
	}
	docsParam struct {
		Name, In string
		Required bool
	}
	docsResponse struct {
		Status, Description string
		Schema              *docsType
	}
	docsSchema struct {
		Name  string
		Type  docsType
		Props []docsProp
	}
	docsProp struct {
		Name     string
		Type     docsType
		Required bool
	}
	// docsType is a schema written for a person: Text, then a link to the
	// named schema Ref when there is one.
	docsType struct{ Text, Ref string }
)

// docsViewOf turns the OpenAPI document into the page's view; the page
// shows exactly what /openapi.json says.
func docsViewOf(doc map[string]any) docsView {
	info := doc["info"].(map[string]any)
	v := docsView{Title: docsStr(info["title"]), Version: docsStr(info["version"]), Description: docsStr(info["description"])}
	byTag := map[string][]docsOp{}
	for path, item := range doc["paths"].(map[string]map[string]any) {
		for method, o := range item {
			op := o.(map[string]any)
			d := docsOp{ID: docsStr(op["operationId"]), Method: strings.ToUpper(method), Path: path, Summary: docsStr(op["summary"])}
			sec, _ := op["security"].([]any)
			d.Open = len(sec) == 0
			params, _ := op["parameters"].([]any)
			for _, p := range params {
				pm := p.(map[string]any)
				d.Params = append(d.Params, docsParam{Name: docsStr(pm["name"]), In: docsStr(pm["in"]), Required: pm["required"] == true})
			}
			if rb, ok := op["requestBody"].(map[string]any); ok {
				t := docsContentType(rb)
				d.Body = &t
			}
			for code, r := range op["responses"].(map[string]any) {
				rm := r.(map[string]any)
				resp := docsResponse{Status: code, Description: docsStr(rm["description"])}
				if _, ok := rm["content"]; ok {
					t := docsContentType(rm)
					resp.Schema = &t
				}
				d.Responses = append(d.Responses, resp)
			}
			slices.SortFunc(d.Responses, func(a, b docsResponse) int { return strings.Compare(a.Status, b.Status) })
			tag := op["tags"].([]string)[0]
			byTag[tag] = append(byTag[tag], d)
		}
	}
	// sections in the document's tag order
	for _, t := range doc["tags"].([]any) {
		tag := docsStr(t.(map[string]any)["name"])
		ops := byTag[tag]
		slices.SortFunc(ops, func(a, b docsOp) int {
			if c := strings.Compare(a.Path, b.Path); c != 0 {
				return c
			}
			return strings.Compare(a.Method, b.Method)
		})
		if len(ops) > 0 {
			v.Groups = append(v.Groups, docsGroup{Tag: tag, Ops: ops})
		}
		delete(byTag, tag)
	}
	for tag, ops := range byTag { // an undeclared tag still shows
		v.Groups = append(v.Groups, docsGroup{Tag: tag, Ops: ops})
	}
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	for name, s := range schemas {
		sm := s.(map[string]any)
		ds := docsSchema{Name: name, Type: docsTypeOf(sm)}
		required, _ := sm["required"].([]string)
		props, _ := sm["properties"].(map[string]any)
		for p, ps := range props {
			ds.Props = append(ds.Props, docsProp{Name: p, Type: docsTypeOf(ps.(map[string]any)), Required: slices.Contains(required, p)})
		}
		slices.SortFunc(ds.Props, func(a, b docsProp) int { return strings.Compare(a.Name, b.Name) })
		v.Schemas = append(v.Schemas, ds)
	}
	slices.SortFunc(v.Schemas, func(a, b docsSchema) int { return strings.Compare(a.Name, b.Name) })
	return v
}

// docsContentType describes the schema of a body or response's content.
func docsContentType(m map[string]any) docsType {
	content, _ := m["content"].(map[string]any)
	for mediaType, c := range content {
		s, _ := c.(map[string]any)["schema"].(map[string]any)
		t := docsTypeOf(s)
		if mediaType != "application/json" {
			t.Text = mediaType + " " + t.Text
		}
		return t
	}
	return docsType{Text: "any"}
}

// docsTypeOf writes one schema: a reference, an array of something, an enum,
// a plain type, or its description.
func docsTypeOf(s map[string]any) docsType {
	if ref, ok := s["$ref"].(string); ok {
		return docsType{Ref: strings.TrimPrefix(ref, "#/components/schemas/")}
	}
	var t docsType
	switch {
	case s["type"] == "array":
		items, _ := s["items"].(map[string]any)
		t = docsTypeOf(items)
		t.Text = strings.TrimSpace("array of " + t.Text)
	case s["enum"] != nil:
		t.Text = docsStr(s["type"]) + ": " + strings.Join(s["enum"].([]string), " | ")
	case s["type"] != nil:
		t.Text = docsStr(s["type"])
	default:
		t.Text = docsStr(s["description"])
	}
	if t.Text == "" && t.Ref == "" {
		t.Text = "any"
	}
	if s["nullable"] == true {
		t.Text += " or null"
	}
	return t
}

// docsStr is a string field of the document, "" when absent.
func docsStr(v any) string {
	s, _ := v.(string)
	return s
}

func (g *Gateway) docs(w http.ResponseWriter, r *http.Request) {
	var b bytes.Buffer
	if err := docsPage().Execute(&b, docsViewOf(g.openAPIDocument())); err != nil {
		g.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", docsCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(http.StatusOK)
	w.Write(b.Bytes())
}
