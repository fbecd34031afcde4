package server

import (
	"context"
	"strings"
	"testing"

	"integritas/survey"
)

// TestPoolWaitingShown submits open-link answers to a store with the pool
// as shipped (k = 5: nothing is released before 2k wait): they are
// acknowledged but not yet in the results, the inspectorate's page says how
// many wait, and the period's close releases them all.
func TestPoolWaitingShown(t *testing.T) {
	e := newTestEnvWith(t)
	for range 3 {
		vis := e.visitOpen("/api/v1/forms/SPI-T/DINKES") // a signed form and a device cookie, as an app gets them
		if st, body, _ := e.do("POST", "/api/v1/responses", vis.json(`{"period": "SPI-T", "unit": "DINKES", "answers": {"T01": "4", "SOS01": "3", "SOS02": "5"}}`), vis.header(nil)); st != 201 {
			t.Fatalf("submit: %d %s", st, body)
		}
	}
	ctx := context.Background()
	counts, _ := e.store.ResponseCounts(ctx, e.period.ID)
	if n := counts[1][survey.External]; n != 0 {
		t.Errorf("%d responses released with 3 waiting and k = 5, want 0", n)
	}
	insp := e.loginAs("inspector")
	st, body, _ := e.do("GET", "/inspectorate/SPI-T/invitations", "", insp)
	if st != 200 || !strings.Contains(body, `id="pool-waiting"`) || !strings.Contains(body, "3 jawaban yang sudah dikirim menunggu di pool tersegel") {
		t.Errorf("invitations page (%d) does not say 3 answers wait:\n%.2000s", st, body)
	}
	if err := e.store.SetPeriodStatus(ctx, "SPI-T", survey.StatusClosed); err != nil {
		t.Fatal(err)
	}
	counts, _ = e.store.ResponseCounts(ctx, e.period.ID)
	if _, waiting, _ := e.store.PoolWaiting(ctx, e.period.ID); counts[1][survey.External] != 3 || waiting != 0 {
		t.Errorf("after the close: %d responses, %d waiting; want 3, 0", counts[1][survey.External], waiting)
	}
}
