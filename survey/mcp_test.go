package survey

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// TestImportMCP stores good files and refuses bad ones whole, naming file,
// line and column, with the stored scores left exactly as they were.
func TestImportMCP(t *testing.T) {
	ctx := context.Background()
	st := openTestStore(t, fixedClock())
	good := "year;area;unit;score\n2025;pengadaan;;90\n2025;pengadaan;A;95,5\n2025;apip;;70\n"
	if n, err := st.ImportMCPCSV(ctx, "mcp.csv", strings.NewReader(good)); err != nil || n != 3 {
		t.Fatalf("good MCP: %d, %v", n, err)
	}
	if n, err := st.ImportPMPRBCSV(ctx, "pmprb.csv", strings.NewReader("year,unit,score\n2025,A,71.25\n")); err != nil || n != 1 {
		t.Fatalf("good PMPRB: %d, %v", n, err)
	}
	wantMCP := []MCPScore{{2025, "apip", "", 70}, {2025, "pengadaan", "", 90}, {2025, "pengadaan", "A", 95.5}}
	if got, _ := st.MCPScores(ctx); !reflect.DeepEqual(got, wantMCP) {
		t.Fatalf("stored %+v", got)
	}
	cases := map[string]struct {
		pmprb bool
		file  string
		want  []string
	}{
		"bad rows": {file: "year,area,unit,score\n2026,pengadaan,,99\n2026,kesehatan,,80\n1999,apip,,80\n2026,apip,ZZZ,80\n2026,apip,,101\n2026,pengadaan,,98\n",
			want: []string{`bad.csv:3: area: "kesehatan" is not an MCP area`, `bad.csv:4: year: "1999" is not a year`,
				`bad.csv:5: unit: unit "ZZZ" does not exist`, `bad.csv:6: score: "101" is not a score`,
				`bad.csv:7: area: the same year, area and unit already appear on line 2`}},
		"missing column": {file: "year,area\n2026,apip\n", want: []string{"bad.csv:1: score: required column is missing"}},
		"pmprb bad":      {pmprb: true, file: "year,unit,score\n2026,A,abc\n2026,Q,80\n", want: []string{`bad.csv:2: score: "abc"`, `bad.csv:3: unit: unit "Q"`}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var err error
			if tc.pmprb {
				_, err = st.ImportPMPRBCSV(ctx, "bad.csv", strings.NewReader(tc.file))
			} else {
				_, err = st.ImportMCPCSV(ctx, "bad.csv", strings.NewReader(tc.file))
			}
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("err %v, want an ImportError", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
			if got, _ := st.MCPScores(ctx); !reflect.DeepEqual(got, wantMCP) {
				t.Fatalf("a refused import changed MCP scores: %+v", got)
			}
			if got, _ := st.PMPRBScores(ctx); len(got) != 1 || got[0].Score != 71.25 {
				t.Fatalf("a refused import changed PMPRB scores: %+v", got)
			}
		})
	}
}
