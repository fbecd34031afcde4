package cli

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"integritas/survey"
)

// A paper form that skips a required item (SOS01) is imported with the item
// missing and marked "paper, incomplete": its other answers count in the
// figures and the results' quality summary counts it. With --strict the same
// file is refused naming file:line: item, and nothing is stored.
func TestImportResponsesSkippedRequired(t *testing.T) {
	dir := t.TempDir()
	db := testDB(t, "inc.db")
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	units := write("units.csv", "code,name,parent_code,head_email,internal_population,external_population,expert_population\nDINKES,Dinas Kesehatan,,,40,,\n")
	cliOK(t, "period", "create", "--db", db, "--code", "INC", "--name", "SPI Kertas")
	cliOK(t, "import", "units", "--db", db, "--period", "INC", units)
	cliOK(t, "period", "open", "--db", db, "--period", "INC")
	header := "unit,type,duration_seconds,T01,SOS01,SOS02,SOS03\n"
	// Twelve complete forms answer the sosialisasi items at the bottom of the
	// scale (score 0); the last row skips the required SOS01 and answers
	// SOS02 and SOS03 at the top (score 100).
	rows := header + strings.Repeat("DINKES,internal,,4,1,1,1\n", 12) + "DINKES,internal,,4,,5,5\n"
	paper := write("kertas.csv", rows)

	code, _, errOut := runCLI(t, "", "import", "responses", "--db", db, "--period", "INC", "--strict", "--lang", "en", paper)
	if code == 0 || !strings.Contains(errOut, "kertas.csv:14: SOS01: this item must be answered") {
		t.Fatalf("--strict: exit %d, %q", code, errOut)
	}
	if n := storedResponses(t, db); n != 0 {
		t.Fatalf("--strict refusal stored %d responses", n)
	}

	out := cliOK(t, "import", "responses", "--db", db, "--period", "INC", paper)
	t.Logf("import: %s", strings.TrimSpace(out))
	if !strings.Contains(out, "13 jawaban") || !strings.Contains(out, "1 di antaranya kertas, tidak lengkap") {
		t.Errorf("import said %q", out)
	}
	if n := storedResponses(t, db); n != 13 {
		t.Fatalf("stored %d responses, want 13", n)
	}

	var res struct {
		City struct {
			Quality struct {
				Responses       int `json:"responses"`
				PaperIncomplete int `json:"paper_incomplete"`
			} `json:"quality"`
		} `json:"city"`
		Units []struct {
			Code       string `json:"code"`
			Components map[string]struct {
				Elements map[string]struct {
					N     *int     `json:"n"`
					Score *float64 `json:"score"`
				} `json:"elements"`
			} `json:"components"`
		} `json:"units"`
	}
	raw := cliOK(t, "results", "--db", db, "--period", "INC")
	if err := json.Unmarshal([]byte(raw), &res); err != nil {
		t.Fatalf("results JSON: %v\n%.500s", err, raw)
	}
	q := res.City.Quality
	t.Logf("quality: %d responses, %d paper incomplete", q.Responses, q.PaperIncomplete)
	if q.Responses != 13 || q.PaperIncomplete != 1 {
		t.Errorf("quality summary %+v, want 13 responses of which 1 paper incomplete", q)
	}
	if len(res.Units) != 1 {
		t.Fatalf("units: %d", len(res.Units))
	}
	// All 13 respondents score the element, the incomplete one over SOS02 and
	// SOS03 alone (spi-method §3: the mean of the non-missing item scores),
	// so the element is 100/13 = 7.69. Were the skipped item scored as zero
	// it would be 66.67/13 = 5.13; were the form dropped, 0 over 12.
	el := res.Units[0].Components[survey.Internal].Elements["sosialisasi"]
	if el.N == nil || el.Score == nil {
		t.Fatalf("sosialisasi (internal) is suppressed: %+v", el)
	}
	t.Logf("sosialisasi (internal): n=%d score=%.4f", *el.N, *el.Score)
	if *el.N != 13 || math.Abs(*el.Score-100.0/13) > 1e-9 {
		t.Errorf("sosialisasi n=%d score=%v, want n=13 score=%.4f", *el.N, *el.Score, 100.0/13)
	}
}

// storedResponses counts the responses in the database at path.
func storedResponses(t *testing.T, path string) int {
	t.Helper()
	ctx := context.Background()
	st, err := openDB(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p, err := st.Period(ctx, "INC")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	err = st.EachResponse(ctx, p.ID, func(*survey.StoredResponse) error { n++; return nil })
	if err != nil {
		t.Fatal(err)
	}
	return n
}
