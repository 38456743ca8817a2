#!/bin/sh
# refdata.sh -- compatibility checks against other projects' data, read at
# run time from ../shared/refdata beside the repository (never copied in):
# TABARI's and PETRARCH-2's dictionaries load through `dyad dict check`
# without a crash, and `dyad eval` scores their validation records.
# Prints one line per check: PASS name, FAIL name: reason, SKIP name: reason.
# The accuracy figures are printed; they must only stay above a floor set
# a margin below what was measured when the check was written.
# Environment: DYAD (the dyad program; default build/dyad).
set -u
here=$(cd "$(dirname "$0")" && pwd)
refdata="$here/../../shared/refdata"
DYAD=${DYAD:-$here/../build/dyad}
tab="$refdata/tabari"
petr="$refdata/petrarch2/dictionaries"
petr_text="$refdata/petrarch2/text"

# F1 floors, a margin under the measured figures (README, Accuracy): they
# catch a broken loader, reader or coder, not small drift.
petr_floor=0.75
tab_floor=0.70

out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

if [ ! -d "$refdata" ]; then
	for name in "petrarch dictionaries" "petrarch validation dictionaries" "tabari dictionaries" \
		"petrarch eval" "tabari eval"; do
		echo "SKIP refdata $name: no reference data at $refdata"
	done
	exit 0
fi
if [ ! -x "$DYAD" ]; then
	echo "FAIL refdata: no dyad program at $DYAD"
	exit 1
fi

failed=0

# A sanitizer report or a signal is a crash, whatever the exit status.
crashed() {
	rc=$1
	[ "$rc" -gt 1 ] || grep -q -e 'Sanitizer' -e 'runtime error' "$err"
}

# check_load NAME FORMAT FILE...: `dict check` must finish with its count.
check_load() {
	name=$1
	format=$2
	shift 2
	for f in "$@"; do
		if [ ! -f "$f" ]; then
			echo "SKIP refdata $name: $f is missing"
			return
		fi
	done
	"$DYAD" dict check --no-builtin --dict-format "$format" "$@" >"$out" 2>"$err"
	rc=$?
	count=$(grep -E '^[0-9]+ problems; loaded' "$out")
	if crashed "$rc"; then
		echo "FAIL refdata $name: crashed (exit $rc): $(grep -m1 -e Sanitizer -e 'runtime error' "$err")"
		failed=1
	elif [ -z "$count" ]; then
		echo "FAIL refdata $name: no problem count printed (exit $rc)"
		failed=1
	else
		echo "PASS refdata $name: $count"
	fi
}

# check_eval NAME FLOOR FILE: `eval` must print its summary, F1 >= FLOOR.
check_eval() {
	name=$1
	floor=$2
	file=$3
	if [ ! -f "$file" ]; then
		echo "SKIP refdata $name: $file is missing"
		return
	fi
	"$DYAD" eval "$file" >"$out" 2>"$err"
	rc=$?
	summary=$(grep -E '^records [0-9]+  gold [0-9]+  found [0-9]+  correct [0-9]+  precision' "$out")
	if crashed "$rc"; then
		echo "FAIL refdata $name: crashed (exit $rc): $(grep -m1 -e Sanitizer -e 'runtime error' "$err")"
		failed=1
	elif [ "$rc" -ne 0 ] || [ -z "$summary" ]; then
		echo "FAIL refdata $name: no summary line (exit $rc)"
		failed=1
	else
		f1=$(printf '%s\n' "$summary" | sed 's/.*F1 //')
		if awk -v f="$f1" -v m="$floor" 'BEGIN { exit !(f + 0 >= m + 0) }'; then
			echo "PASS refdata $name: $summary"
		else
			echo "FAIL refdata $name: F1 $f1 below the floor $floor: $summary"
			failed=1
		fi
	fi
}

check_load "petrarch dictionaries" petrarch \
	"$petr/Phoenix.Countries.actors.txt" "$petr/Phoenix.International.actors.txt" \
	"$petr/Phoenix.MilNonState.actors.txt" "$petr/Phoenix.agents.txt" "$petr/CAMEO.2.0.txt"
check_load "petrarch validation dictionaries" petrarch \
	"$petr/PETR.Validate.actors.txt" "$petr/PETR.Validate.agents.txt" "$petr/PETR.Validate.verbs.txt"
check_load "tabari dictionaries" tabari \
	"$tab/TABARI.Demo.actors" "$tab/Validate.agents" "$tab/TABARI.Demo.verbs" \
	"$tab/CAMEO.091003.master.verbs"
check_eval "petrarch eval" "$petr_floor" "$petr_text/PETR.UnitTest.records.xml"
check_eval "tabari eval" "$tab_floor" "$tab/Validate.text"

exit $failed
