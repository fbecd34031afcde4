package cli

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestBenchShort runs `integritas bench --short` for real — a fresh
// database, the server as a child process, 400 respondents — and checks
// that every respondent was acknowledged and stored, and that the report
// holds every figure. Timing is not asserted: that is what the command is
// for, on a quiet machine.
func TestBenchShort(t *testing.T) {
	code, out, errOut := runCLI(t, "", "bench", "--short", "--clients", "16", "--dir", t.TempDir())
	if code != 0 {
		t.Fatalf("bench --short: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`responses\s+400 acknowledged in [0-9.]+ s \(\d+ invitation, \d+ open link\), 0 errors`),
		regexp.MustCompile(`throughput\s+[0-9,]+ responses/s`),
		regexp.MustCompile(`latency\s+p50 [0-9.]+ ms, p99 [0-9.]+ ms`),
		regexp.MustCompile(`server memory\s+(\d+ MB peak resident|n/a)`),
		regexp.MustCompile(`stored\s+400 responses in the database, \d+ invitations used\s+target = acknowledged: met`),
		regexp.MustCompile(`committer alone\s+[0-9,]+ responses/s .* the server reaches \d+% of it`),
		regexp.MustCompile(`bulk insert\s+[0-9,]+ responses/s`),
	} {
		if !want.MatchString(out) {
			t.Errorf("the report lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "FAILED") {
		t.Errorf("the report says FAILED:\n%s", out)
	}
	// Both ways in were used, and the invitations used are the invitation
	// responses acknowledged.
	m := regexp.MustCompile(`\((\d+) invitation, (\d+) open link\)`).FindStringSubmatch(out)
	used := regexp.MustCompile(`(\d+) invitations used`).FindStringSubmatch(out)
	if m == nil || used == nil || m[1] == "0" || m[2] == "0" || m[1] != used[1] {
		t.Errorf("invitation and open-link counts: %v, used %v", m, used)
	}
	if n, _ := strconv.Atoi(m[1]); n < 100 || n > 300 {
		t.Errorf("%d of 400 respondents on invitation links with --mix 0.5", n)
	}
}

func TestBenchFlags(t *testing.T) {
	for _, args := range [][]string{
		{"bench", "--clients", "0"},
		{"bench", "--mix", "1.5"},
		{"bench", "--responses", "-1"},
		{"bench", "--units", "0"},
		{"bench", "extra"},
	} {
		if code, _, errOut := runCLI(t, "", args...); code != 1 || errOut == "" {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
}
