package survey

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenCreatesPrivateFileAndMigrates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	st, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("database mode %v, want 0600", fi.Mode().Perm())
	}
	v, err := st.SchemaVersion(context.Background())
	if err != nil || v < 1 {
		t.Fatalf("schema version %d, %v", v, err)
	}
	var journal string
	st.w.QueryRow("PRAGMA journal_mode").Scan(&journal)
	var sync, fk int
	st.w.QueryRow("PRAGMA synchronous").Scan(&sync)
	st.w.QueryRow("PRAGMA foreign_keys").Scan(&fk)
	if journal != "wal" || sync != 2 || fk != 1 {
		t.Errorf("pragmas: journal %s synchronous %d foreign_keys %d; want wal, 2 (FULL), 1", journal, sync, fk)
	}
	if err := st.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The read pool must refuse writes.
	if _, err := st.r.Exec("DELETE FROM periods"); err == nil {
		t.Error("read pool accepted a write")
	}
	// Reopening applies nothing twice.
	st.Close()
	st2, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	st2.Close()
}

func TestPeriodLifecycle(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	p, err := st.CreatePeriod(ctx, NewPeriod{Code: "SPI-2026", Name: "SPI 2026", Instrument: defaultInstrument(t),
		Settings: json.RawMessage(`{"min_group": 6}`), OpensOn: "2026-06-01", ClosesOn: "2026-07-31"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != StatusDraft || p.Instrument == nil || len(p.DeviceSalt) != 32 || string(p.Settings) != `{"min_group": 6}` {
		t.Fatalf("created period: %+v", p)
	}
	if _, err := st.CreatePeriod(ctx, NewPeriod{Code: "SPI-2026", Instrument: defaultInstrument(t)}); !errors.Is(err, ErrConflict) {
		t.Errorf("duplicate code: %v, want ErrConflict", err)
	}
	if _, err := st.Period(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing period: %v", err)
	}
	if err := st.UpdatePeriodSettings(ctx, "SPI-2026", json.RawMessage(`{"min_group": 7}`)); err != nil {
		t.Fatal(err)
	}
	if err := st.SetPeriodStatus(ctx, "SPI-2026", StatusClosed); !errors.Is(err, ErrClosed) {
		t.Errorf("draft → closed: %v, want ErrClosed", err)
	}
	if err := st.SetPeriodStatus(ctx, "SPI-2026", StatusOpen); err != nil {
		t.Fatal(err)
	}
	if err := st.UpdatePeriodSettings(ctx, "SPI-2026", json.RawMessage(`{}`)); !errors.Is(err, ErrClosed) {
		t.Errorf("settings after opening: %v, want locked", err)
	}
	p, _ = st.Period(ctx, "SPI-2026")
	if !p.Accepting(testClock) || p.Accepting(testClock.AddDate(0, 2, 0)) || p.Accepting(testClock.AddDate(0, -1, 0)) {
		t.Error("Accepting ignores the period dates")
	}
	if err := st.SetPeriodStatus(ctx, "SPI-2026", StatusClosed); err != nil {
		t.Fatal(err)
	}
	if err := st.SetPeriodStatus(ctx, "SPI-2026", StatusOpen); !errors.Is(err, ErrClosed) {
		t.Errorf("reopening a closed period: %v", err)
	}
	byID, err := st.PeriodByID(ctx, p.ID)
	if err != nil || byID.Code != "SPI-2026" || byID.Status != StatusClosed {
		t.Fatalf("PeriodByID: %+v %v", byID, err)
	}
	if _, err := st.PeriodByID(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("PeriodByID missing: %v", err)
	}
	ps, err := st.Periods(ctx)
	if err != nil || len(ps) != 1 {
		t.Fatalf("Periods: %d, %v", len(ps), err)
	}
}

func TestInstrumentVersionsAreImmutable(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	def := defaultInstrument(t)
	if _, err := st.CreatePeriod(ctx, NewPeriod{Code: "A", Instrument: def}); err != nil {
		t.Fatal(err)
	}
	// The same definition is shared, not stored twice.
	if _, err := st.CreatePeriod(ctx, NewPeriod{Code: "B", Instrument: def}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, st, "SELECT count(*) FROM instruments"); n != 1 {
		t.Errorf("instruments stored: %d, want 1", n)
	}
	// Other items under the same version are refused: stored answer vectors depend on them.
	changed := strings.Replace(string(def), `"code": "T01"`, `"code": "T99"`, 1)
	if _, err := st.CreatePeriod(ctx, NewPeriod{Code: "C", Instrument: []byte(changed)}); err == nil || !strings.Contains(err.Error(), "raise its version") {
		t.Errorf("changed items under one version: %v", err)
	}
}

func TestUnits(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	p := newPeriod(t, st, "P")
	us, err := st.Units(ctx, p.ID)
	if err != nil || len(us) != 3 {
		t.Fatalf("units: %d %v", len(us), err)
	}
	u, err := st.Unit(ctx, p.ID, "PKM1")
	if err != nil {
		t.Fatal(err)
	}
	if u.ParentCode != "DINKES" || u.Population[Internal] != 30 || u.Population[Expert] != 0 {
		t.Errorf("PKM1: %+v", u)
	}
	u.Name, u.Population[Expert] = "Puskesmas 1", 4
	if err := st.UpdateUnit(ctx, p.ID, u); err != nil {
		t.Fatal(err)
	}
	u, _ = st.Unit(ctx, p.ID, "PKM1")
	if u.Name != "Puskesmas 1" || u.Population[Expert] != 4 {
		t.Errorf("after update: %+v", u)
	}
	if err := st.UpdateUnit(ctx, p.ID, Unit{Code: "NOPE", Name: "x"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("update missing unit: %v", err)
	}
	if _, err := st.Unit(ctx, p.ID, "NOPE"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing unit: %v", err)
	}
	// A parent cycle is refused and changes nothing.
	cyc := "code,name,parent_code,head_email,internal_population,external_population,expert_population\nDINKES,Dinas Kesehatan,PKM1,,,,\n"
	if _, err := st.ImportUnitsCSV(ctx, p, "c.csv", strings.NewReader(cyc)); err == nil {
		t.Error("cycle accepted")
	}
	u, _ = st.Unit(ctx, p.ID, "DINKES")
	if u.ParentCode != "" || u.Population[Internal] != 120 {
		t.Errorf("DINKES changed by a refused import: %+v", u)
	}
	// An unknown parent is refused.
	orphan := "code,name,parent_code,head_email,internal_population,external_population,expert_population\nX,X,NOPE,,,,\n"
	if _, err := st.ImportUnitsCSV(ctx, p, "o.csv", strings.NewReader(orphan)); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown parent: %v", err)
	}
}

func TestResponsesRoundTrip(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	p := newPeriod(t, st, "P")
	u, _ := st.Unit(ctx, p.ID, "DINKES")
	a, probs := p.Instrument.ParseAnswers(Internal, map[string]string{"T01": "4", "SOS01": "5", "SOS02": "3", "IT04": "ya", "X01": "Layanan <b>lambat</b>", "golongan": "III"})
	if len(probs) > 0 {
		t.Fatalf("problems: %+v", probs)
	}
	in := []NewResponse{
		{PeriodID: p.ID, UnitID: u.ID, Type: Internal, Channel: ChannelInvitation, Submitted: testClock, Duration: 300, Lang: "en", Answers: a},
		{PeriodID: p.ID, UnitID: u.ID, Type: External, Channel: ChannelOpen, Submitted: testClock, Duration: -1, DeviceHash: make([]byte, 32),
			Answers: Answers{Vector: make([]byte, len(p.Instrument.Items))}},
	}
	if err := st.InsertResponses(ctx, in); err != nil {
		t.Fatal(err)
	}
	var got []StoredResponse
	err := st.EachResponse(ctx, p.ID, func(r *StoredResponse) error {
		c := *r
		c.Answers = append([]byte(nil), r.Answers...)
		c.DeviceHash = append([]byte(nil), r.DeviceHash...)
		got = append(got, c)
		return nil
	})
	if err != nil || len(got) != 2 {
		t.Fatalf("EachResponse: %d %v", len(got), err)
	}
	r := got[0]
	_, i, _ := p.Instrument.Item("T01")
	if r.Type != Internal || r.Duration != 300 || r.Lang != "en" || r.Stratum != "III" || r.Answers[i] != 4 || !r.Hour.Equal(testClock.Truncate(3600e9)) {
		t.Errorf("stored response: %+v", r)
	}
	if got[1].Duration != -1 || len(got[1].DeviceHash) != 32 {
		t.Errorf("second response: %+v", got[1])
	}
	var hour string
	st.w.QueryRow("SELECT submitted_hour FROM responses WHERE id = ?", r.ID).Scan(&hour)
	if hour != "2026-06-15T09" {
		t.Errorf("submitted hour %q keeps more than the hour", hour)
	}
	counts, err := st.ResponseCounts(ctx, p.ID)
	if err != nil || counts[u.ID][Internal] != 1 || counts[u.ID][External] != 1 {
		t.Errorf("counts: %v %v", counts, err)
	}
	texts, err := st.TextAnswers(ctx, p.ID)
	if err != nil || len(texts) != 1 || texts[0].Body != "Layanan <b>lambat</b>" || texts[0].Item != "X01" {
		t.Errorf("texts: %+v %v", texts, err)
	}
	// One bad response fails the whole batch.
	bad := append(in[:1:1], NewResponse{PeriodID: p.ID, UnitID: 9999, Type: Internal, Channel: ChannelPaper, Submitted: testClock, Answers: a})
	if err := st.InsertResponses(ctx, bad); err == nil {
		t.Error("foreign key violation accepted")
	}
	if n := count(t, st, "SELECT count(*) FROM responses"); n != 2 {
		t.Errorf("after a failed batch: %d responses, want 2", n)
	}
}

func TestDatabaseGuardsInvariants(t *testing.T) {
	st := newStore(t)
	p := newPeriod(t, st, "P")
	u, _ := st.Unit(context.Background(), p.ID, "DINKES")
	bad := []struct{ name, q string }{
		{"unknown type", `INSERT INTO responses (period_id, unit_id, respondent_type, channel, submitted_hour, answers) VALUES (?, ?, 'boss', 'open', '2026-06-15T09', x'01')`},
		{"exact time", `INSERT INTO responses (period_id, unit_id, respondent_type, channel, submitted_hour, answers) VALUES (?, ?, 'internal', 'open', '2026-06-15T09:31:02', x'01')`},
		{"empty answers", `INSERT INTO responses (period_id, unit_id, respondent_type, channel, submitted_hour, answers) VALUES (?, ?, 'internal', 'open', '2026-06-15T09', x'')`},
		{"short token hash", `INSERT INTO invitations (period_id, unit_id, respondent_type, token_hash, created_at) VALUES (?, ?, 'internal', x'0102', 'now')`},
		{"negative population", `UPDATE period_units SET internal_population = -1 WHERE period_id = ? AND unit_id = ?`},
		{"correction over 100", `INSERT INTO corrections (period_id, unit_id, points, reason, set_by, set_at) VALUES (?, ?, 101, 'x', 'a', 'b')`},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			if _, err := st.w.Exec(b.q, p.ID, u.ID); err == nil {
				t.Errorf("accepted: %s", b.q)
			}
		})
	}
}

func TestCorrectionsAndAudit(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	p := newPeriod(t, st, "P")
	id, err := st.AddCorrection(ctx, Correction{PeriodID: p.ID, UnitCode: "DINKES", Kind: "complaints", Points: 2.5, Reason: "3 aduan terbukti", SetBy: "insp@example.go.id"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddCorrection(ctx, Correction{PeriodID: p.ID, UnitCode: "NOPE", Points: 1, Reason: "x", SetBy: "a"}); err == nil {
		t.Error("correction for a unit outside the period accepted")
	}
	if err := st.SetCorrection(ctx, Correction{PeriodID: p.ID, UnitCode: "DISDIK", Points: 4, Reason: "SPDP", Kind: "law_enforcement", SetBy: "cli"}); err != nil {
		t.Fatal(err)
	}
	cs, err := st.Corrections(ctx, p.ID)
	if err != nil || len(cs) != 2 || cs[0].UnitCode != "DINKES" || cs[0].Points != 2.5 || cs[0].SetBy != "insp@example.go.id" || !cs[0].SetAt.Equal(testClock) {
		t.Fatalf("corrections: %+v %v", cs, err)
	}
	if err := st.DeleteCorrection(ctx, p.ID, id); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteCorrection(ctx, p.ID, id); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	if err := st.Audit(ctx, "cli", "period.create", "period:P", "x"); err != nil {
		t.Fatal(err)
	}
	st.Audit(ctx, "a@b.c", "export.results", "period:P", "")
	log, err := st.AuditLog(ctx, "period.", 0)
	if err != nil || len(log) != 1 || log[0].Actor != "cli" {
		t.Fatalf("audit log: %+v %v", log, err)
	}
	if _, err := st.w.Exec("UPDATE audit_log SET actor = 'x'"); err == nil {
		t.Error("audit log accepted an update")
	}
	if _, err := st.w.Exec("DELETE FROM audit_log"); err == nil {
		t.Error("audit log accepted a delete")
	}
}

func TestRoster(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	p := newPeriod(t, st, "P")
	csv := "unit,type,name,email,phone,grade,years_institution,years_unit,role\n" +
		"DINKES,internal,Siti Rahma,siti@example.go.id,,III,5,2,staf\n" +
		"DINKES,internal,Budi,budi@example.go.id,,IV,1,1,staf\n" +
		"DINKES,,Andi,,0812-3456,III,10,0.5,staf\n" +
		"DINKES,internal,Kepala Dinas,,,,20,3,kepala\n" +
		"DISDIK,expert,Prof. Ahmad,ahmad@univ.ac.id,,,,,\n"
	n, warnings, err := st.ImportRosterCSV(ctx, p, "roster.csv", strings.NewReader(csv))
	if err != nil || n != 5 {
		t.Fatalf("import: %d %v", n, err)
	}
	if len(warnings) != 3 || !strings.HasPrefix(warnings[0].Error(), "roster.csv:3: Budi") || !strings.Contains(warnings[2].Error(), "unit head") {
		t.Errorf("warnings: %q", warnings)
	}
	all, err := st.Roster(ctx, p.ID, 0, "")
	if err != nil || len(all) != 5 {
		t.Fatalf("roster: %d %v", len(all), err)
	}
	u, _ := st.Unit(ctx, p.ID, "DINKES")
	internal, _ := st.Roster(ctx, p.ID, u.ID, Internal)
	if len(internal) != 4 || *internal[0].YearsInstitution != 5 {
		t.Errorf("DINKES internal: %+v", internal)
	}
	strata, err := st.StrataCounts(ctx, p.ID)
	if err != nil || strata["DINKES"]["III"] != 1 || strata["DINKES"]["IV"] != 0 {
		t.Errorf("strata (frame-excluded rows must not count): %v %v", strata, err)
	}
	// Re-importing a unit's roster replaces it.
	if _, _, err := st.ImportRosterCSV(ctx, p, "r2.csv", strings.NewReader("unit,name\nDINKES,Satu\n")); err != nil {
		t.Fatal(err)
	}
	internal, _ = st.Roster(ctx, p.ID, u.ID, Internal)
	if len(internal) != 1 {
		t.Errorf("after re-import: %d rows", len(internal))
	}
	if _, _, err := st.ImportRosterCSV(ctx, p, "r3.csv", strings.NewReader("unit,name\nNOPE,Satu\n")); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown unit: %v", err)
	}
}

// Exports read responses in an order unrelated to submission order.
func TestEachResponseBlindHidesSubmissionOrder(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	p := newPeriod(t, st, "P")
	u, _ := st.Unit(ctx, p.ID, "DINKES")
	var rs []NewResponse
	for _, v := range []string{"5", "3", "4", "1", "2"} { // submitted in this order
		a, _ := p.Instrument.ParseAnswers(Internal, map[string]string{"T01": v, "SOS01": "3", "SOS02": "3"})
		rs = append(rs, NewResponse{PeriodID: p.ID, UnitID: u.ID, Type: Internal, Channel: ChannelPaper, Submitted: testClock, Duration: 60, Answers: a})
	}
	if err := st.InsertResponses(ctx, rs); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	var firsts []byte
	err := st.EachResponseBlind(ctx, p.ID, func(r *StoredResponse) error {
		ids = append(ids, r.ID)
		firsts = append(firsts, r.Answers[0])
		return nil
	})
	if err != nil || string(firsts) != "\x01\x02\x03\x04\x05" {
		t.Fatalf("blind order by answers: %v %v", firsts, err)
	}
	if ids[0] == 1 && ids[1] == 2 {
		t.Errorf("blind order follows ids: %v", ids)
	}
}
