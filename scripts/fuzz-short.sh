#!/bin/sh
# A short run of every fuzz target in the module (CI runs it after the unit
# tests): each target for FUZZTIME (default 10s), starting from its seed
# corpus (f.Add and testdata/fuzz/<Target>/). A failure stops the script;
# the failing input is written to the package's testdata/fuzz/<Target>/,
# where it stays as a regression seed once committed.
#
#   sh scripts/fuzz-short.sh            # every target, 10 s each
#   FUZZTIME=2m sh scripts/fuzz-short.sh
set -eu
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-10s}
targets=$(grep -rhoE --include='*_test.go' '^func Fuzz[A-Za-z0-9_]+' . | wc -l)
echo "fuzzing $targets targets for $fuzztime each"
for file in $(grep -rlE --include='*_test.go' '^func Fuzz[A-Za-z0-9_]+' . | sort); do
	pkg="./$(dirname "${file#./}")"
	for name in $(grep -oE '^func Fuzz[A-Za-z0-9_]+' "$file" | sed 's/^func //'); do
		echo "+ go test $pkg -run '^\$' -fuzz '^$name\$' -fuzztime $fuzztime"
		go test "$pkg" -run '^$' -fuzz "^$name\$" -fuzztime "$fuzztime"
	done
done
