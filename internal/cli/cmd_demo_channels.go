package cli

import (
	"context"
	"fmt"

	"integritas/analysis"
	"integritas/config"
	"integritas/internal/demo"
	"integritas/survey"
)

// demoExperts are experts of two demo units reached by telephone, written
// as people write Indonesian numbers; the landline cannot take WhatsApp and
// shows as a problem on its row.
var demoExperts = []struct{ unit, name, phone string }{
	{"DINKES", "dr. Ratna Widuri", "0812-3456-7801"},
	{"DINKES", "Hendra Gunawan, S.H.", "+62 813 2222 3302"},
	{"DINKES", "Prof. Sri Lestari", "62 857 1111 2203"},
	{"DINKES", "Yusuf Maulana", "0274-555-123"},
	{"DPUPR", "Ir. Bambang Prakoso", "0811 7000 1204"},
	{"DPUPR", "Dewi Anggraini, M.T.", "+62-878-3333-4405"},
	{"DPUPR", "Agus Salim", "0821.9999.0106"},
}

// demoChannels shows a newcomer every channel from `go run . demo`: the
// organisation's settings, a sample with e-mail invitations (which arrive in
// the outbox) and experts with phone numbers (the WhatsApp list). The first
// start draws the sample; later starts queue a reminder so the outbox,
// which lives in memory, is never empty.
func demoChannels(ctx context.Context, cfg *config.Config, st *survey.Store, first bool) error {
	p, err := st.Period(ctx, demo.Current)
	if err != nil || p.Status != survey.StatusOpen {
		return err
	}
	m, err := newMailer(cfg, st)
	if err != nil {
		return err
	}
	if !first {
		_, err := m.Remind(ctx, p, "DINKES", "id")
		return err
	}
	org := survey.DefaultOrgSettings()
	org.Inspectorate, org.Letterhead = "Inspektorat Kota Sukamaju", "PEMERINTAH KOTA SUKAMAJU"
	org.Address, org.LetterPlace = "Jl. Merdeka No. 1, Sukamaju 12345", "Sukamaju"
	org.Signatory, org.SignatoryNIP, org.ReplyTo = "Drs. H. Ahmad Fauzi, M.Si.", "196805121990031004", "inspektorat@sukamaju.go.id"
	if err := st.SaveOrgSettings(ctx, org, "demo"); err != nil {
		return err
	}
	cfg.ApplyOrg(org.BaseURL, org.Inspectorate)
	var es []survey.RosterEntry
	for _, x := range demoExperts {
		es = append(es, survey.RosterEntry{UnitCode: x.unit, Type: survey.Expert, Name: x.name, Phone: x.phone})
	}
	if err := st.ImportRoster(ctx, p.ID, es); err != nil {
		return fmt.Errorf("demo: %w", err) // a fault deep down, shown as it is
	}
	if m, err = newMailer(cfg, st); err != nil { // signed with the settings just saved
		return err
	}
	samples, err := st.DrawSample(ctx, p.ID, survey.SampleRequest{Units: []string{"DINKES", "DPUPR"},
		Types: []string{survey.Internal, survey.Expert}, Margin: 10, Seed: 2026, By: "demo", Size: analysis.RequiredSampleSize})
	if err != nil {
		return err
	}
	_, err = m.InviteSample(ctx, p, samples, "id")
	return err
}
