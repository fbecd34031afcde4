package survey

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

func TestAuditLogAppendOnly(t *testing.T) {
	st := openTestStore(t, fixedClock())
	ctx := context.Background()
	if err := st.Audit(ctx, "a@example.go.id", "user.create", "user:b@example.go.id", "role viewer"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE audit_log SET actor = 'someone else'`,
		`UPDATE audit_log SET detail = '' WHERE id = 1`,
		`DELETE FROM audit_log`,
		`DELETE FROM audit_log WHERE id = 1`,
	} {
		if _, err := st.w.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want refused", q, err)
		}
	}
	es, _ := st.AuditLog(ctx, "", 0)
	if len(es) != 1 || es[0].Actor != "a@example.go.id" {
		t.Errorf("log changed: %+v", es)
	}
}

func TestAuditPage(t *testing.T) {
	st := openTestStore(t, fixedClock())
	ctx := context.Background()
	for i := range 7 {
		st.Audit(ctx, "x", "auth.login", "", fmt.Sprint(i))
	}
	st.Audit(ctx, "x", "auth.logout", "", "")
	st.Audit(ctx, "x", "authz.other", "", "")
	st.Audit(ctx, "x", "user_create", "", "")
	tests := []struct {
		q         AuditQuery
		wantTotal int
		wantFirst string // detail or action of the first entry
		wantLen   int
	}{
		{AuditQuery{}, 10, "user_create", 10},
		{AuditQuery{Action: "auth.login", Limit: 3}, 7, "6", 3},
		{AuditQuery{Action: "auth.login", Limit: 3, Offset: 6}, 7, "0", 1},
		{AuditQuery{Action: "auth."}, 8, "auth.logout", 8},
		{AuditQuery{Action: "user_"}, 0, "", 0}, // not a prefix (no dot): exact
		{AuditQuery{Action: "user."}, 0, "", 0}, // '_' must not match as a wildcard
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%+v", tc.q), func(t *testing.T) {
			es, total, err := st.AuditPage(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if total != tc.wantTotal || len(es) != tc.wantLen {
				t.Fatalf("total %d len %d, want %d %d", total, len(es), tc.wantTotal, tc.wantLen)
			}
			if len(es) > 0 && es[0].Detail != tc.wantFirst && es[0].Action != tc.wantFirst {
				t.Errorf("first %+v, want %s", es[0], tc.wantFirst)
			}
		})
	}
	acts, _ := st.AuditActions(ctx)
	if strings.Join(acts, ",") != "auth.login,auth.logout,authz.other,user_create" {
		t.Errorf("actions %v", acts)
	}
}

func TestClosedPeriodAnswersFrozen(t *testing.T) {
	st := openTestStore(t, fixedClock())
	ctx := context.Background()
	p, _ := st.Period(ctx, "P1")
	units, _ := st.Units(ctx, p.ID)
	r := NewResponse{PeriodID: p.ID, UnitID: units[0].ID, Type: Internal, Channel: ChannelPaper, Submitted: fixedClock()(),
		Duration: -1, Answers: Answers{Vector: make([]byte, len(p.Instrument.Items)), Texts: map[string]string{"x": "teks"}}}
	if err := st.InsertResponses(ctx, []NewResponse{r}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetPeriodStatus(ctx, "P1", StatusClosed); err != nil {
		t.Fatal(err)
	}
	if err := st.InsertResponses(ctx, []NewResponse{r}); err == nil || !strings.Contains(err.Error(), "frozen") {
		t.Errorf("insert into a closed period: %v", err)
	}
	var rid int64
	st.w.QueryRow(`SELECT id FROM responses LIMIT 1`).Scan(&rid)
	for _, q := range []string{
		`UPDATE responses SET answers = substr(answers, 1, 1)`,
		`UPDATE responses SET hour_sealed = answers`,
		`DELETE FROM responses`,
		`UPDATE text_answers SET body = 'lain'`,
		`DELETE FROM text_answers`,
		fmt.Sprintf(`INSERT INTO text_answers (response_id, item_code, body) VALUES (%d, 'y', 'baru')`, rid),
	} {
		if _, err := st.w.Exec(q); err == nil || !strings.Contains(err.Error(), "frozen") {
			t.Errorf("%s: %v, want refused", q, err)
		}
	}
	var n int
	st.r.QueryRow(`SELECT count(*) FROM responses`).Scan(&n)
	if n != 1 {
		t.Errorf("%d responses, want 1", n)
	}
}
