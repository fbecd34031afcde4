package survey

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	_ "time/tzdata" // Asia/Jakarta and the other zones on any host
)

// OrgSettings are the organisation's settings, one set in the database,
// used identically by the server and every command (flags override). It is
// a plain value so packet/ and mail/ can take it without the store.
type OrgSettings struct {
	BaseURL      string `json:"base_url"`      // public URL of the site, for links
	Inspectorate string `json:"inspectorate"`  // e.g. "Inspektorat Kota Sukamaju"
	Address      string `json:"address"`       // postal address on letters
	Letterhead   string `json:"letterhead"`    // the heading line above the address (e.g. "PEMERINTAH KOTA SUKAMAJU")
	Signatory    string `json:"signatory"`     // name of the signing official
	SignatoryNIP string `json:"signatory_nip"` // the official's NIP
	ReplyTo      string `json:"reply_to"`      // address replies and returned action plans go to
	TimeZone     string `json:"time_zone"`     // IANA zone, default Asia/Jakarta
	Lang         string `json:"lang"`          // language of the command line and mail, id or en
	LetterNumber string `json:"letter_number"` // nomor format, e.g. "700/{seq}/Inspektorat/{year}"
	LetterNature string `json:"letter_nature"` // sifat, e.g. "Penting"
	LetterPlace  string `json:"letter_place"`  // place the letter is dated at, e.g. "Sukamaju"

	// SignatoryTitle is the official's jabatan over the signature (e.g.
	// "Inspektur Kota Sukamaju"); SignatoryRank the pangkat/golongan under
	// the name (e.g. "Pembina Utama Muda (IV/c)"). Both optional.
	SignatoryTitle string `json:"signatory_title,omitempty"`
	SignatoryRank  string `json:"signatory_rank,omitempty"`
}

// DefaultOrgSettings are used until an admin saves settings.
func DefaultOrgSettings() OrgSettings {
	return OrgSettings{Inspectorate: "Inspektorat Daerah", TimeZone: "Asia/Jakarta", Lang: "id",
		LetterNumber: "700/{seq}/Inspektorat/{year}", LetterNature: "Penting"}
}

// ErrInvalidSettings means a field of the organisation settings is invalid;
// the message names the field.
var ErrInvalidSettings = errors.New("survey: invalid organisation settings")

// Validate checks the settings and trims them; errors name the field.
func (o *OrgSettings) Validate() error {
	for _, f := range []*string{&o.BaseURL, &o.Inspectorate, &o.Address, &o.Letterhead, &o.Signatory, &o.SignatoryNIP,
		&o.ReplyTo, &o.TimeZone, &o.Lang, &o.LetterNumber, &o.LetterNature, &o.LetterPlace, &o.SignatoryTitle, &o.SignatoryRank} {
		*f = strings.TrimSpace(*f)
		if len(*f) > 500 {
			return fmt.Errorf("%w: a field is longer than 500 characters", ErrInvalidSettings)
		}
	}
	o.BaseURL = strings.TrimRight(o.BaseURL, "/")
	if o.BaseURL != "" {
		if u, err := url.Parse(o.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("%w: base_url %q is not an http(s) URL", ErrInvalidSettings, o.BaseURL)
		}
	}
	if o.Inspectorate == "" {
		return fmt.Errorf("%w: inspectorate is required", ErrInvalidSettings)
	}
	if o.TimeZone == "" {
		o.TimeZone = "Asia/Jakarta"
	}
	if _, err := time.LoadLocation(o.TimeZone); err != nil {
		return fmt.Errorf("%w: time_zone %q is not a time zone", ErrInvalidSettings, o.TimeZone)
	}
	if o.Lang == "" {
		o.Lang = "id"
	}
	if o.Lang != "id" && o.Lang != "en" {
		return fmt.Errorf("%w: lang %q must be id or en", ErrInvalidSettings, o.Lang)
	}
	if o.SignatoryNIP != "" && strings.Trim(strings.ReplaceAll(o.SignatoryNIP, " ", ""), "0123456789") != "" {
		return fmt.Errorf("%w: signatory_nip %q must be digits", ErrInvalidSettings, o.SignatoryNIP)
	}
	if o.ReplyTo != "" && (!strings.Contains(o.ReplyTo, "@") || strings.ContainsAny(o.ReplyTo, " <>,;")) {
		return fmt.Errorf("%w: reply_to %q is not an e-mail address", ErrInvalidSettings, o.ReplyTo)
	}
	return nil
}

// Location is the settings' time zone (Asia/Jakarta when unset or unknown).
func (o OrgSettings) Location() *time.Location {
	if loc, err := time.LoadLocation(o.TimeZone); err == nil && o.TimeZone != "" {
		return loc
	}
	loc, _ := time.LoadLocation("Asia/Jakarta")
	return loc
}

// ZoneLabel is the zone's name as Indonesians write it: WIB, WITA, WIT, or
// the IANA name elsewhere.
func (o OrgSettings) ZoneLabel() string {
	switch o.TimeZone {
	case "", "Asia/Jakarta", "Asia/Pontianak":
		return "WIB"
	case "Asia/Makassar":
		return "WITA"
	case "Asia/Jayapura":
		return "WIT"
	}
	return o.TimeZone
}

// FormatTime shows t in the organisation's zone, labelled (e.g.
// "2026-07-01 14:05 WIB").
func (o OrgSettings) FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(o.Location()).Format("2006-01-02 15:04") + " " + o.ZoneLabel()
}

// OrgSettings returns the stored settings, or the defaults when none are
// saved yet.
func (s *Store) OrgSettings(ctx context.Context) (OrgSettings, error) {
	var raw string
	err := s.r.QueryRowContext(ctx, `SELECT settings FROM org_settings WHERE id = 1`).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultOrgSettings(), nil
	}
	if err != nil {
		return OrgSettings{}, fmt.Errorf("survey: organisation settings: %w", err)
	}
	o := DefaultOrgSettings()
	if err := json.Unmarshal([]byte(raw), &o); err != nil {
		return OrgSettings{}, fmt.Errorf("survey: organisation settings: %w", err)
	}
	return o, nil
}

// SaveOrgSettings validates and replaces the settings, and audits the change.
func (s *Store) SaveOrgSettings(ctx context.Context, o OrgSettings, by string) error {
	if err := o.Validate(); err != nil {
		return err
	}
	b, _ := json.Marshal(o)
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := stamp(s.now())
		if _, err := tx.ExecContext(ctx, `INSERT INTO org_settings (id, settings, updated_at, updated_by) VALUES (1, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			string(b), now, by); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, 'org.settings', 'org', ?)`, now, by, string(b))
		return err
	})
	if err != nil {
		return fmt.Errorf("survey: save organisation settings: %w", err)
	}
	return nil
}
