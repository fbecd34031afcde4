package survey

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Roles of staff accounts. Admins do everything; inspectors run periods,
// units, rosters, invitations, corrections and packets; analysts read all
// results and exports but no personal data of rosters; viewers see only the
// results and packets of the units they are scoped to.
const (
	RoleAdmin     = "admin"
	RoleInspector = "inspector"
	RoleAnalyst   = "analyst"
	RoleViewer    = "viewer"
)

// Roles lists the roles, most powerful first.
var Roles = []string{RoleAdmin, RoleInspector, RoleAnalyst, RoleViewer}

// ValidRole reports whether r is a known role.
func ValidRole(r string) bool {
	return r == RoleAdmin || r == RoleInspector || r == RoleAnalyst || r == RoleViewer
}

// User is a staff account. It never carries the password hash.
type User struct {
	ID          int64
	Email       string
	Name        string
	Role        string
	Disabled    bool
	Units       []string // unit codes a viewer is scoped to, sorted
	CreatedAt   time.Time
	LockedUntil time.Time // zero unless failed logins locked the account
	// FailedLogins is set by AuthenticateFrom: failed attempts since the
	// previous sign-in, which the person is told about.
	FailedLogins int
}

// NewUser describes an account to create.
type NewUser struct {
	Email    string
	Name     string
	Role     string
	Password string
	Units    []string // unit codes; viewers only
}

// AccountError says which field of an account change is wrong and why. Field
// and Code are stable words ("password", "too_short") the server turns into
// a message from its locale files.
type AccountError struct {
	Field  string
	Code   string
	Detail string // e.g. the unknown unit code
}

func (e *AccountError) Error() string {
	if e.Detail != "" {
		return fmt.Sprintf("survey: account: %s: %s (%s)", e.Field, e.Code, e.Detail)
	}
	return fmt.Sprintf("survey: account: %s: %s", e.Field, e.Code)
}

// normalizeEmail trims and lower-cases an address and checks its form.
func normalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 {
		return "", &AccountError{Field: "email", Code: "invalid"}
	}
	return s, nil
}

func checkAccount(role, name string, units []string) error {
	if !ValidRole(role) {
		return &AccountError{Field: "role", Code: "invalid", Detail: clip(role)}
	}
	if utf8.RuneCountInString(name) > 200 {
		return &AccountError{Field: "name", Code: "too_long"}
	}
	if HasControl(name) {
		return &AccountError{Field: "name", Code: "control"}
	}
	if len(units) > 0 && role != RoleViewer {
		return &AccountError{Field: "units", Code: "viewer_only"}
	}
	return nil
}

// CreateUser stores a new account with a bcrypt hash of its password and,
// for a viewer, its unit scope. A duplicate e-mail is ErrConflict.
func (s *Store) CreateUser(ctx context.Context, nu NewUser) (*User, error) {
	email, err := normalizeEmail(nu.Email)
	if err != nil {
		return nil, err
	}
	name := strings.TrimSpace(nu.Name)
	if err := checkAccount(nu.Role, name, nu.Units); err != nil {
		return nil, err
	}
	hash, err := hashPassword(nu.Password)
	if err != nil {
		return nil, err
	}
	var id int64
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = insertID(ctx, tx, `INSERT INTO users (email, name, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?)`,
			email, name, hash, nu.Role, stamp(s.now()))
		if err != nil {
			return err
		}
		return setUserUnits(ctx, tx, id, nu.Units)
	})
	if isUnique(err) {
		return nil, fmt.Errorf("survey: create user %s: %w", email, ErrConflict)
	}
	if err != nil {
		return nil, wrapAccount("create user "+email, err)
	}
	return s.UserByID(ctx, id)
}

// wrapAccount keeps an AccountError recognisable through the wrapping.
func wrapAccount(what string, err error) error {
	var ae *AccountError
	if errors.As(err, &ae) {
		return err
	}
	return fmt.Errorf("survey: %s: %w", what, err)
}

// setUserUnits replaces a user's unit scope; every code must exist.
func setUserUnits(ctx context.Context, tx *sql.Tx, userID int64, codes []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM user_units WHERE user_id = ?`, userID); err != nil {
		return err
	}
	for _, code := range codes {
		code = strings.TrimSpace(code)
		if code == "" {
			continue
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO user_units (user_id, unit_id) SELECT ?, id FROM units WHERE code = ? ON CONFLICT DO NOTHING`, userID, code)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var exists int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM units WHERE code = ?`, code).Scan(&exists); err != nil {
				return err
			}
			if exists == 0 {
				return &AccountError{Field: "units", Code: "unknown", Detail: clip(code)}
			}
		}
	}
	return nil
}

const userColumns = `id, email, name, role, disabled, created_at, COALESCE(locked_until, '')`

func scanUser(row scanner) (*User, error) {
	var u User
	var created, locked string
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.Disabled, &created, &locked); err != nil {
		return nil, err
	}
	u.CreatedAt, _ = time.Parse(time.RFC3339, created)
	if locked != "" {
		u.LockedUntil, _ = time.Parse(time.RFC3339, locked)
	}
	return &u, nil
}

// UserByID returns an account with its unit scope.
func (s *Store) UserByID(ctx context.Context, id int64) (*User, error) {
	return s.userWhere(ctx, "id = ?", id)
}

// UserByEmail returns an account by e-mail (case-insensitive).
func (s *Store) UserByEmail(ctx context.Context, email string) (*User, error) {
	return s.userWhere(ctx, "email = ?", strings.TrimSpace(email))
}

func (s *Store) userWhere(ctx context.Context, where string, arg any) (*User, error) {
	u, err := scanUser(s.r.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("survey: user %v: %w", arg, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("survey: user %v: %w", arg, err)
	}
	if u.Units, err = s.userUnits(ctx, u.ID); err != nil {
		return nil, err
	}
	return u, nil
}

func (s *Store) userUnits(ctx context.Context, id int64) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT u.code FROM user_units uu JOIN units u ON u.id = uu.unit_id WHERE uu.user_id = ? ORDER BY u.code`, id)
	if err != nil {
		return nil, fmt.Errorf("survey: units of user %d: %w", id, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return nil, fmt.Errorf("survey: units of user %d: %w", id, err)
		}
		out = append(out, code)
	}
	return out, rows.Err()
}

// Users lists every account by e-mail, with unit scopes.
func (s *Store) Users(ctx context.Context) ([]*User, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY email`)
	if err != nil {
		return nil, fmt.Errorf("survey: users: %w", err)
	}
	var out []*User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("survey: users: %w", err)
		}
		out = append(out, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("survey: users: %w", err)
	}
	for _, u := range out {
		if u.Units, err = s.userUnits(ctx, u.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// UnitRef names a unit a viewer can be scoped to.
type UnitRef struct {
	Code string
	Name string
}

// AllUnits lists every unit of every period by code, for scope choices.
func (s *Store) AllUnits(ctx context.Context) ([]UnitRef, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT code, name FROM units ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("survey: all units: %w", err)
	}
	defer rows.Close()
	var out []UnitRef
	for rows.Next() {
		var u UnitRef
		if err := rows.Scan(&u.Code, &u.Name); err != nil {
			return nil, fmt.Errorf("survey: all units: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}
