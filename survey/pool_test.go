package survey_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"integritas/survey"
)

// TestPoolReleasesBatchesOfK follows the pool as shipped (k = 5): answers
// wait, sealed and of one size, until 2k wait; then all but k are released
// under random ids; the close releases the rest and purges drafts.
func TestPoolReleasesBatchesOfK(t *testing.T) {
	ctx := context.Background()
	f := newFixtureWith(t)
	c := newCommitter(t, f)
	toks := f.invite(t, "A", survey.Internal, 12)
	if err := f.st.SaveDraft(ctx, toks[11].Token, f.p.Instrument, survey.Draft{Answers: map[string]string{"X01": "DRAF-TERSEGEL"}}); err != nil {
		t.Fatal(err)
	}
	state := func() (released, pooled, sizes int) {
		readDB(t, f, "SELECT count(*) FROM responses", &released)
		readDB(t, f, "SELECT count(*), count(DISTINCT length(sealed)) FROM response_pool", &pooled, &sizes)
		return
	}
	for i := range 10 {
		sub := invitationSub(t, f, toks[i].Token, "A", survey.Internal)
		sub.Response.Answers.Texts = map[string]string{"X01": fmt.Sprintf("JAWABAN-%02d %s", i, strings.Repeat("panjang ", i*50))}
		if err := c.Submit(ctx, sub); err != nil {
			t.Fatal(err)
		}
		released, pooled, sizes := state()
		want := 0
		if i == 9 {
			want = 5
		}
		if released != want || released+pooled != i+1 || sizes != 1 {
			t.Fatalf("after %d answers: %d released, %d pooled in %d sizes; want %d released, all of one size", i+1, released, pooled, sizes, want)
		}
	}
	raw, _ := os.ReadFile(f.st.Path())
	wal, _ := os.ReadFile(f.st.Path() + "-wal")
	for _, b := range [][]byte{raw, wal} {
		if strings.Contains(string(b), "DRAF-TERSEGEL") {
			t.Error("a draft's words are readable in the database")
		}
	}
	var maxID int64
	readDB(t, f, "SELECT max(id) FROM responses", &maxID)
	if maxID < 1<<20 {
		t.Errorf("largest response id %d: ids look sequential", maxID)
	}
	if err := f.st.SetPeriodStatus(ctx, "P", survey.StatusClosed); err != nil {
		t.Fatal(err)
	}
	released, pooled, _ := state()
	var drafts int
	readDB(t, f, "SELECT count(*) FROM sealed_drafts", &drafts)
	if released != 10 || pooled != 0 || drafts != 0 {
		t.Errorf("after the close: %d released, %d pooled, %d drafts; want 10, 0, 0", released, pooled, drafts)
	}
}

// TestForeignKeyFileRefused opens a database with another database's key
// file: refused, where a new key would have made its pool unreadable.
func TestForeignKeyFileRefused(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, n := range []string{"a.db", "b.db"} {
		st, err := survey.Open(ctx, filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		st.Close()
	}
	_, err := survey.Open(ctx, filepath.Join(dir, "a.db"), survey.WithKeyFile(filepath.Join(dir, "b.db.key")))
	if !errors.Is(err, survey.ErrKeyFile) || !strings.Contains(err.Error(), "does not belong to this database") {
		t.Errorf("open with a foreign key file: %v", err)
	}
	if err := survey.CheckKeyFile(ctx, filepath.Join(dir, "a.db"), filepath.Join(dir, "a.db.key")); err != nil {
		t.Errorf("its own key file: %v", err)
	}
}

// TestPoolRowsOneSizeWhateverTheAnswers submits the smallest and the
// largest answers an internal respondent can give — texts at MaxTextLen
// bytes, of the characters JSON would have escaped six bytes wide — and
// finds every pool row of one size, which the release reads back intact.
func TestPoolRowsOneSizeWhateverTheAnswers(t *testing.T) {
	ctx := context.Background()
	f := newFixtureWith(t)
	c := newCommitter(t, f)
	toks := f.invite(t, "A", survey.Internal, 3)
	long := strings.Repeat("<", survey.MaxTextLen)
	texts := []map[string]string{nil, {"X01": long, "X02": long}, {"X01": strings.Repeat("é", survey.MaxTextLen/2)}}
	for i, tx := range texts {
		sub := invitationSub(t, f, toks[i].Token, "A", survey.Internal)
		sub.Response.Answers.Texts = tx
		if err := c.Submit(ctx, sub); err != nil {
			t.Fatal(err)
		}
	}
	var n, sizes, size int
	readDB(t, f, "SELECT count(*), count(DISTINCT length(sealed)), max(length(sealed)) FROM response_pool", &n, &sizes, &size)
	if n != 3 || sizes != 1 {
		t.Fatalf("%d pool rows in %d sizes; want 3 in one", n, sizes)
	}
	if size > 12<<10 {
		t.Errorf("pool rows of %d bytes: padded far beyond the largest answer", size)
	}
	if err := f.st.SetPeriodStatus(ctx, "P", survey.StatusClosed); err != nil {
		t.Fatal(err)
	}
	var got string
	readDB(t, f, "SELECT body FROM text_answers WHERE item_code = 'X02'", &got)
	if got != long {
		t.Errorf("released text of %d bytes, want the %d submitted", len(got), len(long))
	}
}
