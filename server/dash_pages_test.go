package server

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"integritas/locale"
	"integritas/results"
)

// dashEnv is the shared test environment with answers seeded, and the
// session headers of an analyst.
func dashEnv(t *testing.T) (*testEnv, map[string]string) {
	t.Helper()
	e := newTestEnv(t)
	seedResults(t, e.store, e.period)
	return e, e.loginAs("analyst")
}

// as sends every scenario that names no caller as the caller of h.
func as(h map[string]string, scs []scenario) []scenario {
	for i := range scs {
		if scs[i].header == nil {
			scs[i].header = h
		} else {
			for k, v := range h {
				if _, ok := scs[i].header[k]; !ok {
					scs[i].header[k] = v
				}
			}
		}
	}
	return scs
}

// computed is the period's results as the engine computes them, for the
// numbers pages must print.
func (e *testEnv) computed(code string) *results.Period {
	e.t.Helper()
	r, err := results.Compute(context.Background(), e.store, code, results.Options{})
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

func TestDashPages(t *testing.T) {
	e, an := dashEnv(t)
	r := e.computed("SPI-T")
	id, en := e.srv.bundle.For("id"), e.srv.bundle.For("en")
	idx := func(tr locale.Translator, res *results.Period, code string) string {
		for _, u := range res.Results.Units {
			if u.Code == code {
				return tr.Num(*u.Index, 2)
			}
		}
		t.Fatalf("no unit %s", code)
		return ""
	}
	city := id.Num(*r.Results.City.Pooled.Index, 2)
	dinkes, disdik := idx(id, r, "DINKES"), idx(id, r, "DISDIK")
	if !strings.Contains(dinkes, ",") {
		t.Fatalf("Indonesian index %q has no decimal comma", dinkes)
	}
	settings := "Pengaturan metode yang dipakai"
	excluded := "Semua respons dihitung, kecuali yang dikecualikan oleh keputusan Inspektorat yang tercatat (0 keputusan berlaku"
	e.run(as(an, []scenario{
		{name: "dash picks the open period", path: "/dash", wantStatus: 200, want: []string{"SPI Test"}},
		{name: "overview", path: "/dash/SPI-T", wantStatus: 200,
			want: []string{"Ringkasan periode", city, "Waspada", settings, excluded, "/charts/SPI-T/ranking.png", "/charts/SPI-T/response-rate.png", "Terlalu cepat", "Tanpa indeks"}},
		{name: "overview in English", path: "/dash/SPI-T?lang=en", wantStatus: 200,
			want: []string{"Period overview", en.Num(*r.Results.City.Pooled.Index, 2), "Method settings used"}, notWant: []string{city}},
		{name: "the include_flagged switch is gone", path: "/dash/SPI-T?include_flagged=true", wantStatus: 400,
			want: []string{"Pilihan respons bertanda sudah tidak ada", "keputusan Inspektorat yang tercatat"}, notWant: []string{city}},
		{name: "ranking", path: "/dash/SPI-T/units", wantStatus: 200,
			want: []string{dinkes, disdik, "Dinas Kesehatan", "&lt;b&gt;", settings, "sort=-index"}, notWant: []string{"<b>x</b>"}},
		{name: "ranking filtered by parent", path: "/dash/SPI-T/units?parent=DINKES", wantStatus: 200, want: []string{`/units/DINKES"`, "HYPERLINK"}, notWant: []string{`/units/DISDIK"`}},
		{name: "ranking filtered by category none", path: "/dash/SPI-T/units?category=none", wantStatus: 200, want: []string{"HYPERLINK"}, notWant: []string{`/units/DINKES"`}},
		{name: "ranking sorted by name", path: "/dash/SPI-T/units?sort=name&type=external", wantStatus: 200, want: []string{"Eksternal"}},
		{name: "ranking bad sort", path: "/dash/SPI-T/units?sort=drop", wantStatus: 400, want: []string{"Urutan tidak dikenal"}},
		{name: "unit page", path: "/dash/SPI-T/units/DINKES", wantStatus: 200,
			want: []string{dinkes, "Komponen per jenis responden", "Skor elemen dibandingkan kota", "Catatan reliabilitas", "Tren antarperiode", "SPI Lalu", "/charts/SPI-T/units/DINKES/profile.png", "/charts/SPI-T/units/DINKES/trend.png", settings}},
		{name: "unit page with correction", path: "/dash/SPI-T/units/DISDIK", wantStatus: 200,
			want: []string{disdik, "Pengaduan pungutan liar", "1,50", "Elemen berisiko dan rekomendasi", "Rekomendasi"}},
		{name: "unit page in English", path: "/dash/SPI-T/units/DISDIK?lang=en", wantStatus: 200, want: []string{idx(en, r, "DISDIK"), "Recommendation", "Complaints"}},
		{name: "suppressed unit shows a dash, never 0", path: "/dash/SPI-T/units/PKM1", wantStatus: 200,
			want: []string{`<p class="kpi-value" id="unit-index"><span class="suppressed"`, "Indeks disembunyikan", "&lt;b&gt;"}, notWant: []string{`id="unit-index">0`, "<b>x</b>"}},
		{name: "unknown unit", path: "/dash/SPI-T/units/NOPE", wantStatus: 404},
		{name: "unknown period", path: "/dash/NOPE", wantStatus: 404},
		{name: "element page", path: "/dash/SPI-T/elements/pbj", wantStatus: 200, want: []string{"Pengadaan", "Dinas Kesehatan", "Kota", settings}},
		{name: "element page for external, who are not asked pbj", path: "/dash/SPI-T/elements/pbj?type=external", wantStatus: 200, want: []string{"tidak menjawab elemen ini"}},
		{name: "unknown element", path: "/dash/SPI-T/elements/nope", wantStatus: 404},
		{name: "heatmap page", path: "/dash/SPI-T/heatmap?type=external", wantStatus: 200, want: []string{"/charts/SPI-T/heatmap.png?type=external", settings}},
		{name: "quality page", path: "/dash/SPI-T/quality", wantStatus: 200, want: []string{"Selesai dalam 40 detik", "Posisi jawaban sama", "Dihitung", "Belum ada keputusan.", settings, "spi-method v2"},
			notWant: []string{`action="/inspectorate/SPI-T/decisions"`}},
		{name: "quality page of one unit", path: "/dash/SPI-T/quality?unit=DISDIK&type=internal", wantStatus: 200, want: []string{"Selesai dalam 40 detik"}},
		{name: "quality page of a type without flags", path: "/dash/SPI-T/quality?type=expert", wantStatus: 200, want: []string{"Tidak ada respons bertanda."}, notWant: []string{"Selesai dalam 40 detik"}},
		{name: "bad type", path: "/dash/SPI-T?type=robot", wantStatus: 400, want: []string{"Jenis responden tidak dikenal"}},
		{name: "include_flagged in any form", path: "/dash/SPI-T/units?include_flagged=", wantStatus: 400},
		{name: "filter form", path: "/dash?" + url.Values{"period": {"SPI-P"}, "to": {"/units/DINKES"}, "type": {"internal"}}.Encode(), wantStatus: 200, want: []string{"SPI Lalu", "Dinas Kesehatan"}},
		{name: "filter form refuses an outside target", path: "/dash?period=SPI-T&to=//evil.example", wantStatus: 400},
		{name: "earlier period", path: "/dash/SPI-P/units/DINKES", wantStatus: 200, want: []string{"SPI Lalu"}},
	}))
	if code, loc := e.redirect("/dash?period=SPI-P&to=/units/DINKES&type=internal", an); code != 303 || loc != "/dash/SPI-P/units/DINKES?type=internal" {
		t.Errorf("filter form: %d to %q", code, loc)
	}
}

// redirect sends a GET without following redirects and returns the status
// and Location.
func (e *testEnv) redirect(path string, h map[string]string) (int, string) {
	e.t.Helper()
	resp, _ := e.send("GET", path, "", h)
	return resp.StatusCode, resp.Header.Get("Location")
}

// with copies headers h and adds key, value.
func with(h map[string]string, key, value string) map[string]string {
	out := map[string]string{key: value}
	for k, v := range h {
		out[k] = v
	}
	return out
}
