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
		return errors.New("give the backup file to write (integritas backup FILE)")
	}
	if _, err := os.Stat(cfg.DB); err != nil {
		return fmt.Errorf("database %s: %w", cfg.DB, err)
	}
	st, err := cl.openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := st.Backup(ctx, pos[0])
	if err != nil {
		return err
	}
	if err := st.Audit(ctx, "cli", "ops.backup", "file:"+rep.Path, fmt.Sprintf("%d bytes, %d responses", rep.Bytes, rep.Responses)); err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	fmt.Fprintf(cl.stdout, "backup written to %s (%d bytes, mode 0600) and verified: integrity ok, schema %d, %d periods, %d responses, %d users, %d audit entries\n",
		rep.Path, rep.Bytes, rep.SchemaVersion, rep.Periods, rep.Responses, rep.Users, rep.AuditEntries)
	fmt.Fprintf(cl.stdout, "the backup does not hold the key file %s: keep a copy of it apart from the database backups (another medium, "+
		"another person); a restore needs it, and a database backup alone cannot tie an answer to a person\n", st.KeyPath())
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
		return errors.New("give the backup file to restore (integritas restore FILE)")
	}
	keyPath := cfg.KeyFile
	if keyPath == "" {
		keyPath = cfg.DB + ".key"
	}
	rep, err := survey.Restore(ctx, cfg.DB, keyPath, pos[0], cl.now())
	if errors.Is(err, survey.ErrInUse) {
		return fmt.Errorf("%w\nstop the server (or any other integritas command using %s), then run restore again", err, cfg.DB)
	}
	if errors.Is(err, survey.ErrKeyFile) {
		return fmt.Errorf("%w\nthe database was not replaced: copy the key file kept with your backups to %s (mode 0400), or name it with --key-file, then run restore again", err, keyPath)
	}
	if err != nil {
		return err
	}
	st, err := cl.openStore(ctx, cfg) // applies migrations newer than the backup
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Audit(ctx, "cli", "ops.restore", "file:"+rep.Backup.Path, "previous kept as "+rep.Previous); err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	fmt.Fprintf(cl.stdout, "restored %s from %s: %d periods, %d responses, %d users\n", cfg.DB, rep.Backup.Path, rep.Backup.Periods, rep.Backup.Responses, rep.Backup.Users)
	if rep.Previous != "" {
		fmt.Fprintf(cl.stdout, "the replaced database is kept as %s\n", rep.Previous)
	}
	return nil
}
