package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"integritas/survey"
)

// langFixture is a database with period P (closing in the past, so it
// cannot open), units DINKES and DISDIK, and CSV files with problems.
type langFixture struct {
	db, dir string
	files   map[string]string
}

func newLangFixture(t *testing.T) *langFixture {
	t.Helper()
	f := &langFixture{dir: t.TempDir(), files: map[string]string{}}
	f.db = testDB(t, "l.db")
	write := func(name, body string) {
		p := filepath.Join(f.dir, name)
		must(t, os.WriteFile(p, []byte(body), 0o600))
		f.files[name] = p
	}
	write("units.csv", "code,name,parent_code,head_email,internal_population,external_population,expert_population\nDINKES,Dinas Kesehatan,,,40,,\nDISDIK,Dinas Pendidikan,,,40,,\n")
	write("bad_units.csv", "code,name,parent_code,head_email,internal_population,external_population,expert_population,colour\n"+
		"A B,,,kepala at dinas,lima,,,merah\n")
	write("bad_units2.csv", "code,name,parent_code,head_email,internal_population,external_population,expert_population\n"+
		"A B,,A B,kepala at dinas,lima,,\nDINKES,Dinas,,,\"1\n")
	write("roster.csv", "unit,type,name,email,phone,grade,years_institution,years_unit,role\n"+
		"DINKES,internal,Budi,budi@example.go.id,,III,1,0.5,staf\nDINKES,internal,Kepala Dinas,,,,20,3,kepala\nDINKES,internal,Siti,siti@example.go.id,,III,9,4,staf\n")
	write("bad_roster.csv", "unit,type,name,email,phone,grade,years_institution,years_unit,role\nDINKES,external,,budi at x,08-abc,,lama,,\n")
	write("corrections.csv", "unit,points,reason,kind\nDINKES,12,Pengaduan masyarakat,complaints\nDINKES,9,Kasus hukum,law_enforcement\n")
	write("bad_corrections.csv", "unit,points,reason,kind\nDINKES,101,,boss\n")
	for _, args := range [][]string{
		{"period", "create", "--code", "P", "--name", "SPI Uji", "--opens", "2020-01-01", "--closes", "2020-12-31"},
		{"import", "units", "--period", "P", f.files["units.csv"]},
	} {
		if code, _, e := runCLI(t, "", append(args, "--db", f.db)...); code != 0 {
			t.Fatalf("%v: %s", args, e)
		}
	}
	return f
}

// mistakes are the commands a staff member gets wrong, each with what the
// Indonesian and the English answer must say.
func (f *langFixture) mistakes() []struct {
	args   []string
	id, en string
} {
	return []struct {
		args   []string
		id, en string
	}{
		{[]string{"import", "units", "--period", "P", f.files["bad_units.csv"]}, "colour: kolom tidak dikenal", "colour: unknown column"},
		{[]string{"import", "units", "--period", "P", f.files["bad_units2.csv"]}, `bad_units2.csv:2: code: "A B" bukan kode unit`, `bad_units2.csv:2: code: "A B" is not a unit code`},
		{[]string{"import", "roster", "--period", "P", f.files["bad_roster.csv"]}, `type: "external" harus internal atau expert`, `type: "external" must be internal or expert`},
		{[]string{"import", "corrections", "--period", "P", f.files["bad_corrections.csv"]}, `points: "101" bukan jumlah poin indeks`, `points: "101" is not a number of index points`},
		{[]string{"import", "units", "--period", "NOPE", f.files["units.csv"]}, "periode NOPE: tidak ditemukan", "period NOPE: not found"},
		{[]string{"import", "units", "--period", "P", filepath.Join(f.dir, "none.csv")}, "tidak ada", "does not exist"},
		{[]string{"import", "units", "--period", "P"}, "berikan tepat satu berkas CSV", "give exactly one CSV file"},
		{[]string{"period", "open", "--period", "P"}, "tetapkan dulu tanggal penutupan yang lebih lambat: integritas period edit --period P --closes", "set a later closing date first: integritas period edit --period P --closes"},
		{[]string{"period", "edit", "--period", "P", "--closes", "31-12-2099"}, "bukan tanggal", "is not a date"},
		{[]string{"period", "create"}, "--code wajib diisi", "--code is required"},
		{[]string{"results", "--period", "P", "--format", "pdf"}, "--format: pdf harus salah satu dari json, csv", "--format: pdf must be one of json, csv"},
		{[]string{"invite", "--period", "P", "--unit", "DINKES", "--type", "external", "--count", "1"}, "responden eksternal memakai tautan terbuka /r/P/DINKES", "external respondents use the open link /r/P/DINKES"},
		{[]string{"invite", "--period", "P", "--unit", "DINKES", "--type", "expert", "--from-roster"}, "belum punya daftar expert", "has no expert roster"},
		{[]string{"correction", "set", "--period", "P", "--unit", "DINKES", "--points", "25", "--reason", "Pengaduan"}, "batas koreksi periode ini 20,0 poin", "correction cap is 20.0 points"},
		{[]string{"sample", "--period", "P", "--margin", "20"}, "--margin: 20 harus bilangan", "--margin: 20 must be a number"},
		{[]string{"mail", "send"}, "belum ada server SMTP", "no SMTP server is configured"},
		{[]string{"no", "such", "command"}, "tidak dikenal", "unknown command"},
	}
}

// run runs a command on the fixture's database and returns what it printed.
func (f *langFixture) run(t *testing.T, args ...string) (int, string) {
	t.Helper()
	code, out, errOut := runCLI(t, "", append(args, "--db", f.db)...)
	return code, out + errOut
}

// TestCLISpeaksIndonesianByDefault: every mistake above is explained in
// Indonesian, naming file, line and column where there is one, and no
// English word slips in; --lang en explains the same in English.
func TestCLISpeaksIndonesianByDefault(t *testing.T) {
	f := newLangFixture(t)
	for _, m := range f.mistakes() {
		code, out := f.run(t, m.args...)
		if code == 0 || !strings.Contains(out, m.id) {
			t.Errorf("%v: exit %d, want a refusal saying %q:\n%s", m.args, code, m.id, out)
		}
		if w := englishIn(strings.SplitN(out, "Cara pakai:", 2)[0]); len(w) > 0 {
			t.Errorf("%v: English words %q in the Indonesian answer:\n%s", m.args, w, out)
		}
		code, out = f.run(t, append(m.args, "--lang", "en")...)
		if code == 0 || !strings.Contains(out, m.en) {
			t.Errorf("%v --lang en: exit %d, want %q:\n%s", m.args, code, m.en, out)
		}
	}
	// What goes well is said in Indonesian too: the roster's notes on
	// staff outside the frame, and the period's status.
	code, out := f.run(t, "import", "roster", "--period", "P", f.files["roster.csv"])
	for _, want := range []string{"3 baris daftar pegawai diimpor ke P (2 catatan)",
		"catatan: roster.csv:2: Budi (DINKES) dikeluarkan dari kerangka sampel internal: kurang dari 2 tahun di instansi, kurang dari 1 tahun di unit",
		"catatan: roster.csv:3: Kepala Dinas (DINKES) dikeluarkan dari kerangka sampel internal: kepala unit"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("roster import: exit %d, want %q:\n%s", code, want, out)
		}
	}
	if w := englishIn(out); len(w) > 0 {
		t.Errorf("English words %q in the roster import:\n%s", w, out)
	}
	if code, out := f.run(t, "period", "list"); code != 0 || !strings.Contains(out, "KODE") || !strings.Contains(out, "draf") {
		t.Errorf("period list: %s", out)
	}
	if code, out := f.run(t, "help"); code != 0 || !strings.Contains(out, "membuka periode untuk menerima jawaban") {
		t.Errorf("help: %s", out)
	}
	if code, out := f.run(t, "help", "--lang", "en"); code != 0 || !strings.Contains(out, "open a period for answers") {
		t.Errorf("help --lang en: %s", out)
	}
	if code, out := f.run(t, "period", "list", "--lang", "fr"); code == 0 || !strings.Contains(out, "--lang: fr harus id atau en") {
		t.Errorf("--lang fr: %d %s", code, out)
	}
}

// TestCLISpeaksTheStoredLanguage: with English saved in the organisation
// settings the command line answers in English; --lang id still wins.
func TestCLISpeaksTheStoredLanguage(t *testing.T) {
	f := newLangFixture(t)
	ctx := context.Background()
	st, err := openDB(ctx, f.db)
	must(t, err)
	org := survey.DefaultOrgSettings()
	org.Lang = "en"
	must(t, st.SaveOrgSettings(ctx, org, "t"))
	st.Close()
	code, out := f.run(t, "import", "units", "--period", "P", f.files["bad_units.csv"])
	if code == 0 || !strings.Contains(out, "nothing was imported") || !strings.Contains(out, "colour: unknown column") {
		t.Errorf("stored English not spoken: %s", out)
	}
	code, out = f.run(t, "import", "roster", "--period", "P", f.files["roster.csv"])
	if code != 0 || !strings.Contains(out, "Kepala Dinas (DINKES) excluded from the internal frame: is unit head") {
		t.Errorf("roster notes in English: %s", out)
	}
	code, out = f.run(t, "import", "units", "--period", "P", f.files["bad_units.csv"], "--lang", "id")
	if code == 0 || !strings.Contains(out, "tidak ada yang diimpor") {
		t.Errorf("--lang id does not win over the stored English: %s", out)
	}
}

// TestCorrectionCapCLI: the command line refuses corrections above the
// period's cap (default 20 points) at entry, naming the cap, as the
// inspectorate's page does — through the import and through correction
// set — and records nothing of a refused file.
func TestCorrectionCapCLI(t *testing.T) {
	f := newLangFixture(t)
	stored := func() (n int, sum float64) {
		st, err := openDB(context.Background(), f.db)
		must(t, err)
		defer st.Close()
		p, err := st.Period(context.Background(), "P")
		must(t, err)
		cs, err := st.Corrections(context.Background(), p.ID)
		must(t, err)
		for _, c := range cs {
			sum += c.Points
		}
		return len(cs), sum
	}
	// 12 + 9 = 21 points for DINKES in one file: above 20, all refused.
	code, out := f.run(t, "import", "corrections", "--period", "P", f.files["corrections.csv"])
	if code == 0 || !strings.Contains(out, "batas koreksi periode ini 20,0 poin") || !strings.Contains(out, "DINKES: 0,0 poin tercatat + 21,0 baru = 21,0, melebihi batas 20,0 poin") {
		t.Errorf("21 points in one file: exit %d\n%s", code, out)
	}
	if n, _ := stored(); n != 0 {
		t.Fatalf("%d corrections stored from a refused file", n)
	}
	// 12 points set, then a file adding 9 more: refused, naming what is recorded.
	if code, out := f.run(t, "correction", "set", "--period", "P", "--unit", "DINKES", "--points", "12", "--reason", "Pengaduan"); code != 0 {
		t.Fatalf("12 points refused: %s", out)
	}
	nine := filepath.Join(f.dir, "nine.csv")
	must(t, os.WriteFile(nine, []byte("unit,points,reason\nDINKES,9,Kasus hukum\nDISDIK,5,Temuan\n"), 0o600))
	code, out = f.run(t, "import", "corrections", "--period", "P", nine, "--lang", "en")
	if code == 0 || !strings.Contains(out, "DINKES: 12.0 points recorded + 9.0 new = 21.0, above the cap of 20.0 points") || strings.Contains(out, "DISDIK:") {
		t.Errorf("12 recorded + 9: exit %d\n%s", code, out)
	}
	if n, sum := stored(); n != 1 || sum != 12 {
		t.Fatalf("after the refusal: %d corrections, %v points; want the 12 set before", n, sum)
	}
	// correction set replaces the unit's items: 20 is allowed, 20.5 is not.
	if code, out := f.run(t, "correction", "set", "--period", "P", "--unit", "DINKES", "--points", "20.5", "--reason", "x"); code == 0 || !strings.Contains(out, "20,5 baru") {
		t.Errorf("20.5 points set: exit %d %s", code, out)
	}
	if code, out := f.run(t, "correction", "set", "--period", "P", "--unit", "DINKES", "--points", "20", "--reason", "x"); code != 0 {
		t.Errorf("20 points (the cap) refused: %s", out)
	}
	if n, sum := stored(); n != 1 || sum != 20 {
		t.Fatalf("after setting 20: %d corrections, %v points", n, sum)
	}
	// Within the cap, the import is accepted.
	five := filepath.Join(f.dir, "five.csv")
	must(t, os.WriteFile(five, []byte("unit,points,reason\nDISDIK,5,Temuan\n"), 0o600))
	if code, out := f.run(t, "import", "corrections", "--period", "P", five); code != 0 || !strings.Contains(out, "1 butir koreksi diimpor ke P") {
		t.Errorf("5 points for DISDIK: exit %d %s", code, out)
	}
}
