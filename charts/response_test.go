package charts

import (
	"strings"
	"testing"

	"integritas/analysis"
)

func TestResponseRate(t *testing.T) {
	noTarget := handResults()
	rc := noTarget.Units[3].ResponseCounts[analysis.External] // unit B
	rc.Required = nil
	noTarget.Units[3].ResponseCounts[analysis.External] = rc
	for _, tc := range []struct {
		name  string
		res   *analysis.Results
		typ   string
		units []string
		rows  []string
		rec   []int
		req   []int // -1: unknown
		texts []string
	}{
		{"all types", handResults(), "", nil, []string{"C", "A", "D", "B"}, []int{45, 60, 4, 18}, []int{90, 75, 60, 67},
			[]string{"60 / 75 (80%)", "4 / 60 (7%)", "Periode: SPI 2026 · Semua jenis responden · 127 / 292 (43%)"}},
		{"internal subset", handResults(), analysis.Internal, []string{"A", "B"}, []string{"A", "B"}, []int{40, 12}, []int{50, 45},
			[]string{"40 / 50 (80%)", "12 / 45 (27%)"}},
		{"unknown target", noTarget, "", nil, []string{"C", "A", "D", "B"}, []int{45, 60, 4, 18}, []int{90, 75, 60, -1},
			[]string{"18 / —", "Periode: SPI 2026 · Semua jenis responden · 127"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := responseOptions(tc.typ)
			opt.Units = tc.units
			ch, err := ResponseRate(tc.res, opt)
			if err != nil {
				t.Fatal(err)
			}
			marks := ch.Marks()
			if len(marks) != 2*len(tc.rows) {
				t.Fatalf("%d marks for %d units", len(marks), len(tc.rows))
			}
			var rec, req []float64
			for i, code := range tc.rows {
				r, q := marks[2*i], marks[2*i+1]
				if r.Row != code || r.Series != SeriesReceived || q.Series != SeriesRequired {
					t.Fatalf("row %d: %+v %+v", i, r, q)
				}
				if *r.Value != float64(tc.rec[i]) {
					t.Errorf("%s received %v, want %d", code, *r.Value, tc.rec[i])
				}
				rec = append(rec, float64(tc.rec[i]))
				if tc.req[i] < 0 {
					if q.Value != nil {
						t.Errorf("%s: unknown target drawn as %v", code, *q.Value)
					}
					continue
				}
				if q.Value == nil || *q.Value != float64(tc.req[i]) {
					t.Errorf("%s required %v, want %d", code, q.Value, tc.req[i])
				}
				req = append(req, float64(tc.req[i]))
			}
			_, doc := render(t, ch)
			for _, s := range append(tc.texts, opt.Text.Title, nameLong, opt.Text.Required, opt.Text.Axis) {
				if !doc.has(s) {
					t.Errorf("svg lacks %q", s)
				}
			}
			ax := readAxis(t, doc, idFormat, false)
			r0, r1 := bars(doc, colUnit(), false)
			ax.check(t, "received", rec, r1)
			ax.check(t, "received base", make([]float64, len(rec)), r0)
			_, q1 := bars(doc, colTarget(), false)
			ax.check(t, "required", req, q1)
		})
	}
}

func TestResponseRateErrors(t *testing.T) {
	opt := responseOptions("visitor")
	if _, err := ResponseRate(handResults(), opt); err == nil || !strings.Contains(err.Error(), `"visitor"`) {
		t.Errorf("bad type: %v", err)
	}
	opt = responseOptions("")
	opt.Text.Received = ""
	if _, err := ResponseRate(handResults(), opt); err == nil || !strings.Contains(err.Error(), "Received") {
		t.Errorf("no legend: %v", err)
	}
}
