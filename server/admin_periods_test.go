package server

import (
	"context"
	"strings"
	"testing"

	"integritas/assets"
	"integritas/survey"
)

func TestAdminPeriods(t *testing.T) {
	e := newTestEnv(t)
	insp := e.loginAs("inspector")
	up := func(fields, files map[string]string) (string, map[string]string) {
		return upload(t, fields, files, insp)
	}
	okBody, okH := up(map[string]string{"code": "SPI-2027", "name": "SPI 2027", "opens": "2027-05-01", "closes": "2027-06-30"}, nil)
	setBody, setH := up(map[string]string{"code": "SPI-S"}, map[string]string{"settings:settings.json": `{"min_group": 7}`})
	badSetBody, badSetH := up(map[string]string{"code": "SPI-X"}, map[string]string{"settings:settings.json": `{"no_such_setting": 1}`})
	brokenSetBody, brokenSetH := up(map[string]string{"code": "SPI-X"}, map[string]string{"settings:settings.json": `{not json`})
	badInstBody, badInstH := up(map[string]string{"code": "SPI-X"}, map[string]string{"instrument:inst.json": `{"code":"x","version":1,"elements":[],"items":[]}`})
	// The default instrument under its own code and version, with an item changed.
	changed := strings.Replace(string(assets.DefaultInstrument()), `"reverse": true`, `"reverse": false`, 1)
	verBody, verH := up(map[string]string{"code": "SPI-V"}, map[string]string{"instrument:inst.json": changed})
	dupBody, dupH := up(map[string]string{"code": "SPI-T"}, nil)
	badCode, badCodeH := up(map[string]string{"code": "SPI 2027!"}, nil)
	badDate, badDateH := up(map[string]string{"code": "SPI-D", "opens": "2027-13-01"}, nil)
	order, orderH := up(map[string]string{"code": "SPI-D", "opens": "2027-06-01", "closes": "2027-05-01"}, nil)
	big, bigH := up(map[string]string{"code": "SPI-B"}, map[string]string{"instrument:big.json": strings.Repeat("x", maxBody+10)})
	e.run([]scenario{
		{name: "list", path: "/admin/periods", header: insp, wantStatus: 200, want: []string{"SPI-T", "Dibuka", "Tutup periode", `enctype="multipart/form-data"`}},
		{name: "create with the default instrument", method: "POST", path: "/admin/periods", body: okBody, header: okH, wantStatus: 200,
			want: []string{"Periode dibuat sebagai draf.", "SPI-2027", "2027-05-01", "Draf"}},
		{name: "create with settings", method: "POST", path: "/admin/periods", body: setBody, header: setH, wantStatus: 200, want: []string{"SPI-S"}},
		{name: "unknown setting", method: "POST", path: "/admin/periods", body: badSetBody, header: badSetH, wantStatus: 400, want: []string{"Pengaturan metode tidak valid", "no_such_setting"}},
		{name: "settings not JSON", method: "POST", path: "/admin/periods", body: brokenSetBody, header: brokenSetH, wantStatus: 400, want: []string{"Pengaturan metode tidak valid"}},
		{name: "broken instrument", method: "POST", path: "/admin/periods", body: badInstBody, header: badInstH, wantStatus: 400, want: []string{"Instrumen tidak valid"}},
		{name: "instrument version reused with other items", method: "POST", path: "/admin/periods", body: verBody, header: verH, wantStatus: 409, want: []string{"Naikkan nomor versinya"}},
		{name: "code taken", method: "POST", path: "/admin/periods", body: dupBody, header: dupH, wantStatus: 409, want: []string{"sudah dipakai"}},
		{name: "bad code", method: "POST", path: "/admin/periods", body: badCode, header: badCodeH, wantStatus: 400, want: []string{"1–64 huruf"}},
		{name: "bad date", method: "POST", path: "/admin/periods", body: badDate, header: badDateH, wantStatus: 400, want: []string{"TTTT-BB-HH"}},
		{name: "dates in the wrong order", method: "POST", path: "/admin/periods", body: order, header: orderH, wantStatus: 400, want: []string{"sebelum tanggal tutup"}},
		{name: "upload over the limit", method: "POST", path: "/admin/periods", body: big, header: bigH, wantStatus: 413},
		{name: "not multipart", method: "POST", path: "/admin/periods", body: form("code", "SPI-F"), header: insp, wantStatus: 400},
		{name: "open the draft", method: "POST", path: "/admin/periods/SPI-2027/open", body: form("x", "y"), header: insp, wantStatus: 200, want: []string{"Periode dibuka untuk jawaban."}},
		{name: "open again", method: "POST", path: "/admin/periods/SPI-2027/open", body: form("x", "y"), header: insp, wantStatus: 409, want: []string{"Hanya periode berstatus draf"}},
		{name: "open an unknown period", method: "POST", path: "/admin/periods/NOPE/open", body: form("x", "y"), header: insp, wantStatus: 404},
		{name: "close asks first", path: "/admin/periods/SPI-2027/close", header: insp, wantStatus: 200, want: []string{"Ketik kode periode (SPI-2027)", "tidak dapat dibuka kembali", "0 jawaban"}},
		{name: "close with the wrong code", method: "POST", path: "/admin/periods/SPI-2027/close", body: form("confirm", "SPI-T"), header: insp, wantStatus: 400, want: []string{"tidak sama"}},
		{name: "close", method: "POST", path: "/admin/periods/SPI-2027/close", body: form("confirm", "SPI-2027"), header: insp, wantStatus: 200, want: []string{"jawabannya kini dibekukan"}},
		{name: "close again", method: "POST", path: "/admin/periods/SPI-2027/close", body: form("confirm", "SPI-2027"), header: insp, wantStatus: 409},
		{name: "close a draft", method: "POST", path: "/admin/periods/SPI-S/close", body: form("confirm", "SPI-S"), header: insp, wantStatus: 409},
	})
	ctx := context.Background()
	p, _ := e.store.Period(ctx, "SPI-S")
	if !strings.Contains(string(p.Settings), `"min_group": 7`) {
		t.Errorf("settings stored %s", p.Settings)
	}
	for _, code := range []string{"SPI-X", "SPI-V", "SPI-D", "SPI-B", "SPI-F"} {
		if _, err := e.store.Period(ctx, code); err == nil {
			t.Errorf("refused period %s was stored", code)
		}
	}
	// Closing froze the answers: no path can add one now.
	p, _ = e.store.Period(ctx, "SPI-2027")
	r := survey.NewResponse{PeriodID: p.ID, UnitID: 1, Type: survey.Internal, Channel: survey.ChannelPaper, Submitted: e.now, Duration: -1,
		Answers: survey.Answers{Vector: make([]byte, len(p.Instrument.Items))}}
	if err := e.store.InsertResponses(ctx, []survey.NewResponse{r}); err == nil {
		t.Error("a closed period took a response")
	}
	wantAudit(t, e, []string{
		"period.create period:SPI-2027 instrument spi-2026 v1", "period.open period:SPI-2027", "period.close period:SPI-2027",
	}, "inspector@example.go.id")
}

func TestAdminUnits(t *testing.T) {
	e := newTestEnv(t)
	insp := e.loginAs("inspector")
	good, goodH := upload(t, nil, map[string]string{"file:opd.csv": unitsCSV + "BAPPEDA,Badan Perencanaan,,,40,,5\n"}, insp)
	bad, badH := upload(t, nil, map[string]string{"file:opd.csv": "code,name,parent_code,head_email,internal_population,external_population,expert_population\n" +
		"OK1,Baik,,,1,,\nBAD CODE,Buruk,,,1,,\nOK2,,,bukan-email,x,,\n"}, insp)
	orphan, orphanH := upload(t, nil, map[string]string{"file:opd.csv": "code,name,parent_code,head_email,internal_population,external_population,expert_population\nK1,Kec,NOPE,,1,,\n"}, insp)
	none, noneH := upload(t, map[string]string{"x": "y"}, nil, insp)
	e.run([]scenario{
		{name: "list", path: "/admin/periods/SPI-T/units", header: insp, wantStatus: 200, want: []string{"DINKES", "Puskesmas Satu", "kadisdik@example.go.id", "Impor unit dari CSV"}},
		{name: "unknown period", path: "/admin/periods/NOPE/units", header: insp, wantStatus: 404},
		{name: "import", method: "POST", path: "/admin/periods/SPI-T/units", body: good, header: goodH, wantStatus: 200, want: []string{"Unit diimpor.", "BAPPEDA"}},
		{name: "import with problems, each shown", method: "POST", path: "/admin/periods/SPI-T/units", body: bad, header: badH, wantStatus: 400,
			want: []string{"Tidak ada yang diimpor", "opd.csv:3: code", "opd.csv:4: name", "opd.csv:4: head_email", "opd.csv:4: internal_population"}},
		{name: "unknown parent", method: "POST", path: "/admin/periods/SPI-T/units", body: orphan, header: orphanH, wantStatus: 400, want: []string{"NOPE"}},
		{name: "no file", method: "POST", path: "/admin/periods/SPI-T/units", body: none, header: noneH, wantStatus: 400, want: []string{"Pilih berkas CSV"}},
		{name: "edit form", path: "/admin/periods/SPI-T/units/DISDIK", header: insp, wantStatus: 200, want: []string{`value="Dinas Pendidikan"`, `name="internal_population"`, `value="200"`}},
		{name: "edit unknown unit", path: "/admin/periods/SPI-T/units/NOPE", header: insp, wantStatus: 404},
		{name: "update", method: "POST", path: "/admin/periods/SPI-T/units/DISDIK", header: insp, wantStatus: 200,
			body: form("name", "Dinas Pendidikan dan Kebudayaan", "head_name", "Bu Kadis", "head_email", "kadis@example.go.id", "internal_population", "210", "external_population", "", "expert_population", "12"),
			want: []string{"Unit diperbarui.", "Dinas Pendidikan dan Kebudayaan", "Bu Kadis"}},
	})
	ctx := context.Background()
	u, err := e.store.Unit(ctx, e.period.ID, "DISDIK")
	must(t, err)
	if u.Population[survey.Internal] != 210 || u.Population[survey.External] != 0 || u.Population[survey.Expert] != 12 {
		t.Errorf("population %v", u.Population)
	}
	e.run([]scenario{
		{name: "empty name", method: "POST", path: "/admin/periods/SPI-T/units/DISDIK", body: form("name", " "), header: insp, wantStatus: 400, want: []string{"Nama unit wajib diisi"}},
		{name: "bad population", method: "POST", path: "/admin/periods/SPI-T/units/DISDIK", body: form("name", "D", "internal_population", "-3"), header: insp, wantStatus: 400, want: []string{"bilangan bulat"}},
		{name: "bad head e-mail", method: "POST", path: "/admin/periods/SPI-T/units/DISDIK", body: form("name", "D", "head_email", "kadis at dinas"), header: insp, wantStatus: 400},
		{name: "markup is escaped", method: "POST", path: "/admin/periods/SPI-T/units/DISDIK", body: form("name", "<script>alert(1)</script>"), header: insp, wantStatus: 200,
			want: []string{"&lt;script&gt;"}, notWant: []string{"<script>alert"}},
	})
	if _, err := e.store.Unit(ctx, e.period.ID, "OK1"); err == nil {
		t.Error("a refused import stored its good rows")
	}
	must(t, e.store.SetPeriodStatus(ctx, "SPI-T", survey.StatusClosed))
	again, againH := upload(t, nil, map[string]string{"file:opd.csv": unitsCSV}, insp)
	e.run([]scenario{{name: "import into a closed period", method: "POST", path: "/admin/periods/SPI-T/units", body: again, header: againH, wantStatus: 409, want: []string{"sudah ditutup"}}})
	wantAudit(t, e, []string{"import.units period:SPI-T 4 units from opd.csv", "unit.update period:SPI-T unit:DISDIK name, head and population"}, "inspector@example.go.id")
}
