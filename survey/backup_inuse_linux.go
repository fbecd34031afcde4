package survey

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// walDMSByte is the byte of the -shm file that every WAL-mode connection
// holds a shared lock on while open (SQLite's "dead man switch").
const walDMSByte = 128

// checkNotInUse returns ErrInUse when any connection, in this process or
// another, has the database open. It tries an open-file-description write
// lock on the -shm file's DMS byte: OFD locks conflict with SQLite's POSIX
// locks even inside one process.
func checkNotInUse(dbPath string) error {
	f, err := os.OpenFile(dbPath+"-shm", os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil // no WAL index: nobody has it open in WAL mode
	}
	if err != nil {
		return fmt.Errorf("survey: check %s is not in use: %w", dbPath, err)
	}
	defer f.Close()
	lk := unix.Flock_t{Type: unix.F_WRLCK, Whence: 0, Start: walDMSByte, Len: 1}
	err = unix.FcntlFlock(f.Fd(), unix.F_OFD_SETLK, &lk)
	if errors.Is(err, unix.EAGAIN) || errors.Is(err, unix.EACCES) {
		return fmt.Errorf("survey: %s is open (is the server running? stop it first): %w", dbPath, ErrInUse)
	}
	if err != nil {
		return fmt.Errorf("survey: check %s is not in use: %w", dbPath, err)
	}
	lk.Type = unix.F_UNLCK
	unix.FcntlFlock(f.Fd(), unix.F_OFD_SETLK, &lk)
	return nil
}
