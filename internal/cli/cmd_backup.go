package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"integritas/survey"
)

// cmdBackup copies the database while the server keeps serving, then
// verifies the copy (integrity check and counts) before it appears.
func cmdBackup(cl *cli, ctx context.Context, args []string) error {
	fs, cfg := cl.flags("backup")
	pos, err := cl.parse(fs, cfg, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return cl.fail("cli.backup.one_file", "Usage", "integritas backup FILE")
	}
	if survey.IsPostgres(cfg.DB) {
		return cl.fail("cli.backup.postgres") // not a file; and its URL may hold a password
	}
	if _, err := os.Stat(cfg.DB); err != nil {
		return cl.wrap(err, "cli.backup.database", "DB", cfg.DB)
	}
	st, err := cl.openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := st.Backup(ctx, pos[0])
	if err != nil {
		return cl.wrap(err, "cli.backup.failed")
	}
	if err := st.Audit(ctx, "cli", "ops.backup", "file:"+rep.Path, fmt.Sprintf("%d bytes, %d responses", rep.Bytes, rep.Responses)); err != nil {
		return cl.wrap(err, "cli.audit")
	}
	cl.say("cli.backup.written", "Path", rep.Path, "Bytes", rep.Bytes, "Schema", rep.SchemaVersion, "Periods", rep.Periods,
		"Responses", rep.Responses, "Users", rep.Users, "Audit", rep.AuditEntries)
	cl.say("cli.backup.key_note", "Key", st.KeyPath())
	return nil
}

// cmdRestore replaces the database with a verified backup; the server must
// be stopped, and the replaced file is kept beside it.
func cmdRestore(cl *cli, ctx context.Context, args []string) error {
	fs, cfg := cl.flags("restore")
	pos, err := cl.parse(fs, cfg, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return cl.fail("cli.backup.one_file", "Usage", "integritas restore FILE")
	}
	if survey.IsPostgres(cfg.DB) {
		return cl.fail("cli.restore.postgres")
	}
	keyPath := cfg.KeyFile
	if keyPath == "" {
		keyPath = cfg.DB + ".key"
	}
	rep, err := survey.Restore(ctx, cfg.DB, keyPath, pos[0], cl.now())
	if errors.Is(err, survey.ErrInUse) {
		return cl.fail("cli.restore.in_use", "DB", cfg.DB)
	}
	if errors.Is(err, survey.ErrKeyFile) {
		return cl.wrap(err, "cli.restore.key_file", "Key", keyPath)
	}
	if err != nil {
		return cl.wrap(err, "cli.restore.failed")
	}
	st, err := cl.openStore(ctx, cfg) // applies migrations newer than the backup
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Audit(ctx, "cli", "ops.restore", "file:"+rep.Backup.Path, "previous kept as "+rep.Previous); err != nil {
		return cl.wrap(err, "cli.audit")
	}
	cl.say("cli.restore.done", "DB", cfg.DB, "Path", rep.Backup.Path, "Periods", rep.Backup.Periods, "Responses", rep.Backup.Responses, "Users", rep.Backup.Users)
	if rep.Previous != "" {
		cl.say("cli.restore.previous", "Path", rep.Previous)
	}
	return nil
}
