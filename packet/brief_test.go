package packet

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"

	"integritas/analysis"
	"integritas/internal/demo"
)

// TestPacketBriefPage: the page after the letter says, on one page and in
// plain words, the index with its CI on the band scale, the change since
// the last period, the weakest elements, the hot spots and what the unit
// is asked to do by when; the report's tables start on the page after.
func TestPacketBriefPage(t *testing.T) {
	st := demoStore(t)
	src := demoSource(t, st)
	prev, err := st.Period(context.Background(), demo.Previous)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ unit, lang string }{{"DPUPR", "id"}, {"DPUPR", "en"}, {"DINKES", "id"}} {
		t.Run(tc.unit+" "+tc.lang, func(t *testing.T) {
			tr := src.Bundle.For(tc.lang)
			var buf bytes.Buffer
			if err := src.PDF(&buf, tc.unit, tc.lang); err != nil {
				t.Fatal(err)
			}
			pages := strings.Split(pdfText(t, buf.Bytes()), "\f")
			if len(pages) < 4 {
				t.Fatalf("%d pages", len(pages))
			}
			page := strings.Join(strings.Fields(pages[1]), " ")
			u := unitResult(t, src, tc.unit)
			f := src.fmt(tr)
			want := []string{tr.T("outputs.brief.title"), tr.Num(*u.Index, 2), tr.Num(u.CI[0], 2) + "–" + tr.Num(u.CI[1], 2),
				tr.T("outputs.brief.change"), tr.T("outputs.brief.weakest"), tr.T("outputs.brief.hotspots"), tr.T("outputs.brief.asked"),
				prev.Name, "Inspektorat Kota Sukamaju", longDate(f, fixtureNow.AddDate(0, 0, 30))}
			for _, b := range src.Current.Results.Settings.Categories.Bands {
				if b.From >= 50 {
					want = append(want, f.category(&b.Label))
				}
			}
			// The weakest element: the lowest shown element score of any type.
			low, lowElem := math.Inf(1), ""
			for _, typ := range analysis.Types() {
				if c := u.Components[typ]; c != nil {
					for e, ef := range c.Elements {
						if ef.Score != nil && !ef.Suppressed && *ef.Score < low {
							low, lowElem = *ef.Score, e
						}
					}
				}
			}
			want = append(want, f.element(lowElem)+": "+tr.Num(low, 2))
			// The hot spot most often reported.
			if len(u.HotSpots) > 0 {
				top := u.HotSpots[0]
				for _, h := range u.HotSpots {
					if h.Prevalence > top.Prevalence {
						top = h
					}
				}
				want = append(want, tr.Num(100*top.Prevalence, 1)+" %")
			}
			for _, w := range want {
				if !strings.Contains(page, w) {
					t.Errorf("page 2 lacks %q:\n%s", w, page)
				}
			}
			if !strings.Contains(strings.Join(strings.Fields(pages[2]), " "), tr.T("packet.title", "Period", src.Current.Period.Name)) {
				t.Errorf("page 3 does not start the report")
			}
		})
	}
}

// TestPacketProfileInInstrumentOrder: the packet's element profiles list
// the elements in the instrument's order, as the dashboard does (they were
// alphabetical).
func TestPacketProfileInInstrumentOrder(t *testing.T) {
	st := demoStore(t)
	src := demoSource(t, st)
	tr := src.Bundle.For("id")
	r, err := src.build("DPUPR", tr)
	if err != nil {
		t.Fatal(err)
	}
	files, err := src.charts(r)
	if err != nil {
		t.Fatal(err)
	}
	pos := map[string]int{}
	for i, e := range src.Current.Period.Instrument.Elements {
		pos[e.Code] = i
	}
	profiles := 0
	for _, f := range files {
		if !strings.HasPrefix(f.name, "profil") {
			continue
		}
		profiles++
		last := -1
		for _, m := range f.marks {
			if pos[m.Row] < last {
				t.Errorf("%s: %s after an element that comes later in the instrument", f.name, m.Row)
			}
			last = pos[m.Row]
		}
		if last < 3 {
			t.Errorf("%s: %d marks", f.name, len(f.marks))
		}
	}
	if profiles == 0 {
		t.Fatal("no profile chart")
	}
}
