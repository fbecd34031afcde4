package survey

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"
)

// Decisions are recorded per unit with who, when and why, audited in the
// same transaction, revoked without being deleted, and refused for a closed
// period or a unit outside the period.
func TestDecisionsRecordedAndRevoked(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	p := newPeriod(t, st, "P")
	add := func(d Decision) (int64, error) {
		d.PeriodID = p.ID
		d.DecidedBy = "inspektur@example.go.id"
		return st.AddDecision(ctx, d)
	}
	ex, err := add(Decision{UnitCode: "DINKES", Type: "internal", Action: DecisionExcludeFlag, Flag: "speeder", Reason: "Terlalu cepat"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := add(Decision{UnitCode: "DISDIK", Action: DecisionCorrection, Points: 2.5, Reason: "Pengkondisian terbukti"}); err != nil {
		t.Fatal(err)
	}
	if _, err := add(Decision{UnitCode: "PKM1", Action: DecisionWithhold, Reason: "Ditangguhkan: pengkondisian"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		d    Decision
		want error
	}{
		{"unknown unit", Decision{UnitCode: "NOPE", Action: DecisionKeep, Cluster: "c1", Reason: "x"}, ErrNotFound},
		{"exclude_flag without flag", Decision{UnitCode: "DINKES", Action: DecisionExcludeFlag, Reason: "x"}, nil},
		{"cluster without key", Decision{UnitCode: "DINKES", Action: DecisionExcludeCluster, Reason: "x"}, nil},
		{"no reason", Decision{UnitCode: "DINKES", Action: DecisionWithhold}, nil},
		{"unknown action", Decision{UnitCode: "DINKES", Action: "drop", Reason: "x"}, nil},
	} {
		_, err := add(c.d)
		if err == nil || c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("%s: err %v, want %v", c.name, err, c.want)
		}
	}
	if err := st.RevokeDecision(ctx, p.ID, ex, "analis@example.go.id", "Salah unit"); err != nil {
		t.Fatal(err)
	}
	if err := st.RevokeDecision(ctx, p.ID, ex, "analis@example.go.id", "again"); !errors.Is(err, ErrNotFound) {
		t.Errorf("revoking twice: %v", err)
	}
	ds, err := st.Decisions(ctx, p.ID)
	if err != nil || len(ds) != 3 {
		t.Fatalf("decisions %+v, %v", ds, err)
	}
	if d := ds[0]; d.Active(testClock) || d.RevokedBy != "analis@example.go.id" || d.RevokeReason != "Salah unit" || d.Flag != "speeder" || d.Type != "internal" {
		t.Errorf("revoked: %+v", d)
	}
	if d := ds[1]; !d.Active(testClock) || d.Points != 2.5 || d.CorrectionID == 0 || d.DecidedAt != testClock.Truncate(1e9) {
		t.Errorf("correction decision: %+v", d)
	}
	if n := count(t, st, `SELECT count(*) FROM corrections WHERE kind = 'survey_integrity' AND points = 2.5`); n != 1 {
		t.Errorf("%d survey-integrity corrections entered", n)
	}
	if n := count(t, st, `SELECT count(*) FROM audit_log WHERE action LIKE 'quality.decision%' AND actor LIKE '%@example.go.id'`); n != 4 {
		t.Errorf("%d audit entries, want 3 decisions and 1 revocation", n)
	}
	// A closed period's figures are frozen: no decision, no revocation.
	st.SetPeriodStatus(ctx, "P", StatusOpen)
	st.SetPeriodStatus(ctx, "P", StatusClosed)
	if _, err := add(Decision{UnitCode: "DINKES", Action: DecisionWithhold, Reason: "x"}); !errors.Is(err, ErrClosed) {
		t.Errorf("closed period: %v", err)
	}
	if err := st.RevokeDecision(ctx, p.ID, ds[1].ID, "x", "y"); !errors.Is(err, ErrClosed) {
		t.Errorf("closed period revoke: %v", err)
	}
}

// Migration 0014 retires the v1 per-response choices: each one is kept word
// for word in the audit log before flag_decisions goes.
func TestMigration0014KeepsV1Decisions(t *testing.T) {
	ctx := context.Background()
	st := newSQLiteStore(t)
	p := newPeriod(t, st, "P")
	units, _ := st.Units(ctx, p.ID)
	a, _ := p.Instrument.ParseAnswers("internal", map[string]string{"T01": "4", "SOS01": "5", "SOS02": "4"})
	if err := st.InsertResponses(ctx, []NewResponse{{PeriodID: p.ID, UnitID: units[0].ID, Type: "internal", Channel: ChannelPaper,
		Submitted: testClock, Duration: -1, Lang: "id", Answers: a}}); err != nil {
		t.Fatal(err)
	}
	body, err := fs.ReadFile(migrations, "migrations/0014_quality_decisions.sql")
	if err != nil {
		t.Fatal(err)
	}
	// Back to the schema before 0014, with one v1 decision in it.
	for _, q := range []string{`DROP TABLE quality_decisions`, `CREATE TABLE flag_decisions (
		response_id INTEGER PRIMARY KEY REFERENCES responses(id) ON DELETE CASCADE,
		include INTEGER NOT NULL, note TEXT NOT NULL DEFAULT '', decided_by TEXT NOT NULL, decided_at TEXT NOT NULL)`,
		`INSERT INTO flag_decisions SELECT id, 0, 'isian kilat', 'analis@example.go.id', '2026-06-01T10:11:12Z' FROM responses`,
		string(body)} {
		if _, err := st.w.ExecContext(ctx, q); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
	var target, detail string
	if err := st.w.QueryRow(`SELECT target, detail FROM audit_log WHERE action = 'quality.decision.retired'`).Scan(&target, &detail); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(target, "period:P/response:") || detail != "exclude by analis@example.go.id at 2026-06-01T10:11:12Z: isian kilat" {
		t.Errorf("retired decision: %q %q", target, detail)
	}
	if n := count(t, st, `SELECT count(*) FROM sqlite_master WHERE name = 'flag_decisions'`); n != 0 {
		t.Error("flag_decisions is still there")
	}
}
