package survey

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestBackupUnderConcurrentInserts takes a backup while goroutines keep
// storing responses and checks that the restored database holds every
// response acknowledged before the backup started.
func TestBackupUnderConcurrentInserts(t *testing.T) {
	st := openTestStoreOn(t, false, fixedClock())
	ctx := context.Background()
	p, _ := st.Period(ctx, "P1")
	units, _ := st.Units(ctx, p.ID)
	vec := make([]byte, len(p.Instrument.Items))

	var mu sync.Mutex
	acked := map[int]bool{} // response "duration" used as a unique id
	var seq atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for g := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				id := int(seq.Add(1))
				r := NewResponse{PeriodID: p.ID, UnitID: units[g%len(units)].ID, Type: Internal, Channel: ChannelPaper,
					Submitted: fixedClock()(), Duration: id, Answers: Answers{Vector: vec}}
				if err := st.InsertResponses(ctx, []NewResponse{r}); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				acked[id] = true
				mu.Unlock()
			}
		}()
	}
	// Let the writers get going, then note what was acknowledged.
	for seq.Load() < 500 {
		time.Sleep(time.Millisecond)
	}
	mu.Lock()
	before := make([]int, 0, len(acked))
	for id := range acked {
		before = append(before, id)
	}
	mu.Unlock()
	dest := filepath.Join(t.TempDir(), "backup.db")
	rep, err := st.Backup(ctx, dest)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if rep.Responses < int64(len(before)) {
		t.Errorf("backup holds %d responses, %d were acknowledged before it started", rep.Responses, len(before))
	}
	fi, err := os.Stat(dest)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v, want 0600", fi.Mode().Perm())
	}
	if left, _ := filepath.Glob(dest + ".tmp-*"); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}

	// Restore into a fresh location and read it back through a store.
	target := filepath.Join(t.TempDir(), "restored.db")
	if _, err := Restore(ctx, target, target+".key", dest, time.Now()); !errors.Is(err, ErrKeyFile) {
		t.Fatalf("restore without its key file: %v, want ErrKeyFile", err)
	}
	if _, err := Restore(ctx, target, st.KeyPath(), dest, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, target); !errors.Is(err, ErrKeyFile) {
		t.Fatalf("open of the restored copy without its key file: %v, want ErrKeyFile", err)
	}
	if _, err := os.Stat(target + ".key"); err == nil {
		t.Error("the refused open made a new key file")
	}
	rs, err := Open(ctx, target, WithKeyFile(st.KeyPath()))
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	got := map[int]bool{}
	err = rs.EachResponse(ctx, p.ID, func(r *StoredResponse) error {
		got[r.Duration] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range before {
		if !got[id] {
			t.Fatalf("response %d was acknowledged before the backup but is missing from it", id)
		}
	}
	var check string
	rs.r.QueryRow(`PRAGMA integrity_check`).Scan(&check)
	if check != "ok" {
		t.Errorf("restored integrity_check: %s", check)
	}
	t.Logf("%d acknowledged before the backup, %d in it, %d in all", len(before), len(got), seq.Load())
}

func TestBackupRefusesExistingFile(t *testing.T) {
	st := openTestStoreOn(t, false, fixedClock())
	dest := filepath.Join(t.TempDir(), "b.db")
	os.WriteFile(dest, []byte("keep me"), 0o600)
	if _, err := st.Backup(context.Background(), dest); err == nil {
		t.Fatal("backup overwrote an existing file")
	}
	if b, _ := os.ReadFile(dest); string(b) != "keep me" {
		t.Error("existing file changed")
	}
}

func TestRestore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	st, err := Open(ctx, live, WithClock(fixedClock()))
	if err != nil {
		t.Fatal(err)
	}
	st.Audit(ctx, "test", "before.backup", "", "")
	bk := filepath.Join(dir, "bk.db")
	if _, err := st.Backup(ctx, bk); err != nil {
		t.Fatal(err)
	}
	st.Audit(ctx, "test", "after.backup", "", "")
	garbage := filepath.Join(dir, "garbage.db")
	os.WriteFile(garbage, []byte(strings.Repeat("not a database ", 400)), 0o600)
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o600)
	foreign := filepath.Join(dir, "foreign.db")
	fdb, _ := sql.Open("sqlite3", foreign)
	fdb.Exec(`CREATE TABLE x (a)`)
	fdb.Close()

	// A backup of another installation, sealed with its own key file.
	other, err := Open(ctx, filepath.Join(dir, "other.db"))
	if err != nil {
		t.Fatal(err)
	}
	otherBk := filepath.Join(dir, "other-bk.db")
	if _, err := other.Backup(ctx, otherBk); err != nil {
		t.Fatal(err)
	}
	other.Close()

	now := time.Date(2026, 5, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		backup  string
		wantErr error // nil: any error
	}{
		{"while the store is open", bk, ErrInUse},
		{"not a database", garbage, nil},
		{"empty file", empty, nil},
		{"another program's database", foreign, nil},
		{"missing file", filepath.Join(dir, "nope.db"), os.ErrNotExist},
		{"another database's key file", otherBk, ErrKeyFile},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Restore(ctx, live, live+".key", tc.backup, now)
			if err == nil || (tc.wantErr != nil && !errors.Is(err, tc.wantErr)) {
				t.Fatalf("err %v, want %v", err, tc.wantErr)
			}
			if _, err := os.Stat(live); err != nil {
				t.Fatalf("a refused restore touched the database: %v", err)
			}
		})
	}
	st.Close()
	rep, err := Restore(ctx, live, live+".key", bk, now)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Previous != live+".bak-20260502T100000Z" {
		t.Errorf("previous kept as %q", rep.Previous)
	}
	for path, want := range map[string][]string{live: {"before.backup"}, rep.Previous: {"after.backup", "before.backup"}} {
		s, err := Open(ctx, path, WithKeyFile(live+".key"))
		if err != nil {
			t.Fatal(err)
		}
		var acts []string
		es, _ := s.AuditLog(ctx, "", 0)
		for _, e := range es {
			acts = append(acts, e.Action)
		}
		s.Close()
		if strings.Join(acts, ",") != strings.Join(want, ",") {
			t.Errorf("%s holds %v, want %v", filepath.Base(path), acts, want)
		}
	}
	if fi, _ := os.Stat(live); fi.Mode().Perm() != 0o600 {
		t.Errorf("restored file mode %v", fi.Mode().Perm())
	}
}
