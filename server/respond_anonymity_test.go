package server

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"integritas/internal/pgtest"
	"integritas/survey"
)

// syncBuffer is a log sink shared by the handlers' goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestAnonymousSubmission follows spi-method.md §8 end to end: responses
// submitted through invitation links in a shuffled order cannot be joined
// back to their invitations — not through a column, not through the order
// of ids, not through a time of use, not through the logs (which hold
// neither tokens, answers nor addresses), not through the audit log.
func TestAnonymousSubmission(t *testing.T) {
	e := newRespondEnv(t)
	logs := &syncBuffer{}
	srv, err := New(Options{Store: e.store, Config: e.srv.cfg, Now: e.srv.now, Committer: e.srv.committer,
		Log: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()

	toks := e.invite("DINKES", survey.Internal, 8)
	secrets := map[string]bool{}
	order := rand.Perm(len(toks))
	for n, i := range order {
		secret := fmt.Sprintf("RAHASIA-%d-%d", i, n)
		secrets[secret] = true
		body := valid("X01", secret, "T03", "2")
		if i%2 == 0 { // half through the form, after saving a draft first
			post(t, hs.URL+"/s/"+toks[i], form("_action", "save", "T01", "3"))
			post(t, hs.URL+"/s/"+toks[i], body)
		} else {
			req, _ := http.NewRequest("POST", hs.URL+"/api/v1/responses", strings.NewReader(fmt.Sprintf(`{"token": %q, "answers": {"T01": "4", "SOS01": "3", "SOS02": "5", "X01": %q}}`, toks[i], secret)))
			req.Header.Set("Content-Type", "application/json")
			resp, err := hs.Client().Do(req)
			if err != nil || resp.StatusCode != http.StatusCreated {
				t.Fatalf("api submit: %v %v", resp.StatusCode, err)
			}
			resp.Body.Close()
		}
	}

	t.Run("logs hold no token, answer or address", func(t *testing.T) {
		out := logs.String()
		if !strings.Contains(out, `"route":"/s/:token"`) || !strings.Contains(out, `"route":"/api/v1/responses"`) {
			t.Fatalf("the request log was not captured: %.300s", out)
		}
		for _, tok := range toks {
			if strings.Contains(out, tok) {
				t.Error("a token is in the log")
			}
		}
		for s := range secrets {
			if strings.Contains(out, s) {
				t.Error("an answer is in the log")
			}
		}
		if strings.Contains(out, "127.0.0.1") {
			t.Error("a client address is in the log")
		}
	})

	db := pgtest.OpenRaw(t, e.store.Path())
	t.Run("stored rows carry nothing that points back", func(t *testing.T) {
		var n, hours, dev int
		db.QueryRow(`SELECT count(*), count(DISTINCT submitted_hour), count(device_hash) FROM responses`).Scan(&n, &hours, &dev)
		if n != len(toks) || hours != 1 || dev != 0 {
			t.Errorf("%d responses in %d distinct hours with %d device hashes; want %d, 1, 0", n, hours, dev, len(toks))
		}
		// Invitations keep no time of use: every row still has the time it
		// was created, and used is a bare flag.
		var changed int
		db.QueryRow(`SELECT count(*) FROM invitations WHERE created_at <> ?`, e.now.UTC().Format("2006-01-02T15:04:05Z")).Scan(&changed)
		if changed != 0 {
			t.Errorf("%d invitations carry a time other than their creation", changed)
		}
		// Response ids are random: they follow neither the invitations' ids
		// nor the order of submission (which was shuffled).
		rows, _ := db.Query(`SELECT r.id, t.body FROM responses r JOIN text_answers t ON t.response_id = r.id ORDER BY r.id`)
		defer rows.Close()
		var got []string
		var maxID int64
		for rows.Next() {
			var b string
			var id int64
			rows.Scan(&id, &b)
			got = append(got, b)
			maxID = max(maxID, id)
		}
		inOrder := len(got) == len(order)
		for n, i := range order {
			inOrder = inOrder && got[n] == fmt.Sprintf("RAHASIA-%d-%d", i, n)
		}
		if inOrder || maxID <= int64(len(got)) {
			t.Errorf("response ids (largest %d) follow submission order %v: they must be random", maxID, got)
		}
		var drafts int
		db.QueryRow(`SELECT count(*) FROM sealed_drafts`).Scan(&drafts)
		if drafts != 0 {
			t.Errorf("%d drafts outlived their submission", drafts)
		}
	})
	t.Run("audit log holds no token or answer", func(t *testing.T) {
		entries, err := e.store.AuditLog(context.Background(), "", 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, en := range entries {
			line := en.Action + en.Target + en.Detail
			for _, tok := range toks {
				if strings.Contains(line, tok) {
					t.Error("a token is in the audit log")
				}
			}
			if strings.Contains(line, "RAHASIA") {
				t.Error("an answer is in the audit log")
			}
		}
	})
}

func post(t *testing.T, url, body string) {
	t.Helper()
	resp, err := http.Post(url, "application/x-www-form-urlencoded", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK { // after the redirect
		t.Fatalf("post: %d", resp.StatusCode)
	}
}
