package survey_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"integritas/survey"
)

// readDB runs one query on a separate read-only connection to the file.
func readDB(t testing.TB, f *fixture, q string, dst ...any) error {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+f.st.Path()+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	return db.QueryRow(q).Scan(dst...)
}

func answers(t testing.TB, in *survey.Instrument, typ string) survey.Answers {
	t.Helper()
	a, probs := in.ParseAnswers(typ, map[string]string{"T01": "4", "SOS01": "3", "SOS02": "5", "X01": "lebih cepat"})
	if len(probs) > 0 {
		t.Fatalf("answers: %v", probs)
	}
	return a
}

func newCommitter(t testing.TB, f *fixture) *survey.Committer {
	t.Helper()
	c, err := f.st.NewCommitter(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// submit stores one invitation response through a committer of its own.
func submit(t testing.TB, f *fixture, token, unit, typ string) {
	t.Helper()
	c := newCommitter(t, f)
	if err := c.Submit(context.Background(), invitationSub(t, f, token, unit, typ)); err != nil {
		t.Fatal(err)
	}
}

func invitationSub(t testing.TB, f *fixture, token, unit, typ string) *survey.Submission {
	t.Helper()
	hash, err := survey.TokenHash(token)
	if err != nil {
		t.Fatal(err)
	}
	u, err := f.st.Unit(context.Background(), f.p.ID, unit)
	if err != nil {
		t.Fatal(err)
	}
	return &survey.Submission{TokenHash: hash, Response: survey.NewResponse{PeriodID: f.p.ID, UnitID: u.ID, Type: typ,
		Channel: survey.ChannelInvitation, Duration: 300, Lang: "id", Answers: answers(t, f.p.Instrument, typ)}}
}

func TestCommitterExactlyOnce(t *testing.T) {
	f := newFixture(t)
	c := newCommitter(t, f)
	tok := f.invite(t, "A", survey.Internal, 1)[0].Token
	const n = 50
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = c.Submit(context.Background(), invitationSub(t, f, tok, "A", survey.Internal)) })
	}
	wg.Wait()
	ok, used := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, survey.ErrUsed):
			used++
		default:
			t.Errorf("unexpected error %v", err)
		}
	}
	if ok != 1 || used != n-1 {
		t.Errorf("%d stored, %d told used; want 1 and %d", ok, used, n-1)
	}
	var rows, texts int
	readDB(t, f, "SELECT count(*), (SELECT count(*) FROM text_answers) FROM responses", &rows, &texts)
	if rows != 1 || texts != 1 {
		t.Errorf("%d response rows and %d texts, want 1 and 1", rows, texts)
	}
	st := c.Stats()
	if st.Stored != 1 || st.Refused != n-1 || st.Failed != 0 || st.Queued != 0 || st.Batches == 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestCommitterRefusals(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	c := newCommitter(t, f)
	toks := f.invite(t, "A", survey.Internal, 3)
	unknown, _ := survey.NewToken()
	uA, _ := f.st.Unit(ctx, f.p.ID, "A")
	uC, _ := f.st.Unit(ctx, f.q.ID, "C")
	open := func(period, unit int64) *survey.Submission {
		return &survey.Submission{Response: survey.NewResponse{PeriodID: period, UnitID: unit, Type: survey.External,
			Channel: survey.ChannelOpen, Duration: -1, DeviceHash: bytes.Repeat([]byte{7}, 32), Answers: answers(t, f.p.Instrument, survey.External)}}
	}
	wrongType := invitationSub(t, f, toks[1].Token, "A", survey.Internal)
	wrongType.Response.Type = survey.Expert
	cases := []struct {
		name string
		sub  *survey.Submission
		err  error
	}{
		{"unknown token", invitationSub(t, f, unknown, "A", survey.Internal), survey.ErrNotFound},
		{"token used for another type", wrongType, survey.ErrNotFound},
		{"open link", open(f.p.ID, uA.ID), nil},
		{"unit of another period", open(f.p.ID, uC.ID), survey.ErrClosed},
		{"period not open", open(f.q.ID, uC.ID), survey.ErrClosed},
		{"invitation", invitationSub(t, f, toks[0].Token, "A", survey.Internal), nil},
		{"same invitation again", invitationSub(t, f, toks[0].Token, "A", survey.Internal), survey.ErrUsed},
	}
	for _, cs := range cases {
		t.Run(cs.name, func(t *testing.T) {
			err := c.Submit(ctx, cs.sub)
			if (cs.err == nil) != (err == nil) || (cs.err != nil && !errors.Is(err, cs.err)) {
				t.Errorf("err = %v, want %v", err, cs.err)
			}
		})
	}
	var rows int
	var dev []byte
	readDB(t, f, "SELECT count(*), max(device_hash) FROM responses", &rows, &dev)
	if rows != 2 || len(dev) != 32 {
		t.Errorf("%d rows (device %x), want 2", rows, dev)
	}
	if inv, _ := f.st.InvitationByToken(ctx, toks[1].Token); inv.Used {
		t.Error("a refused submission marked its invitation used")
	}
	t.Run("closed after", func(t *testing.T) {
		if err := f.st.SetPeriodStatus(ctx, "P", survey.StatusClosed); err != nil {
			t.Fatal(err)
		}
		err := c.Submit(ctx, invitationSub(t, f, toks[2].Token, "A", survey.Internal))
		if !errors.Is(err, survey.ErrClosed) {
			t.Errorf("err = %v, want ErrClosed", err)
		}
		if inv, _ := f.st.InvitationByToken(ctx, toks[2].Token); inv.Used {
			t.Error("a submission to a closed period used up its invitation")
		}
	})
}

// TestCommitterFailsAlone sends, among good submissions, one that fails
// after it has written (its text breaks a CHECK after the invitation was
// marked used): it alone fails, its invitation stays unused, the rest are
// stored.
func TestCommitterFailsAlone(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	c := newCommitter(t, f)
	toks := f.invite(t, "A", survey.Internal, 8)
	bad := 3
	errs := make([]error, len(toks))
	var wg sync.WaitGroup
	for i, tok := range toks {
		sub := invitationSub(t, f, tok.Token, "A", survey.Internal)
		if i == bad {
			sub.Response.Answers.Texts = map[string]string{"X01": strings.Repeat("ä", survey.MaxTextLen+1)}
		}
		wg.Go(func() { errs[i] = c.Submit(ctx, sub) })
	}
	wg.Wait()
	for i, err := range errs {
		if (i == bad) != (err != nil) {
			t.Errorf("submission %d: %v", i, err)
		}
	}
	var rows int
	readDB(t, f, "SELECT count(*) FROM responses", &rows)
	if rows != len(toks)-1 {
		t.Errorf("%d responses stored, want %d", rows, len(toks)-1)
	}
	if inv, _ := f.st.InvitationByToken(ctx, toks[bad].Token); inv.Used {
		t.Error("the failed submission used up its invitation")
	}
	if st := c.Stats(); st.Failed != 1 || st.Stored != uint64(len(toks)-1) {
		t.Errorf("stats %+v", st)
	}
}

func TestCommitterClose(t *testing.T) {
	f := newFixture(t)
	c, err := f.st.NewCommitter(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 20)
	for i := range errs {
		wg.Go(func() {
			errs[i] = c.Submit(context.Background(), &survey.Submission{Response: survey.NewResponse{PeriodID: f.p.ID, UnitID: 1,
				Type: survey.External, Channel: survey.ChannelOpen, Duration: -1, Answers: answers(t, f.p.Instrument, survey.External)}})
		})
	}
	wg.Wait()
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Errorf("second close: %v", err)
	}
	for _, err := range errs {
		if err != nil {
			t.Errorf("submit before close: %v", err)
		}
	}
	if err := c.Submit(context.Background(), &survey.Submission{}); !errors.Is(err, survey.ErrCommitterClosed) {
		t.Errorf("submit after close: %v", err)
	}
}

// TestCommitterCloseWhileSubmitting closes the committer while submitters
// keep coming, some committing their own submission (the writer idle),
// some queued behind a batch: every submission told nil is stored, and
// every other one was refused as closed and stored nothing.
func TestCommitterCloseWhileSubmitting(t *testing.T) {
	f := newFixture(t)
	c, err := f.st.NewCommitter(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var acked sync.Map
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := 0; ; i++ {
				err := c.Submit(context.Background(), &survey.Submission{Response: survey.NewResponse{PeriodID: f.p.ID, UnitID: 1,
					Type: survey.External, Channel: survey.ChannelOpen, Duration: -1, Answers: answers(t, f.p.Instrument, survey.External)}})
				switch {
				case err == nil:
					acked.Store([2]int{g, i}, true)
				case errors.Is(err, survey.ErrCommitterClosed):
					return
				default:
					t.Errorf("submit: %v", err)
					return
				}
			}
		})
	}
	time.Sleep(50 * time.Millisecond)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	n := 0
	acked.Range(func(any, any) bool { n++; return true })
	var rows, pooled int
	readDB(t, f, "SELECT (SELECT count(*) FROM responses), (SELECT count(*) FROM response_pool)", &rows, &pooled)
	if n == 0 || rows+pooled != n {
		t.Errorf("%d acknowledged, %d stored (%d released, %d pooled); want equal and some", n, rows+pooled, rows, pooled)
	}
	if st := c.Stats(); st.Stored != uint64(n) || st.Queued != 0 {
		t.Errorf("stats %+v, want %d stored and none queued", st, n)
	}
}

// TestAnonymousSchema guards spi-method.md §8 at the schema: a response row
// has no column, and no foreign key, that could join it to an invitation, a
// roster row, an address or an exact time.
func TestAnonymousSchema(t *testing.T) {
	f := newFixture(t)
	db, err := sql.Open("sqlite3", "file:"+f.st.Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	allowed := map[string]bool{"id": true, "period_id": true, "unit_id": true, "respondent_type": true, "channel": true,
		"submitted_hour": true, "hour_sealed": true, "duration_seconds": true, "lang": true, "device_hash": true, "stratum": true, "answers": true}
	for _, table := range []string{"responses", "text_answers"} {
		rows, err := db.Query("SELECT name FROM pragma_table_info(?)", table)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var col string
			rows.Scan(&col)
			bad := false
			for _, w := range []string{"token", "invitation", "roster", "ip", "email", "contact", "_at", "time", "user"} {
				bad = bad || strings.Contains(col, w)
			}
			if table == "responses" && !allowed[col] || bad {
				t.Errorf("%s.%s could identify a respondent", table, col)
			}
		}
		rows.Close()
		fks, _ := db.Query("SELECT \"table\" FROM pragma_foreign_key_list(?)", table)
		for fks.Next() {
			var ref string
			fks.Scan(&ref)
			if ref != "periods" && ref != "units" && ref != "responses" {
				t.Errorf("%s refers to %s", table, ref)
			}
		}
		fks.Close()
	}
	// And nothing refers to a response except its texts.
	rows, _ := db.Query(`SELECT m.name FROM sqlite_master m, pragma_foreign_key_list(m.name) k WHERE m.type = 'table' AND k."table" = 'responses'`)
	defer rows.Close()
	for rows.Next() {
		var name string
		rows.Scan(&name)
		if name != "text_answers" {
			t.Errorf("table %s refers to responses", name)
		}
	}
}

// Another process holding the write lock past the busy timeout (a large
// paper import) delays a submission; it must not fail it.
func TestCommitterWaitsOutAnotherWriter(t *testing.T) {
	f := newFixture(t)
	c := newCommitter(t, f)
	tok := f.invite(t, "A", survey.Internal, 1)[0].Token
	other, err := sql.Open("sqlite3", "file:"+f.st.Path()+"?_busy_timeout=100")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	other.SetMaxOpenConns(1)
	tx, err := other.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("INSERT INTO audit_log (at, actor, action) VALUES ('x', 'import', 'import.responses')"); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- c.Submit(context.Background(), invitationSub(t, f, tok, "A", survey.Internal)) }()
	select {
	case err := <-done:
		t.Fatalf("submission finished while another writer held the lock: %v", err)
	case <-time.After(5500 * time.Millisecond): // past the 5 s busy timeout
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("submission failed after the other writer finished: %v", err)
	}
	var rows int
	readDB(t, f, "SELECT count(*) FROM responses", &rows)
	if rows != 1 {
		t.Errorf("%d responses stored, want 1", rows)
	}
}

// A full queue turns a submission away at once (ErrCommitterBusy) and
// stores nothing of it; the invitation stays unused, so the respondent can
// send the same answers again. Those already queued are committed.
func TestCommitterBusyWhenQueueFull(t *testing.T) {
	f := newFixture(t)
	c := newCommitter(t, f)
	toks := f.invite(t, "A", survey.Internal, 3)
	release := survey.HoldWriter(c, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() {
			errs[i] = c.Submit(context.Background(), invitationSub(t, f, toks[i].Token, "A", survey.Internal))
		})
	}
	for c.Stats().Queued < 2 {
		time.Sleep(time.Millisecond)
	}
	if err := c.Submit(context.Background(), invitationSub(t, f, toks[2].Token, "A", survey.Internal)); !errors.Is(err, survey.ErrCommitterBusy) {
		t.Fatalf("a submission past a full queue: %v, want ErrCommitterBusy", err)
	}
	release()
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("queued submission %d: %v", i, err)
		}
	}
	if st := c.Stats(); st.Busy != 1 || st.Stored != 2 {
		t.Errorf("stats %+v: want 1 busy, 2 stored", st)
	}
	// The turned-away invitation is unused: sent again, it is stored.
	if err := c.Submit(context.Background(), invitationSub(t, f, toks[2].Token, "A", survey.Internal)); err != nil {
		t.Fatalf("the turned-away answers sent again: %v", err)
	}
	var rows, pooled int
	readDB(t, f, "SELECT (SELECT count(*) FROM responses), (SELECT count(*) FROM response_pool)", &rows, &pooled)
	if rows+pooled != 3 {
		t.Errorf("%d stored (%d released, %d pooled), want 3", rows+pooled, rows, pooled)
	}
}
