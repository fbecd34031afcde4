package server

import (
	"net/http"
	"strings"
	"testing"

	"integritas/survey"
)

func TestInvitationPages(t *testing.T) {
	e := newRespondEnv(t)
	toks := e.invite("DINKES", survey.Internal, 4)
	expert := e.invite("DISDIK", survey.Expert, 1)[0]
	unknown, _ := survey.NewToken()
	s := "/s/" + toks[0]
	e.run([]scenario{
		{name: "questionnaire", path: s, wantStatus: 200,
			want:    []string{"Survei Penilaian Integritas 2026", "Dinas Kesehatan", "Responden internal", "anonim", `<fieldset class="q"`, "<legend>", `type="radio" name="T01" value="1"`, `value="dk"> Tidak tahu`, "Golongan III", "Simpan", "Kirim jawaban", "Tautan undangan ini hanya membuktikan", `<progress id="progress" max="47" value="0"`, `src="/static/survey.js"`},
			notWant: []string{"<script>", "onclick", "style=", "Pengadaan Barang/Jasa</h2>\n</section>"}},
		{name: "in English", path: s + "?lang=en", wantStatus: 200, want: []string{"Integrity Assessment Survey 2026", `value="dk"> Don&#39;t know`, "Save", "Send answers"}},
		{name: "expert sees no strata and no external items", path: "/s/" + expert, wantStatus: 200, want: []string{"Responden ahli", `name="PBJ01"`}, notWant: []string{`name="golongan"`, `name="PP04"`, `name="T06"`}},
		{name: "unknown token", path: "/s/" + unknown, wantStatus: 404, want: []string{"Tautan tidak dikenal"}},
		{name: "malformed token", path: "/s/not-a-token", wantStatus: 404, want: []string{"Tautan tidak dikenal"}},
		{name: "closed period", path: "/s/" + e.closedToken, wantStatus: 409, want: []string{"Survei tidak sedang dibuka"}},
		{name: "closed period post", method: "POST", path: "/s/" + e.closedToken, body: valid(), wantStatus: 409, want: []string{"Survei tidak sedang dibuka"}},

		{name: "out of range value kept and explained", method: "POST", path: s, body: valid("T03", "9", "PBJ01", "2"), wantStatus: 422,
			want: []string{`Jawaban &#34;9&#34; tidak tersedia`, `id="p-T03"`, `name="PBJ01" value="2" checked`, `name="T01" value="4" checked`, "Ada 1 isian"}},
		{name: "required missing", method: "POST", path: s, body: form("T01", "4", "PBJ02", "1"), wantStatus: 422,
			want: []string{`id="p-SOS01">Pertanyaan ini wajib dijawab.`, `id="p-SOS02"`, `name="PBJ02" value="1" checked`}},
		{name: "tidak tahu where not allowed", method: "POST", path: s, body: valid("T01", "dk"), wantStatus: 422, want: []string{"tidak menyediakan jawaban"}},
		{name: "unknown item", method: "POST", path: s, body: valid("NOPE", "1"), wantStatus: 422, want: []string{"Pertanyaan &#34;NOPE&#34; tidak ada"}},
		{name: "item of another type", method: "POST", path: s, body: valid("PP04", "2"), wantStatus: 422, want: []string{"bukan untuk jenis responden"}},
		{name: "bad stratum", method: "POST", path: s, body: valid("golongan", "V"), wantStatus: 422, want: []string{"Pilihan &#34;V&#34; tidak tersedia"}},
		{name: "typed text escaped on the page", method: "POST", path: s, body: valid("T03", "0", "X01", `<script>alert("x")</script>`), wantStatus: 422,
			want: []string{"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</textarea>"}, notWant: []string{`<script>alert`}},
		{name: "oversized body", method: "POST", path: s, body: longForm(), wantStatus: 413},
		{name: "forged cross-site post", method: "POST", path: s, body: valid(), header: map[string]string{"Sec-Fetch-Site": "cross-site"}, wantStatus: 403},
		{name: "forged post from another origin", method: "POST", path: s, body: valid(), header: map[string]string{"Origin": "https://evil.example"}, wantStatus: 403},

		{name: "save", method: "POST", path: s, body: form("_action", "save", "T01", "2", "PBJ01", "9", "X01", "catatan <b>saya</b>"), wantStatus: 200,
			want: []string{"Jawaban Anda tersimpan", `name="T01" value="2" checked`, "catatan &lt;b&gt;saya&lt;/b&gt;"}},
		{name: "resume", path: s, wantStatus: 200, want: []string{"Selamat datang kembali", `name="T01" value="2" checked`, `<output id="answered" for="survey">2</output>`}},
		{name: "submit", method: "POST", path: s, body: valid(), wantStatus: 200, want: []string{"Terima kasih"}},
		{name: "used link", path: s, wantStatus: 410, want: []string{"Tautan sudah digunakan"}, notWant: []string{"<form"}},
		{name: "used link post", method: "POST", path: s, body: valid(), wantStatus: 410, want: []string{"Tautan sudah digunakan"}},
		{name: "used link save", method: "POST", path: s, body: form("_action", "save", "T01", "1"), wantStatus: 410},
	})
	if n := e.count("SELECT count(*) FROM responses"); n != 1 {
		t.Errorf("%d responses stored, want 1 (refused posts must store nothing)", n)
	}
	if n := e.count("SELECT count(*) FROM sealed_drafts"); n != 0 {
		t.Errorf("%d drafts left after submit", n)
	}
	if n := e.count("SELECT count(*) FROM responses WHERE channel = 'invitation' AND respondent_type = 'internal' AND duration_seconds IS NOT NULL AND submitted_hour = '2026-06-15T00' AND hour_sealed IS NOT NULL"); n != 1 {
		t.Errorf("stored response lacks type, channel, duration or hour")
	}
}

func TestInvitationRedirectsAndHeaders(t *testing.T) {
	e := newRespondEnv(t)
	tok := e.invite("DINKES", survey.Internal, 1)[0]
	resp := e.raw("GET", "/s/"+tok, "", nil)
	for k, want := range map[string]string{"Referrer-Policy": "no-referrer", "Cache-Control": "no-store", "X-Frame-Options": "DENY"} {
		if got := resp.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q", csp)
	}
	cases := []struct {
		name, body string
		status     int
		location   string
	}{
		{"save redirects to the same link", form("_action", "save", "T01", "3"), http.StatusSeeOther, "/s/" + tok + "?saved=1"},
		{"submit redirects to thanks", valid("_action", "submit"), http.StatusSeeOther, "/thanks"},
		{"second submit is gone", valid(), http.StatusGone, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.raw("POST", "/s/"+tok, c.body, nil)
			if r.StatusCode != c.status || r.Header.Get("Location") != c.location {
				t.Errorf("status %d, location %q; want %d, %q", r.StatusCode, r.Header.Get("Location"), c.status, c.location)
			}
		})
	}
}

func TestPageSize(t *testing.T) {
	e := newRespondEnv(t)
	tok := e.invite("DINKES", survey.Internal, 1)[0]
	pages := []struct{ name, path string }{{"invitation (internal, the longest)", "/s/" + tok}, {"open link", "/r/SPI-T/DINKES"}, {"english", "/s/" + tok + "?lang=en"}}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			total := 0
			for _, path := range []string{p.path, "/static/style.css", "/static/survey.js"} {
				code, body, _ := e.do("GET", path, "", nil)
				if code != 200 {
					t.Fatalf("%s: %d", path, code)
				}
				total += len(body)
			}
			// Uncompressed: the page stays under the budget even where no
			// proxy compresses it.
			if total >= 60<<10 {
				t.Errorf("page with its CSS and JS is %d bytes, budget 60 KB", total)
			}
			t.Logf("%d bytes uncompressed", total)
		})
	}
}

// TestInvitationClaim covers valid submissions that carry the page's claim
// (period, unit, type) and skip the invitation lookup: the committer must
// refuse every claim that does not match the token's unused invitation.
func TestInvitationClaim(t *testing.T) {
	e := newRespondEnv(t)
	toks := e.invite("DINKES", survey.Internal, 3)
	unknown, _ := survey.NewToken()
	// Answers every type may give, so that only the claim decides.
	claim := func(period, unit, typ string) string {
		return form("T01", "4", "SOS01", "3", "SOS02", "5", "_period", period, "_unit", unit, "_type", typ)
	}
	e.run([]scenario{
		{name: "page carries the claim", path: "/s/" + toks[0], wantStatus: 200,
			want: []string{`name="_period" value="SPI-T"`, `name="_unit" value="DINKES"`, `name="_type" value="internal"`}},
		{name: "another type", method: "POST", path: "/s/" + toks[0], body: claim("SPI-T", "DINKES", "expert"), wantStatus: 404, want: []string{"Tautan tidak dikenal"}},
		{name: "another unit", method: "POST", path: "/s/" + toks[0], body: claim("SPI-T", "DISDIK", "internal"), wantStatus: 404},
		{name: "another period", method: "POST", path: "/s/" + toks[0], body: claim("SPI-X", "KOTA", "internal"), wantStatus: 404},
		{name: "unknown token", method: "POST", path: "/s/" + unknown, body: claim("SPI-T", "DINKES", "internal"), wantStatus: 404},
		{name: "closed period", method: "POST", path: "/s/" + e.closedToken, body: claim("SPI-C", "DINKES", "internal"), wantStatus: 409},
		{name: "bogus claim falls back to the lookup", method: "POST", path: "/s/" + toks[1], body: claim("NOPE", "DINKES", "boss"), wantStatus: 200, want: []string{"Terima kasih"}},
		{name: "claim with problems falls back to the lookup", method: "POST", path: "/s/" + toks[2], body: valid("T01", "9", "_period", "SPI-T", "_unit", "DINKES", "_type", "internal"), wantStatus: 422, want: []string{`id="p-T01"`, `name="_type" value="internal"`}},
		{name: "matching claim", method: "POST", path: "/s/" + toks[0], body: claim("SPI-T", "DINKES", "internal"), wantStatus: 200, want: []string{"Terima kasih"}},
		{name: "matching claim again", method: "POST", path: "/s/" + toks[0], body: claim("SPI-T", "DINKES", "internal"), wantStatus: 410},
	})
	if n := e.count("SELECT count(*) FROM responses"); n != 2 {
		t.Errorf("%d responses stored, want 2", n)
	}
	if n := e.count("SELECT count(*) FROM invitations WHERE used = 1"); n != 2 {
		t.Errorf("%d invitations used, want 2 (refused claims must use none)", n)
	}
}
