package cli

import (
	"database/sql"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// The insider's tools of the attack suite: SQLite's WAL read frame by
// frame, and the database as it stood at every commit in it.

// walFrame is one page image of a WAL; commit is the database size in
// pages after the commit this frame ends, or 0.
type walFrame struct {
	page, commit uint32
	data         []byte
}

// walCommits parses a -wal file and returns, for every commit in it (in
// order), a key naming the commit and the frames up to and including it.
// Frames whose salts do not match the header are left over from an earlier
// use of the file and are not part of the log.
func walCommits(wal []byte) (keys []string, frames [][]walFrame) {
	if len(wal) < 32 {
		return nil, nil
	}
	if m := binary.BigEndian.Uint32(wal); m != 0x377f0682 && m != 0x377f0683 {
		return nil, nil
	}
	size := int(binary.BigEndian.Uint32(wal[8:]))
	salt := string(wal[16:24])
	var all []walFrame
	for off := 32; off+24+size <= len(wal); off += 24 + size {
		h := wal[off : off+24]
		if string(h[8:16]) != salt {
			break
		}
		f := walFrame{page: binary.BigEndian.Uint32(h), commit: binary.BigEndian.Uint32(h[4:]), data: wal[off+24 : off+24+size]}
		all = append(all, f)
		if f.commit != 0 {
			keys = append(keys, fmt.Sprintf("%x/%d", salt, len(all)))
			frames = append(frames, all[:len(all):len(all)])
		}
	}
	return keys, frames
}

// materialize writes the database as it stood after a commit: the main
// file with the WAL's frames up to the commit laid over it, in rollback
// mode so that SQLite reads it alone.
func materialize(t *testing.T, dir string, db []byte, frames []walFrame) string {
	t.Helper()
	size := len(frames[0].data)
	pages := int(frames[len(frames)-1].commit)
	img := make([]byte, pages*size)
	copy(img, db)
	for _, f := range frames {
		if int(f.page) <= pages {
			copy(img[int(f.page-1)*size:], f.data)
		}
	}
	img[18], img[19] = 1, 1 // rollback journal: no -wal beside it
	f, err := os.CreateTemp(dir, "state-*.db")
	must(t, err)
	_, err = f.Write(img)
	must(t, err)
	must(t, f.Close())
	return f.Name()
}

// insiderState is what an insider reads from one state of the database:
// per (unit, type), the invitations used and the responses released
// (with the test's marker, to score the attack; the attacker does not use it).
type insiderState struct {
	used      map[string]map[int64]bool   // group -> invitation ids used
	responses map[string]map[int64]string // group -> response id -> marker
	pooled    int
}

// readState opens a database file read-only and reads an insiderState;
// ok is false when the schema is not there yet (the first commits).
func readState(t *testing.T, path, markerItem string) (insiderState, bool) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&immutable=1")
	must(t, err)
	defer db.Close()
	return readStateDB(t, db, markerItem)
}

// readStateDB reads an insiderState through SQL that both engines run.
func readStateDB(t *testing.T, db *sql.DB, markerItem string) (insiderState, bool) {
	t.Helper()
	s := insiderState{used: map[string]map[int64]bool{}, responses: map[string]map[int64]string{}}
	rows, err := db.Query(`SELECT i.id, u.code || '/' || i.respondent_type, i.used FROM invitations i JOIN units u ON u.id = i.unit_id`)
	if err != nil {
		return s, false
	}
	for rows.Next() {
		var id int64
		var g string
		var used bool
		must(t, rows.Scan(&id, &g, &used))
		if s.used[g] == nil {
			s.used[g] = map[int64]bool{}
		}
		if used {
			s.used[g][id] = true
		}
	}
	rows.Close()
	rows, err = db.Query(`SELECT r.id, u.code || '/' || r.respondent_type, COALESCE(t.body, '') FROM responses r JOIN units u ON u.id = r.unit_id
		LEFT JOIN text_answers t ON t.response_id = r.id AND t.item_code = ? WHERE r.channel = 'invitation'`, markerItem)
	if err != nil {
		return s, false
	}
	for rows.Next() {
		var id int64
		var g, marker string
		must(t, rows.Scan(&id, &g, &marker))
		if s.responses[g] == nil {
			s.responses[g] = map[int64]string{}
		}
		s.responses[g][id] = marker
	}
	rows.Close()
	db.QueryRow(`SELECT count(*) FROM response_pool`).Scan(&s.pooled)
	return s, true
}

// linkAttack is the insider's best inference from a sequence of states
// (every commit of the WAL, or consecutive backups): a response released
// at state t came from an invitation used by t, and not from one used by
// the last state at which every used invitation of its group already had
// its response (the pool was empty). It returns, per response marker, the
// candidate invitations.
func linkAttack(states []insiderState) map[string]map[int64]bool {
	out := map[string]map[int64]bool{}
	settled := map[string]map[int64]bool{}
	seen := map[int64]bool{}
	for _, s := range states {
		for g, rs := range s.responses {
			for id, marker := range rs {
				if seen[id] {
					continue
				}
				seen[id] = true
				cands := map[int64]bool{}
				for inv := range s.used[g] {
					if !settled[g][inv] {
						cands[inv] = true
					}
				}
				out[marker] = cands
			}
		}
		for g, used := range s.used {
			if len(used) == len(s.responses[g]) {
				settled[g] = map[int64]bool{}
				for inv := range used {
					settled[g][inv] = true
				}
			}
		}
	}
	return out
}

// linkScore counts the responses the attack narrows to fewer than bound
// candidates (linked beyond the k-anonymity bound), and checks that every
// candidate set holds the true invitation (else the attack is unsound and
// proves nothing).
func linkScore(t *testing.T, what string, cands map[string]map[int64]bool, truth map[string]int64, bound int) (linked, smallest int) {
	t.Helper()
	smallest = -1
	for marker, inv := range truth {
		c, ok := cands[marker]
		if !ok {
			t.Errorf("%s: the response %s was never seen", what, marker)
			continue
		}
		if !c[inv] {
			t.Errorf("%s: the attack lost the true invitation of %s: unsound", what, marker)
		}
		if len(c) < bound {
			linked++
		}
		if smallest < 0 || len(c) < smallest {
			smallest = len(c)
		}
	}
	return linked, smallest
}

// copyFiles reads the database and its WAL as they are now.
func copyFiles(path string) (db, wal []byte) {
	db, _ = os.ReadFile(path)
	wal, _ = os.ReadFile(path + "-wal")
	return db, wal
}

func tempDir(t *testing.T, name string) string {
	d := filepath.Join(t.TempDir(), name)
	must(t, os.MkdirAll(d, 0o700))
	return d
}
