package cli

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"integritas/assets"
	"integritas/config"
	"integritas/locale"
	"integritas/mail"
	"integritas/survey"
)

// TestAnonymityAttacks plays the insider of issue 11: someone who holds the
// database file, its WAL at every moment and every backup, but not the key
// file kept outside the database. It runs a real cycle — units, a roster,
// invitations e-mailed while the SMTP server is down (so the messages stay
// queued), reminders, saved drafts, submissions in a quiet unit with a
// backup after each, the period's close — and then attacks it:
//
//   - the WAL replayed commit by commit (the database copied with its -wal
//     after every commit, each commit in it rebuilt) and consecutive
//     backups compared, linking each response to the invitations that could
//     have sent it;
//   - every byte of the file, the WAL and the backups searched for the
//     words of drafts, for answers still waiting to be released, and for
//     live links; the mail queue read; the mail worker's log searched.
//
// The same cycle runs twice: with the pool as shipped, no response may be
// narrowed to fewer than k candidate invitations; with the control
// configuration (WithPoolRelease(1): every answer released alone, as the old
// code stored it) the same attack must link them, or it proves nothing.
func TestAnonymityAttacks(t *testing.T) {
	pool := runAttackCycle(t, false)
	control := runAttackCycle(t, true)
	t.Logf("pool:    %s", pool)
	t.Logf("control: %s", control)
	fmt.Printf("anonymity attacks: WAL replay linked %d of %d with the pool (smallest candidate set %d, %d commits); control linked %d of %d\n",
		pool.walLinked, pool.responses, pool.walSmallest, pool.commits, control.walLinked, control.responses)
	fmt.Printf("anonymity attacks: backup diffs linked %d of %d with the pool (smallest set %d, %d backups); control linked %d of %d\n",
		pool.bkLinked, pool.responses, pool.bkSmallest, pool.backups, control.bkLinked, control.responses)

	if pool.walLinked != 0 || pool.bkLinked != 0 {
		t.Errorf("with the pool, %d responses were linked through the WAL and %d through backups beyond k = %d", pool.walLinked, pool.bkLinked, attackK)
	}
	if control.walLinked != control.responses || control.bkLinked == 0 {
		t.Errorf("the control linked %d (WAL) and %d (backups) of %d: the attack cannot fail, so it proves nothing", control.walLinked, control.bkLinked, control.responses)
	}
	for _, r := range []attackResult{pool, control} {
		if r.draftHits != 0 || r.liveLinks != 0 || r.poolLeaks != 0 || r.logLinks != 0 {
			t.Errorf("%s: draft words found %d times, live links %d, pooled answers readable %d, links in logs %d; want none",
				r.name, r.draftHits, r.liveLinks, r.poolLeaks, r.logLinks)
		}
		if r.queuedMail == 0 || r.pooledMax == 0 && r.name == "pool" {
			t.Errorf("%s: %d messages queued, at most %d answers pooled: the cycle did not stage the attack", r.name, r.queuedMail, r.pooledMax)
		}
	}
}

// attackK is the cycle's k (min_group).
const attackK = 3

type attackResult struct {
	name                                         string
	responses, commits, backups                  int
	walLinked, walSmallest, bkLinked, bkSmallest int
	draftHits, liveLinks, poolLeaks, logLinks    int
	queuedMail, pooledMax                        int
}

func (r attackResult) String() string {
	return fmt.Sprintf("%d responses; WAL: %d commits, %d linked, smallest set %d; backups: %d, %d linked, smallest set %d; "+
		"draft words %d, live links %d, pooled answers read %d, links in logs %d; %d messages queued; up to %d answers pooled",
		r.responses, r.commits, r.walLinked, r.walSmallest, r.backups, r.bkLinked, r.bkSmallest,
		r.draftHits, r.liveLinks, r.poolLeaks, r.logLinks, r.queuedMail, r.pooledMax)
}

var linkRE = regexp.MustCompile(`/s/[A-Za-z0-9_-]{43}`)

// insider watches the database as the cycle runs.
type insider struct {
	mu         sync.Mutex // observe runs on the committer's goroutine
	t          *testing.T
	path, dir  string
	seen       map[string]bool
	states     []insiderState
	markerItem string
	secrets    [][]byte // draft words and printed tokens: never in any file
	answers    []string // every answer's marker
	res        *attackResult
}

// scan searches raw bytes for secrets, live links and answers not yet
// released (readable in the pool).
func (in *insider) scan(b []byte, last insiderState) {
	drafts, links, pooled := leakCount(b, in.secrets, in.answers, last)
	in.res.draftHits += drafts
	in.res.liveLinks += links
	in.res.poolLeaks += pooled
}

// leakCount counts in b the secrets (draft words, printed tokens), the
// live links, and the answers that last had not released.
func leakCount(b []byte, secrets [][]byte, answers []string, last insiderState) (drafts, links, pooled int) {
	for _, s := range secrets {
		drafts += bytes.Count(b, s)
	}
	links = len(linkRE.FindAll(b, -1))
	released := map[string]bool{}
	for _, rs := range last.responses {
		for _, m := range rs {
			released[m] = true
		}
	}
	for _, m := range answers {
		if !released[m] && bytes.Contains(b, []byte(m)) {
			pooled++
		}
	}
	return drafts, links, pooled
}

// observe is the store's commit observer: copy the file and its WAL, and
// rebuild every commit not seen before.
func (in *insider) observe() {
	in.mu.Lock()
	defer in.mu.Unlock()
	db, wal := copyFiles(in.path)
	keys, frames := walCommits(wal)
	var last insiderState
	for i, k := range keys {
		if in.seen[k] {
			continue
		}
		in.seen[k] = true
		st, ok := readState(in.t, materialize(in.t, in.dir, db, frames[i]), in.markerItem)
		if !ok {
			continue
		}
		in.states = append(in.states, st)
		in.res.pooledMax = max(in.res.pooledMax, st.pooled)
		last = st
	}
	if len(in.states) > 0 {
		last = in.states[len(in.states)-1]
	}
	in.scan(db, last)
	in.scan(wal, last)
}

func runAttackCycle(t *testing.T, control bool) attackResult {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "attack.db")
	res := &attackResult{name: cycleName(control)}
	in := &insider{t: t, path: path, dir: tempDir(t, "states"), seen: map[string]bool{}, markerItem: "X01", res: res}
	st, err := survey.Open(ctx, path, append(cycleOptions(control), survey.WithCommitObserver(in.observe))...)
	must(t, err)
	defer st.Close()
	var backups []string
	cy := runCycle(t, st, res.name, cycleHooks{
		secret: func(b []byte) { in.mu.Lock(); in.secrets = append(in.secrets, b); in.mu.Unlock() },
		answer: func(m string) { in.mu.Lock(); in.answers = append(in.answers, m); in.mu.Unlock() },
		backup: func() {
			b := filepath.Join(dir, fmt.Sprintf("backup-%02d.db", len(backups)))
			if _, err := st.Backup(ctx, b); err != nil {
				t.Fatal(err)
			}
			backups = append(backups, b)
		},
		closed: in.observe,
	})
	res.queuedMail = cy.queued

	// The attacks.
	res.responses, res.commits, res.backups = len(cy.truth), len(in.states), len(backups)
	res.walLinked, res.walSmallest = linkScore(t, res.name+" WAL", linkAttack(in.states), cy.truth, attackK)
	var bkStates []insiderState
	for _, b := range backups {
		s, ok := readState(t, b, in.markerItem)
		if !ok {
			t.Fatalf("backup %s is unreadable", b)
		}
		bkStates = append(bkStates, s)
		raw, _ := os.ReadFile(b)
		in.scan(raw, s)
	}
	res.bkLinked, res.bkSmallest = linkScore(t, res.name+" backups", linkAttack(bkStates), cy.truth, attackK)
	// The byte search can see text: every released answer is in the last backup.
	last, _ := os.ReadFile(backups[len(backups)-1])
	for _, m := range in.answers {
		if !bytes.Contains(last, []byte(m)) {
			t.Errorf("%s: the released answer %s is not found in the last backup: the byte search is blind", res.name, m)
		}
	}
	res.logLinks = cy.logLinks(t, in.secrets)
	return *res
}

// cycleName names a cycle's run in figures and failures.
func cycleName(control bool) string {
	if control {
		return "control"
	}
	return "pool"
}

// cycleOptions are the store options of a cycle: the pool as shipped, or
// the linking control (every answer released alone).
func cycleOptions(control bool) []survey.StoreOption {
	if control {
		return []survey.StoreOption{survey.WithPoolRelease(1)}
	}
	return nil
}

// attackCycle is what one run of the cycle did: the truth the attacks are
// scored against, and what the mail worker logged.
type attackCycle struct {
	truth  map[string]int64 // answer marker -> the invitation that sent it
	order  []string         // answer markers in submission order
	logs   *bytes.Buffer
	queued int // messages still queued at the close (SMTP down)
}

// cycleHooks are where an engine's insider watches the cycle.
type cycleHooks struct {
	secret func([]byte) // a printed token or a draft's words: in no file, ever
	answer func(string) // an answer's marker, just before it is submitted
	backup func()       // the moments the cycle takes a backup
	closed func()       // after the close, with the committer stopped
}

// runCycle plays the attacked cycle on st, a store opened with
// cycleOptions: units, a roster, invitations e-mailed while the SMTP
// server is down, drafts, submissions in a quiet unit with a backup after
// each, reminders, the close.
func runCycle(t *testing.T, st *survey.Store, name string, h cycleHooks) *attackCycle {
	ctx := context.Background()
	p, err := st.CreatePeriod(ctx, survey.NewPeriod{Code: "ATK", Name: "SPI Serangan", Instrument: assets.DefaultInstrument(),
		Settings: []byte(fmt.Sprintf(`{"min_group":%d}`, attackK))})
	must(t, err)
	_, err = st.ImportUnitsCSV(ctx, p, "units.csv", strings.NewReader("code,name,parent_code,head_email,internal_population,external_population,expert_population\n"+
		"SEPI,Kantor Sepi,,,8,100,5\nRAMAI,Dinas Ramai,,,40,100,5\n"))
	must(t, err)
	var roster strings.Builder
	roster.WriteString("unit,type,name,email,phone,grade,years_institution,years_unit,role\n")
	for i := range 12 {
		unit := "SEPI"
		if i >= 8 {
			unit = "RAMAI"
		}
		fmt.Fprintf(&roster, "%s,internal,Pegawai Rahasia %02d,pegawai%02d@pemda.example.go.id,0812000000%02d,III,5,3,\n", unit, i, i, i)
	}
	_, _, err = st.ImportRosterCSV(ctx, p, "roster.csv", strings.NewReader(roster.String()))
	must(t, err)
	must(t, st.SetPeriodStatus(ctx, "ATK", survey.StatusOpen))
	p, err = st.Period(ctx, "ATK")
	must(t, err)
	units := map[string]int64{}
	us, err := st.Units(ctx, p.ID)
	must(t, err)
	for _, u := range us {
		units[u.Code] = u.ID
	}

	// One invitation per roster row, with its e-mail.
	var want []survey.NewInvitation
	var unitOf []string
	for _, code := range []string{"SEPI", "RAMAI"} {
		people, err := st.Roster(ctx, p.ID, units[code], survey.Internal)
		must(t, err)
		for _, r := range people {
			want = append(want, survey.NewInvitation{UnitCode: code, Type: survey.Internal, RosterID: r.ID, Contact: r.Email})
			unitOf = append(unitOf, code)
		}
	}
	issued, err := st.CreateInvitations(ctx, p.ID, want)
	must(t, err)
	invIDs := make([]int64, len(issued))
	for i, is := range issued {
		inv, err := st.InvitationByToken(ctx, is.Token)
		must(t, err)
		invIDs[i] = inv.ID
		h.secret([]byte(is.Token))
	}

	// The invitations are e-mailed while the SMTP server is down.
	cy := &attackCycle{truth: map[string]int64{}, logs: &bytes.Buffer{}}
	mailer, worker := attackMailer(t, st, cy.logs)
	var invitees []mail.Invitee
	for i, is := range issued {
		invitees = append(invitees, mail.Invitee{InvitationID: invIDs[i], UnitCode: is.UnitCode, UnitName: is.UnitCode, Type: is.Type, Contact: is.Contact})
	}
	if _, _, err := mailer.QueueInvites(ctx, p, survey.DeliveryInvitation, "id", invitees); err != nil {
		t.Fatal(err)
	}
	worker.Drain(ctx)

	// Drafts: six people save answers; five of them submit later, one never.
	for i := range 6 {
		word := fmt.Sprintf("DRAF-RAHASIA-%s-%02d", name, i)
		h.secret([]byte(word))
		must(t, st.SaveDraft(ctx, issued[i].Token, p.Instrument, survey.Draft{Answers: map[string]string{"T01": "2", "X01": word}}))
	}

	c, err := st.NewCommitter(ctx)
	must(t, err)
	defer c.Close()
	submit := func(i int) {
		marker := fmt.Sprintf("JAWABAN-RAHASIA-%s-%02d", name, i)
		h.answer(marker)
		cy.truth[marker] = invIDs[i]
		cy.order = append(cy.order, marker)
		a, probs := p.Instrument.ParseAnswers(survey.Internal, map[string]string{"T01": fmt.Sprint(1 + i%5), "SOS01": "3", "SOS02": "4", "X01": marker})
		if len(probs) > 0 {
			t.Fatalf("answers: %v", probs)
		}
		th, _ := survey.TokenHash(issued[i].Token)
		must(t, c.Submit(ctx, &survey.Submission{TokenHash: th, Response: survey.NewResponse{PeriodID: p.ID, UnitID: units[unitOf[i]],
			Type: survey.Internal, Channel: survey.ChannelInvitation, Duration: 400 + i, Lang: "id", Answers: a}}))
	}
	h.backup()
	// The quiet unit: answers trickle in, a backup after each.
	for _, i := range []int{0, 1, 2} {
		submit(i)
		h.backup()
	}
	// Reminders to those who have not answered, still with SMTP down.
	if _, err := mailer.Remind(ctx, p, "", "id"); err != nil {
		t.Fatal(err)
	}
	worker.Drain(ctx)
	for _, i := range []int{3, 8, 4, 9, 5, 10, 11} {
		submit(i)
		h.backup()
	}
	ds, err := st.Deliveries(ctx, p.ID, "", 0)
	must(t, err)
	for _, d := range ds {
		if d.Status == survey.DeliveryQueued {
			cy.queued++
			if !strings.Contains(d.Text, mail.TokenSlot) {
				t.Errorf("a queued %s holds no token slot:\n%s", d.Kind, d.Text)
			}
		}
	}
	must(t, st.SetPeriodStatus(ctx, "ATK", survey.StatusClosed))
	must(t, c.Close()) // no commit observer runs while the attacks read what it gathered
	h.closed()
	h.backup()
	return cy
}

// logLinks counts the secrets and live links in the mail worker's log,
// which must have logged the failed sends (else it searched nothing).
func (cy *attackCycle) logLinks(t *testing.T, secrets [][]byte) int {
	n := len(linkRE.FindAll(cy.logs.Bytes(), -1))
	for _, s := range secrets {
		n += bytes.Count(cy.logs.Bytes(), s)
	}
	if !strings.Contains(cy.logs.String(), "mail failed") {
		t.Errorf("the worker logged no failed send: the log search searched nothing")
	}
	return n
}

// attackMailer is a mailer whose SMTP server is down: a port that was just
// listening and is closed.
func attackMailer(t *testing.T, st *survey.Store, logs *bytes.Buffer) (*mail.Mailer, *mail.Worker) {
	t.Helper()
	b, err := locale.Load(assets.FS)
	must(t, err)
	comp, err := mail.NewComposer(assets.FS, b, "Inspektorat")
	must(t, err)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cfg := config.Defaults()
	cfg.SMTPHost, cfg.SMTPPort, cfg.SMTPTLS, cfg.SMTPFrom = "127.0.0.1", port, "none", "spi@pemda.example.go.id"
	s, err := mail.NewSMTP(cfg)
	must(t, err)
	w := mail.NewWorker(st, s, mail.Options{PerMinute: 60000, MaxAttempts: 100, Backoff: func(int) time.Duration { return time.Hour },
		Log: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	return &mail.Mailer{St: st, C: comp, BaseURL: "https://spi.pemda.example.go.id"}, w
}
