package server

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/gin-gonic/gin"
)

// pages holds one parsed template set per page: layout + partials + page, so
// that pages cannot overwrite each other's blocks. Parsed once at start-up; a
// broken or missing page fails the boot, never a request.
type pages map[string]*template.Template

func parsePages(fsys fs.FS) (pages, error) {
	files, err := fs.Glob(fsys, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	out := pages{}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		t, err := template.New(name).Funcs(templateFuncs).ParseFS(fsys, "templates/layout.html", "templates/partials/*.html", f)
		if err != nil {
			return nil, fmt.Errorf("server: template %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

var templateFuncs = template.FuncMap{
	"add": func(a, b int) int { return a + b },
	"pct": func(part, whole int) int {
		if whole <= 0 {
			return 0
		}
		return part * 100 / whole
	},
	"deref": func(p *float64) float64 { return *p },
}

// Page is what every template receives: the translator, the request's
// context, and the page's own data in Data.
type Page struct {
	translator
	Path  string
	Query url.Values
	User  *User // the signed-in user, or nil
	Data  any
}

// LangURL is the current page in another language.
func (p *Page) LangURL(lang string) string {
	q := url.Values{}
	for k, v := range p.Query {
		q[k] = v
	}
	q.Set("lang", lang)
	// One leading slash only: a request for //evil.example/x must not put
	// a link to another site (protocol-relative) on the page.
	return "/" + strings.TrimLeft(p.Path, "/\\") + "?" + q.Encode()
}

// page builds the Page for a request.
func (s *Server) page(c *gin.Context, data any) *Page {
	return &Page{translator: s.tr(c), Path: c.Request.URL.Path, Query: c.Request.URL.Query(), User: currentUser(c), Data: data}
}

// render executes a page into a buffer first, so a template error becomes a
// clean 500 instead of half a page.
func (s *Server) render(c *gin.Context, status int, name string, data any) {
	page, err := s.renderBytes(c, name, data)
	if err != nil {
		s.log.Error("render", "page", name, "err", err)
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	c.Data(status, "text/html; charset=utf-8", page)
}

// renderBytes executes a page for the request.
func (s *Server) renderBytes(c *gin.Context, name string, data any) ([]byte, error) {
	t, ok := s.pages[name]
	if !ok {
		return nil, fmt.Errorf("server: unknown page %s", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", s.page(c, data)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// message renders a short page with a title and a body, both message ids.
func (s *Server) message(c *gin.Context, status int, title, body string) {
	s.render(c, status, "message", map[string]string{"Title": title, "Body": body})
}
