package cli

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"integritas/assets"
)

// localeFiles reads every locales/*.<lang>.json: file name -> messages.
func localeFiles(t *testing.T) map[string]map[string]string {
	t.Helper()
	files, err := fs.Glob(assets.FS, "locales/*.json")
	must(t, err)
	out := map[string]map[string]string{}
	for _, f := range files {
		b, err := fs.ReadFile(assets.FS, f)
		must(t, err)
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[strings.TrimPrefix(f, "locales/")] = m
	}
	return out
}

// keysOf merges every file of a language.
func keysOf(files map[string]map[string]string, lang string) map[string]string {
	out := map[string]string{}
	for name, m := range files {
		if strings.HasSuffix(name, "."+lang+".json") {
			for k, v := range m {
				out[k] = v
			}
		}
	}
	return out
}

// sourceLiterals returns the quoted strings matching re in the non-test Go
// files of dir.
func sourceLiterals(t *testing.T, dir string, re *regexp.Regexp) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	must(t, err)
	out := map[string]string{} // key -> file
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		must(t, err)
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			out[m[1]] = filepath.Base(f)
		}
	}
	return out
}

// consts returns the values of string constants whose names match re in a
// Go file (the problem codes and frame reasons that build message ids).
func consts(t *testing.T, file string, re *regexp.Regexp) []string {
	t.Helper()
	b, err := os.ReadFile(file)
	must(t, err)
	var out []string
	for _, m := range re.FindAllStringSubmatch(string(b), -1) {
		out = append(out, m[1])
	}
	if len(out) == 0 {
		t.Fatalf("%s: no constants match %s", file, re)
	}
	return out
}

// TestCLIMessagesInBothLanguages: every message the command line and the
// imports print — command summaries, errors, results, CSV problems, roster
// notes — exists in Indonesian and English.
func TestCLIMessagesInBothLanguages(t *testing.T) {
	files := localeFiles(t)
	id, en := keysOf(files, "id"), keysOf(files, "en")
	used := sourceLiterals(t, ".", regexp.MustCompile(`"(cli\.[a-z0-9_.]*[a-z0-9_])"`))
	// The survey files that word import problems (audit.go's "import.units"
	// is an audit action, not a message).
	for k, f := range sourceLiterals(t, "../../survey", regexp.MustCompile(`"(import\.[a-z0-9_.]*[a-z0-9_])"`)) {
		if f != "audit.go" {
			used[k] = "survey/" + f
		}
	}
	for _, c := range commands() {
		used[c.summary] = "commands.go"
	}
	for _, s := range []string{"draft", "open", "closed"} {
		used["cli.status."+s] = "cmd_period.go"
	}
	for _, a := range accountMessages {
		used["cli.account."+a] = "cmd_user.go"
	}
	for _, code := range consts(t, "../../survey/answers.go", regexp.MustCompile(`Problem\w+\s*=\s*"(\w+)"`)) {
		used["import.answer."+code] = "survey/csv_responses.go"
	}
	for _, code := range consts(t, "../../survey/message.go", regexp.MustCompile(`frame\w+\s*=\s*"(\w+)"`)) {
		used["import.frame."+code] = "survey/message.go"
	}
	if len(used) < 150 {
		t.Fatalf("only %d message ids found in the sources: the scan is broken", len(used))
	}
	var missing []string
	for k, f := range used {
		for lang, m := range map[string]map[string]string{"id": id, "en": en} {
			if _, ok := m[k]; !ok {
				missing = append(missing, f+": "+k+" has no "+lang+" text")
			}
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Error(m)
	}
	t.Logf("%d command-line and import messages, each in Indonesian and English", len(used))
}

// englishWord finds words that only English text has; Indonesian uses
// none of them. Flags, backquoted commands, placeholders and a/b pairs
// (yes/no) are removed first.
var (
	englishWord = regexp.MustCompile(`(?i)\b(the|is|are|was|were|not|must|and|with|from|into|has|have|cannot|already|only|this|that|of|to|for|no|be|its|file|number|there|unknown|missing|invalid|imported|nothing|created|written|deleted|required)\b`)
	notProse    = regexp.MustCompile("\\{\\{[^}]*\\}\\}|`[^`]*`|--?[a-z][a-z-]*|\\S*/\\S*|\\S*@\\S*|\\S+\\.(csv|json|db|zip)\\b")
)

// englishIn returns the English words of an Indonesian text.
func englishIn(s string) []string {
	return englishWord.FindAllString(notProse.ReplaceAllString(s, " "), -1)
}

// TestIndonesianMessagesAreIndonesian: no Indonesian message of the
// command line or the imports is English text (a copied English string,
// or one left untranslated), and none is the English text unchanged.
func TestIndonesianMessagesAreIndonesian(t *testing.T) {
	files := localeFiles(t)
	words := regexp.MustCompile(`[A-Za-z]{3,}`)
	n := 0
	for _, area := range []string{"cli", "import"} {
		id, en := files[area+".id.json"], files[area+".en.json"]
		if len(id) == 0 || len(en) == 0 {
			t.Fatalf("locales/%s.*.json missing", area)
		}
		for k, v := range id {
			n++
			if w := englishIn(v); len(w) > 0 {
				t.Errorf("%s.id.json: %s holds English words %q: %q", area, k, w, v)
			}
			if v == en[k] && len(words.FindAllString(notProse.ReplaceAllString(v, " "), -1)) > 0 {
				t.Errorf("%s.id.json: %s is the English text unchanged: %q", area, k, v)
			}
		}
	}
	// The check must catch what it is for.
	if len(englishIn("tidak ada yang diimpor: the file is empty")) == 0 || len(englishIn("berkas --from-roster `integritas import roster` {{.Value}} ya/tidak yes/no")) != 0 {
		t.Fatal("englishIn does not tell English from Indonesian")
	}
	t.Logf("%d Indonesian messages checked", n)
}

// TestCLINoEnglishLiterals: the command line prints nothing it did not
// take from the locale files — no English sentence in a print or an error
// (bench, a developer's measurement tool, reports in English like the
// README's figures).
func TestCLINoEnglishLiterals(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	must(t, err)
	// Format verbs, escapes and a command's syntax (integritas invite
	// --period C [--unit U]) are not prose.
	verbs := regexp.MustCompile(`%[-+# 0-9.*]*[a-zA-Z]|\\[nt]|\bintegritas( [a-z]+)*|\[[^]]*\]|--?[a-z-]+( [A-Z]+\b)?|\S*\|\S*`)
	words := regexp.MustCompile(`[A-Za-z]{2,}`)
	printers := map[string]bool{"fmt.Fprintf": true, "fmt.Fprintln": true, "fmt.Fprint": true, "fmt.Errorf": true, "errors.New": true,
		"fmt.Printf": true, "fmt.Println": true}
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "cmd_bench.go" {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		must(t, err)
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			pkg, ok := sel.X.(*ast.Ident)
			if !ok || !printers[pkg.Name+"."+sel.Sel.Name] {
				return true
			}
			checked++
			for _, a := range call.Args {
				lit, ok := a.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					continue
				}
				s, _ := strconv.Unquote(lit.Value)
				if w := words.FindAllString(verbs.ReplaceAllString(s, " "), -1); len(w) >= 2 {
					t.Errorf("%s: %s prints English text %q; take it from locales/cli.*.json", fset.Position(lit.Pos()), pkg.Name+"."+sel.Sel.Name, s)
				}
			}
			return true
		})
	}
	if checked < 20 {
		t.Fatalf("only %d print calls checked: the scan is broken", checked)
	}
}
