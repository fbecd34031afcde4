package survey

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"
)

// PacketBuild is a unit's packet as built and kept for delivery.
type PacketBuild struct {
	ID       int64
	PeriodID int64
	UnitCode string
	Lang     string
	Data     []byte // the ZIP; empty in listings
	Size     int
	SHA256   []byte
	BuiltAt  time.Time
	BuiltBy  string
}

// SavePacketBuild stores a unit's packet ZIP.
func (s *Store) SavePacketBuild(ctx context.Context, periodID int64, unitCode, lang string, data []byte, by string) (int64, error) {
	sum := sha256.Sum256(data)
	id, err := insertID(ctx, s.w, `INSERT INTO packet_builds (period_id, unit_id, lang, data, sha256, built_at, built_by)
		VALUES (?, (SELECT u.id FROM units u JOIN period_units pu ON pu.unit_id = u.id WHERE pu.period_id = ? AND u.code = ?), ?, ?, ?, ?, ?)`,
		periodID, periodID, unitCode, lang, data, sum[:], stamp(s.now()), by)
	if err != nil {
		return 0, fmt.Errorf("survey: save packet of %q: %w", unitCode, err)
	}
	return id, nil
}

const buildColumns = `b.id, b.period_id, u.code, b.lang, length(b.data), b.sha256, b.built_at, b.built_by`

func scanBuild(row scanner, withData bool) (PacketBuild, error) {
	var b PacketBuild
	var at string
	dest := []any{&b.ID, &b.PeriodID, &b.UnitCode, &b.Lang, &b.Size, &b.SHA256, &at, &b.BuiltBy}
	if withData {
		dest = append(dest, &b.Data)
	}
	err := row.Scan(dest...)
	b.BuiltAt, _ = time.Parse(time.RFC3339, at)
	return b, err
}

// PacketBuild returns a stored packet with its data.
func (s *Store) PacketBuild(ctx context.Context, id int64) (PacketBuild, error) {
	b, err := scanBuild(s.r.QueryRowContext(ctx, `SELECT `+buildColumns+`, b.data FROM packet_builds b JOIN units u ON u.id = b.unit_id
		WHERE b.id = ?`, id), true)
	if errors.Is(err, sql.ErrNoRows) {
		return b, fmt.Errorf("survey: packet %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return b, fmt.Errorf("survey: packet %d: %w", id, err)
	}
	return b, nil
}

// LatestPacketBuilds lists the newest packet of each unit and language of a
// period, without data, by unit code.
func (s *Store) LatestPacketBuilds(ctx context.Context, periodID int64) ([]PacketBuild, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+buildColumns+` FROM packet_builds b JOIN units u ON u.id = b.unit_id
		WHERE b.id IN (SELECT max(id) FROM packet_builds WHERE period_id = ? GROUP BY unit_id, lang) ORDER BY u.code, b.lang`, periodID)
	if err != nil {
		return nil, fmt.Errorf("survey: packets: %w", err)
	}
	defer rows.Close()
	var out []PacketBuild
	for rows.Next() {
		b, err := scanBuild(rows, false)
		if err != nil {
			return nil, fmt.Errorf("survey: packets: %w", err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// CreatePacketLink makes a download link to a packet that expires after ttl;
// the token exists only in the returned value, the store keeps its SHA-256.
func (s *Store) CreatePacketLink(ctx context.Context, buildID int64, ttl time.Duration) (token string, expires time.Time, err error) {
	raw := make([]byte, 32)
	rand.Read(raw)
	sum := sha256.Sum256(raw)
	now := s.now()
	expires = now.Add(ttl).UTC().Truncate(time.Second)
	if _, err := s.w.ExecContext(ctx, `INSERT INTO packet_links (token_hash, build_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		sum[:], buildID, stamp(now), stamp(expires)); err != nil {
		return "", time.Time{}, fmt.Errorf("survey: packet link: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(raw), expires, nil
}

// PacketByLink returns the packet a link points to while it has not expired;
// unknown, malformed and expired links are all ErrNotFound.
func (s *Store) PacketByLink(ctx context.Context, token string) (PacketBuild, error) {
	raw, err := base64.RawURLEncoding.Strict().DecodeString(token)
	if err != nil || len(raw) != 32 {
		return PacketBuild{}, fmt.Errorf("survey: packet link: %w", ErrNotFound)
	}
	sum := sha256.Sum256(raw)
	var id int64
	err = s.r.QueryRowContext(ctx, `SELECT build_id FROM packet_links WHERE token_hash = ? AND expires_at > ?`, sum[:], stamp(s.now())).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return PacketBuild{}, fmt.Errorf("survey: packet link: %w", ErrNotFound)
	}
	if err != nil {
		return PacketBuild{}, fmt.Errorf("survey: packet link: %w", err)
	}
	return s.PacketBuild(ctx, id)
}
