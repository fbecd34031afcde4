package server

import (
	"context"
	"strings"
	"testing"

	"integritas/survey"
)

// The data-quality page tells analysts how many paper responses skipped a
// required item and were kept with it missing ("paper, incomplete").
func TestDashQualityCountsPaperIncomplete(t *testing.T) {
	e, an := dashEnv(t)
	body := "unit,type,duration_seconds,T01,SOS01,SOS02\n" +
		"DINKES,internal,,4,,4\n" + // SOS01 (required) skipped
		"DINKES,external,,3,2,\n" + // SOS02 (required) skipped
		"DISDIK,internal,,5,5,5\n"
	got, err := e.store.ImportResponsesCSV(context.Background(), e.period, "kertas.csv", strings.NewReader(body), survey.ResponseImport{})
	if err != nil || got != (survey.ImportedResponses{Stored: 3, Incomplete: 2}) {
		t.Fatalf("import: %+v %v", got, err)
	}
	if n := e.computed("SPI-T").Results.City.Quality.PaperIncomplete; n != 2 {
		t.Fatalf("results count %d paper, incomplete responses, want 2", n)
	}
	e.run(as(an, []scenario{
		{name: "quality page counts paper, incomplete", path: "/dash/SPI-T/quality", wantStatus: 200,
			want: []string{`<p id="paper-incomplete">Kertas, tidak lengkap: 2 respons kertas melewatkan butir wajib`}},
		{name: "in English", path: "/dash/SPI-T/quality?lang=en", wantStatus: 200,
			want: []string{`<p id="paper-incomplete">Paper, incomplete: 2 paper responses skipped a required item`}},
	}))
}
