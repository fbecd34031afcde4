package server

import (
	"bytes"
	"context"
	"encoding/xml"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"

	"integritas/analysis"
	"integritas/survey"
)

// svgTexts parses an SVG document and returns the text of its <text> elements.
func svgTexts(t *testing.T, body []byte) []string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(body))
	var out []string
	in := false
	var root string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("svg does not parse: %v", err)
		}
		switch v := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = v.Name.Local
			}
			in = v.Name.Local == "text"
		case xml.CharData:
			if in {
				out = append(out, string(v))
			}
		case xml.EndElement:
			in = false
		}
	}
	if root != "svg" {
		t.Fatalf("root element %q", root)
	}
	return out
}

// get fetches a path with headers and returns status, headers and body bytes.
func (e *testEnv) get(path string, header map[string]string) (int, http.Header, []byte) {
	e.t.Helper()
	code, body, h := e.do("GET", path, "", header)
	return code, h, []byte(body)
}

func TestChartsDecodeAndShowTheResults(t *testing.T) {
	e, an := dashEnv(t)
	r := e.computed("SPI-T")
	id := e.srv.bundle.For("id")
	units := map[string]*analysis.UnitResult{}
	for i := range r.Results.Units {
		units[r.Results.Units[i].Code] = &r.Results.Units[i]
	}
	score := func(code, typ, el string) string {
		return id.Num(*units[code].Components[typ].Elements[el].Score, 2)
	}
	cases := []struct {
		name string
		path string
		want []string // texts the SVG must hold (the PNG of the same chart must decode)
	}{
		{"ranking", "/charts/SPI-T/ranking", []string{id.Num(*units["DINKES"].Index, 2), id.Num(*units["DISDIK"].Index, 2), "Dinas Kesehatan", "Indeks (0–100)", "—"}},
		{"heatmap", "/charts/SPI-T/heatmap", []string{score("DINKES", "internal", "transparansi"), score("DINKES", "internal", "pbj"), "—", "Barang/Jasa", "Responden internal (pegawai)"}},
		{"heatmap of external", "/charts/SPI-T/heatmap", []string{score("DINKES", "external", "transparansi"), "Responden eksternal (pengguna layanan)"}},
		{"response rate", "/charts/SPI-T/response-rate", []string{"Jumlah responden", "Semua jenis responden"}},
		{"profile", "/charts/SPI-T/units/DINKES/profile", []string{score("DINKES", "internal", "sdm"), "Profil elemen: Dinas Kesehatan"}},
		{"trend", "/charts/SPI-T/units/DINKES/trend", []string{"SPI Lalu", "SPI Test", id.Num(*units["DINKES"].Index, 2), "Tren indeks: Dinas Kesehatan"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q := ""
			if strings.Contains(c.name, "external") {
				q = "?type=external"
			}
			code, h, body := e.get(c.path+".png"+q, an)
			if code != 200 || h.Get("Content-Type") != "image/png" {
				t.Fatalf("png: %d %s", code, h.Get("Content-Type"))
			}
			img, err := png.Decode(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("png does not decode: %v", err)
			}
			if b := img.Bounds(); b.Dx() < 300 || b.Dy() < 150 {
				t.Errorf("png %v is too small", b)
			}
			if !strings.Contains(h.Get("Cache-Control"), "private") || h.Get("ETag") == "" {
				t.Errorf("caching headers: %q, %q", h.Get("Cache-Control"), h.Get("ETag"))
			}
			code, h, body = e.get(c.path+".svg"+q, an)
			if code != 200 || h.Get("Content-Type") != "image/svg+xml" {
				t.Fatalf("svg: %d %s", code, h.Get("Content-Type"))
			}
			texts := strings.Join(svgTexts(t, body), "\n")
			for _, w := range c.want {
				if !strings.Contains(texts, w) {
					t.Errorf("svg lacks %q; texts: %.400s", w, texts)
				}
			}
		})
	}
	// English charts use the decimal point.
	_, _, body := e.get("/charts/SPI-T/ranking.svg?lang=en", an)
	if en := e.srv.bundle.For("en").Num(*units["DINKES"].Index, 2); !strings.Contains(strings.Join(svgTexts(t, body), "\n"), en) {
		t.Errorf("English ranking lacks %s", en)
	}
}

func TestChartETag(t *testing.T) {
	e, an := dashEnv(t)
	code, h, _ := e.get("/charts/SPI-T/units/DINKES/profile.png", an)
	tag := h.Get("ETag")
	if code != 200 || tag == "" {
		t.Fatalf("%d, etag %q", code, tag)
	}
	if code, _, body := e.get("/charts/SPI-T/units/DINKES/profile.png", with(an, "If-None-Match", tag)); code != 304 || len(body) != 0 {
		t.Errorf("unchanged chart: %d with %d bytes, want 304", code, len(body))
	}
	for _, other := range []string{"/charts/SPI-T/units/DINKES/profile.png?lang=en", "/charts/SPI-T/units/DINKES/profile.png?type=external",
		"/charts/SPI-T/units/DINKES/profile.svg", "/charts/SPI-T/units/DISDIK/profile.png"} {
		if code, h, _ := e.get(other, with(an, "If-None-Match", tag)); code != 200 || h.Get("ETag") == tag {
			t.Errorf("%s shares the ETag (%d)", other, code)
		}
	}
	// New data, new tag: a correction changes the data version.
	if _, err := e.store.AddCorrection(context.Background(), survey.Correction{PeriodID: e.period.ID, UnitCode: "DINKES", Points: 2, Reason: "x", SetBy: "t"}); err != nil {
		t.Fatal(err)
	}
	if code, h, _ := e.get("/charts/SPI-T/units/DINKES/profile.png", with(an, "If-None-Match", tag)); code != 200 || h.Get("ETag") == tag {
		t.Errorf("changed data answered %d with the old tag", code)
	}
	// The trend depends on every period: a change in the earlier one shows.
	_, h, _ = e.get("/charts/SPI-T/units/DINKES/trend.png", an)
	tag = h.Get("ETag")
	p, _ := e.store.Period(context.Background(), "SPI-P")
	if _, err := e.store.AddCorrection(context.Background(), survey.Correction{PeriodID: p.ID, UnitCode: "DINKES", Points: 1, Reason: "y", SetBy: "t"}); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := e.get("/charts/SPI-T/units/DINKES/trend.png", with(an, "If-None-Match", tag)); code != 200 {
		t.Errorf("trend after a change in the earlier period: %d", code)
	}
}

func TestChartErrors(t *testing.T) {
	e, an := dashEnv(t)
	e.run(as(an, []scenario{
		{name: "unknown period", path: "/charts/NOPE/ranking.png", wantStatus: 404},
		{name: "unknown unit", path: "/charts/SPI-T/units/NOPE/profile.png", wantStatus: 404},
		{name: "unit of another period", path: "/charts/SPI-P/units/PKM1/trend.svg", wantStatus: 404},
		{name: "bad type", path: "/charts/SPI-T/heatmap.png?type=robot", wantStatus: 400},
		{name: "unknown format", path: "/charts/SPI-T/ranking.gif", wantStatus: 404},
	}))
}
