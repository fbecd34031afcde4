package survey

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestImportCrashLeavesDatabaseAsBefore kills a real process with SIGKILL
// between two statements of a response import and checks that the database,
// reopened, is exactly as before the import: no partial import survives.
func TestImportCrashLeavesDatabaseAsBefore(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "crash.db")
	ctx := context.Background()
	st, err := Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	p := newPeriod(t, st, "P")
	if _, err := st.ImportResponsesCSV(ctx, p, "first.csv", strings.NewReader(paperRows(3)), ResponseImport{}); err != nil {
		t.Fatal(err)
	}
	before := count(t, st, "SELECT count(*) FROM responses")
	st.Close()

	for _, after := range []int{1, 7, 19} {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "INTEGRITAS_CRASH_CHILD="+db, fmt.Sprintf("INTEGRITAS_CRASH_AFTER=%d", after))
		out, err := cmd.CombinedOutput()
		ee, ok := err.(*exec.ExitError)
		if !ok || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("child was not killed mid-import (err %v):\n%s", err, out)
		}
		st, err := Open(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if got := count(t, st, "SELECT count(*) FROM responses"); got != before {
			t.Errorf("after a crash at statement %d: %d responses, want %d", after, got, before)
		}
		if got := count(t, st, "SELECT count(*) FROM text_answers"); got != 3 {
			t.Errorf("after a crash at statement %d: %d text answers, want 3", after, got)
		}
		var check string
		st.w.QueryRow("PRAGMA integrity_check").Scan(&check)
		if check != "ok" {
			t.Errorf("integrity_check: %s", check)
		}
		st.Close()
	}
}

// TestMain lets the test binary act as the crash test's child process.
func TestMain(m *testing.M) {
	if db := os.Getenv("INTEGRITAS_CRASH_CHILD"); db != "" {
		crashChild(db)
		os.Exit(3) // not reached: the child kills itself mid-import
	}
	os.Exit(m.Run())
}

// crashChild imports 40 responses and kills its own process after the
// statement named by INTEGRITAS_CRASH_AFTER.
func crashChild(db string) {
	var after int
	fmt.Sscan(os.Getenv("INTEGRITAS_CRASH_AFTER"), &after)
	ctx := context.Background()
	st, err := Open(ctx, db)
	if err != nil {
		fmt.Println(err)
		return
	}
	st.afterStatement = func(n int) {
		if n == after {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
		}
	}
	p, err := st.Period(ctx, "P")
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = st.ImportResponsesCSV(ctx, p, "second.csv", strings.NewReader(paperRows(40)), ResponseImport{})
	fmt.Println("the import finished; the crash was not staged:", err)
}

func paperRows(n int) string {
	var b strings.Builder
	b.WriteString("unit,type,duration_seconds,T01,SOS01,SOS02,X01\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "DINKES,internal,%d,%d,4,5,saran %d\n", 300+i, 1+i%5, i)
	}
	return b.String()
}
