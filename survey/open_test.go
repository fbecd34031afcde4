package survey_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"sync"
	"testing"
	"time"

	"integritas/survey"
)

// openSub is an open-link submission of unit A with a form nonce and a
// device tag.
func openSub(t testing.TB, f *fixture, nonce, dev byte, cap int) *survey.Submission {
	t.Helper()
	u, err := f.st.Unit(context.Background(), f.p.ID, "A")
	if err != nil {
		t.Fatal(err)
	}
	return &survey.Submission{
		Response: survey.NewResponse{PeriodID: f.p.ID, UnitID: u.ID, Type: survey.External, Channel: survey.ChannelOpen,
			Duration: 60, Lang: "id", Answers: answers(t, f.p.Instrument, survey.External), DeviceHash: bytes.Repeat([]byte{dev}, 32)},
		Open: &survey.OpenCheck{Nonce: bytes.Repeat([]byte{nonce}, 16), Expires: f.now.Add(time.Hour), DeviceCap: cap},
	}
}

// TestOpenNonceOnce: fifty copies of one signed form at once, through the
// one committer: exactly one is stored, the rest are refused as replayed,
// and a refusal writes nothing.
func TestOpenNonceOnce(t *testing.T) {
	f := newFixture(t)
	c := newCommitter(t, f)
	const n = 50
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = c.Submit(context.Background(), openSub(t, f, 1, byte(i), 0)) })
	}
	wg.Wait()
	stored, replayed := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			stored++
		case errors.Is(err, survey.ErrReplayed):
			replayed++
		default:
			t.Errorf("unexpected: %v", err)
		}
	}
	if stored != 1 || replayed != n-1 {
		t.Fatalf("%d stored, %d replayed; want 1 and %d", stored, replayed, n-1)
	}
	var rows, devs, nonces, counted int
	readDB(t, f, `SELECT (SELECT count(*) FROM responses), (SELECT count(*) FROM open_device_days), (SELECT count(*) FROM open_nonces),
		(SELECT COALESCE(sum(n), 0) FROM open_link_counts WHERE outcome = 'stored')`, &rows, &devs, &nonces, &counted)
	if rows != 1 || devs != 1 || nonces != 1 || counted != 1 {
		t.Errorf("responses %d, device days %d, nonces %d, stored count %d; want 1 each", rows, devs, nonces, counted)
	}
	if st := c.Stats(); st.Refused != n-1 {
		t.Errorf("committer refused %d, want %d", st.Refused, n-1)
	}
}

// TestOpenDeviceCap: a device stores at most its cap per unit and day; the
// next day, or another device, starts again.
func TestOpenDeviceCap(t *testing.T) {
	f := newFixture(t)
	c := newCommitter(t, f)
	ctx := context.Background()
	for i, want := range []error{nil, nil, survey.ErrCapped, survey.ErrCapped} {
		if err := c.Submit(ctx, openSub(t, f, byte(10+i), 7, 2)); !errors.Is(err, want) && (want != nil || err != nil) {
			t.Errorf("answer %d of device 7: %v, want %v", i+1, err, want)
		}
	}
	if err := c.Submit(ctx, openSub(t, f, 20, 8, 2)); err != nil {
		t.Errorf("another device: %v", err)
	}
	if err := c.Submit(ctx, openSub(t, f, 12, 7, 0)); err != nil {
		t.Errorf("a capped answer's nonce was used up, or the cap applied with none set: %v", err)
	}
	f.now = f.now.Add(24 * time.Hour)
	if err := c.Submit(ctx, openSub(t, f, 21, 7, 2)); err != nil {
		t.Errorf("device 7 the next day: %v", err)
	}
	var n int
	readDB(t, f, `SELECT count(*) FROM responses`, &n)
	if n != 5 {
		t.Errorf("%d responses, want 5", n)
	}
	if got, _ := f.st.PruneOpenNonces(ctx, f.now.Add(2*time.Hour)); got != 5 {
		t.Errorf("pruned %d expired nonces, want 5", got)
	}
}

// TestCloseDropsDeviceTraces: closing a period drops every keyed device
// hash and the device counts; exact duplicates keep a fresh tag in common
// (so the duplicate flag is unchanged), nothing else keeps one.
func TestCloseDropsDeviceTraces(t *testing.T) {
	f := newFixture(t)
	c := newCommitter(t, f)
	ctx := context.Background()
	subs := []*survey.Submission{openSub(t, f, 1, 7, 0), openSub(t, f, 2, 7, 0), openSub(t, f, 3, 8, 0), openSub(t, f, 4, 9, 0)}
	other, probs := f.p.Instrument.ParseAnswers(survey.External, map[string]string{"T01": "1", "SOS01": "1", "SOS02": "1"})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	subs[3].Response.DeviceHash, subs[3].Response.Answers = subs[2].Response.DeviceHash, other // device 8 again, other answers
	for _, s := range subs {
		if err := c.Submit(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	old := func(dev byte) int {
		var n int
		db := bytes.Repeat([]byte{dev}, 32)
		if err := readDBArgs(f, `SELECT count(*) FROM responses WHERE device_hash = ?`, []any{db}, &n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if old(7) != 2 || old(8) != 2 {
		t.Fatalf("before close: device 7 on %d, device 8 on %d", old(7), old(8))
	}
	if err := f.st.SetPeriodStatus(ctx, "P", survey.StatusClosed); err != nil {
		t.Fatal(err)
	}
	var tagged, groups, days int
	readDB(t, f, `SELECT count(*), count(DISTINCT device_hash), (SELECT count(*) FROM open_device_days) FROM responses WHERE device_hash IS NOT NULL`, &tagged, &groups, &days)
	if tagged != 2 || groups != 1 || days != 0 {
		t.Errorf("after close: %d tagged responses in %d groups, %d device-day rows; want the 2 duplicates in 1 group, 0 rows", tagged, groups, days)
	}
	if old(7)+old(8) != 0 {
		t.Error("a keyed device hash survived the close")
	}
}

// readDBArgs is readDB with query arguments.
func readDBArgs(f *fixture, q string, args []any, dst ...any) error {
	db, err := sql.Open("sqlite3", "file:"+f.st.Path()+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	return db.QueryRow(q, args...).Scan(dst...)
}
