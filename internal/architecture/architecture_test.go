package architecture

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// pkg is the part of `go list -json` the rules read.
type pkg struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	Imports    []string
}

func listPackages(t *testing.T) (root string, pkgs []pkg) {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	root = filepath.Dir(strings.TrimSpace(string(out)))
	cmd := exec.Command("go", "list", "-json", "./...")
	cmd.Dir = root
	out, err = cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return root, pkgs
}

// TestArchitectureNamesEveryPackage fails when a package exists that
// ARCHITECTURE.md does not name (as `path/` in its package table), or the
// document names one that no longer exists.
func TestArchitectureNamesEveryPackage(t *testing.T) {
	root, pkgs := listPackages(t)
	doc, err := os.ReadFile(filepath.Join(root, "ARCHITECTURE.md"))
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{}
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z0-9/]+)/` \\|").FindAllStringSubmatch(string(doc), -1) {
		named[m[1]] = true
	}
	for _, p := range pkgs {
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, "integritas"), "/")
		if rel == "" {
			continue // main.go, described in the text
		}
		if !named[rel] {
			t.Errorf("package %s is not in ARCHITECTURE.md's package table", rel)
		}
		delete(named, rel)
		if _, err := os.Stat(filepath.Join(p.Dir, "doc.go")); err != nil {
			t.Errorf("package %s has no doc.go", rel)
		}
	}
	for rel := range named {
		t.Errorf("ARCHITECTURE.md names %s/, which is not a package", rel)
	}
}

// TestImportRules checks the one-way flow: the pure engine imports no
// storage or web code, only server imports gin, and nothing below the
// server imports it.
func TestImportRules(t *testing.T) {
	_, pkgs := listPackages(t)
	forbidden := map[string][]string{
		"integritas/analysis": {"database/sql", "net/http", "integritas/survey", "integritas/results", "integritas/charts", "integritas/server"},
		"integritas/charts":   {"database/sql", "net/http", "integritas/survey", "integritas/results", "integritas/server"},
		"integritas/packet":   {"database/sql", "net/http", "integritas/server"},
		"integritas/export":   {"database/sql", "net/http", "integritas/server", "integritas/packet"},
		"integritas/results":  {"net/http", "integritas/server", "integritas/packet", "integritas/export", "integritas/charts"},
		"integritas/survey":   {"net/http", "integritas/results", "integritas/analysis", "integritas/server"},
		"integritas/seal":     {"integritas/survey", "database/sql"},
	}
	for _, p := range pkgs {
		for _, bad := range forbidden[p.ImportPath] {
			if slices.Contains(p.Imports, bad) {
				t.Errorf("%s imports %s", p.ImportPath, bad)
			}
		}
		if p.ImportPath != "integritas/server" && slices.Contains(p.Imports, "github.com/gin-gonic/gin") {
			t.Errorf("%s imports gin; only server may", p.ImportPath)
		}
	}
}

// TestOnlyResultsReadsFigures: the packages that compute or show figures
// (analysis, charts, packet, export) never hold the store; they take plain
// values that results read, so every caller prints the same numbers.
func TestOnlyResultsReadsFigures(t *testing.T) {
	_, pkgs := listPackages(t)
	guarded := []string{"integritas/analysis", "integritas/charts", "integritas/packet", "integritas/export"}
	for _, p := range pkgs {
		if !slices.Contains(guarded, p.ImportPath) {
			continue
		}
		fset := token.NewFileSet()
		for _, name := range p.GoFiles {
			f, err := parser.ParseFile(fset, filepath.Join(p.Dir, name), nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "survey" && sel.Sel.Name == "Store" {
					t.Errorf("%s: %s uses survey.Store; read through results instead", fset.Position(sel.Pos()), p.ImportPath)
				}
				return true
			})
		}
	}
}

// TestRootIsTidy: the module root holds main.go, the module files, the
// documents, scripts/ and the domain folders — nothing else.
func TestRootIsTidy(t *testing.T) {
	root, pkgs := listPackages(t)
	domains := map[string]bool{}
	for _, p := range pkgs {
		rel, _ := filepath.Rel(root, p.Dir)
		domains[strings.Split(rel, string(filepath.Separator))[0]] = true
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var others []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || domains[e.Name()] {
			continue
		}
		others = append(others, e.Name())
	}
	if len(others) > 8 {
		t.Errorf("the root holds %d entries besides the domain folders (%v); at most 8", len(others), others)
	}
	for _, name := range others {
		if strings.HasSuffix(name, ".go") && name != "main.go" {
			t.Errorf("Go file %s at the root: the root holds main.go only", name)
		}
	}
}
