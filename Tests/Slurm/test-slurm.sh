#!/usr/bin/env bash
# `make test-slurm`: the cluster path against a real, single-node Slurm that this
# script starts itself (munged, slurmctld, slurmd, each from a private folder, on
# ports of its own) and stops by their pid files when it ends, whatever happens.
#
# 1. A local `nnreport run --quick` is the reference.
# 2. `nnreport slurm submit --quick --tasks 3` into a fresh folder; its results.json,
#    figures/ and tables/ must equal the reference's byte for byte, with the
#    provenance (wall times, dates) normalised.
# 3. Again, with array task 1 cancelled (scancel) while it runs, then `slurm submit`
#    again: the same result.
set -euo pipefail
cd "$(dirname "$0")/../.."
binary="$PWD/.build/release/nnreport"
[ -x "$binary" ] || { echo "test-slurm: $binary not found; run make build first" >&2; exit 1; }

work="$(mktemp -d /tmp/nnreport-slurm.XXXXXX)"
state="$work/slurm"
mkdir -p "$state"/{state,spool,log,munge}
stop() {
    for pid in "$state/slurmd.pid" "$state/slurmctld.pid" "$state/munge/munged.pid"; do
        [ -f "$pid" ] && kill "$(cat "$pid")" 2>/dev/null || true
    done
    sleep 1
    rm -rf "$work"
}
trap stop EXIT

host="$(hostname -s)"
cat > "$state/slurm.conf" <<CONF
ClusterName=nnreport-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
SlurmctldPort=16917
SlurmdPort=16918
AuthType=auth/munge
AuthInfo=socket=$state/munge/munge.socket.2
StateSaveLocation=$state/state
SlurmdSpoolDir=$state/spool
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
MinJobAge=600
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$state/slurm.conf"

chmod 700 "$state/munge"
dd if=/dev/urandom of="$state/munge/munge.key" bs=1024 count=1 2>/dev/null
chmod 400 "$state/munge/munge.key"
munged --force --socket="$state/munge/munge.socket.2" --key-file="$state/munge/munge.key" \
    --log-file="$state/munge/munged.log" --pid-file="$state/munge/munged.pid" --seed-file="$state/munge/munged.seed"
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 60); do
    sinfo --noheader --states=idle 2>/dev/null | grep -q idle && break
    sleep 1
done
sinfo --noheader --states=idle | grep -q idle || { echo "test-slurm: the node did not come up" >&2; tail -20 "$state/log/"*.log >&2; exit 1; }
echo "test-slurm: single-node Slurm up on $host ($(nproc) CPUs)"

# Waits until none of the jobs in the file $1 is queued or running (at most $2 seconds).
wait_for() {
    local jobs; jobs="$(paste -sd, "$1")"
    for _ in $(seq "$2"); do
        [ -z "$(squeue --noheader --jobs "$jobs" 2>/dev/null)" ] && return 0
        sleep 1
    done
    echo "test-slurm: jobs $jobs still queued after $2 s" >&2
    squeue --jobs "$jobs" >&2 || true
    return 1
}

# Submits the quick study into $1 and records its job ids in $1.jobs.
submit() {
    "$binary" slurm submit --quick --tasks 3 --cpus-per-task 1 --output "$1" | tee "$1.submit"
    grep -oE '^  [0-9]+' "$1.submit" | tr -d ' ' > "$1.jobs"
}

# Compares results.json, figures/ and tables/ of $1 with the reference.
compare() {
    python3 - "$work/local" "$1" <<'PY'
import csv, io, json, os, sys
# Each report's files are in the report-<digest>/ folder its index.html links to (the only one after a publish).
def site(output):
    folders = [name for name in os.listdir(output) if name.startswith("report-")]
    if len(folders) != 1: sys.exit(f"test-slurm: {output}: expected one report-* folder, found {folders}")
    return os.path.join(output, folders[0])
reference, actual = site(sys.argv[1]), site(sys.argv[2])
def strip(value):
    if isinstance(value, dict): return {k: strip(v) for k, v in value.items() if k not in ("wallSeconds", "coreSeconds", "secondsToLevel", "sharedSeconds")}
    if isinstance(value, list): return [strip(v) for v in value]
    return value
def table(path):
    rows = list(csv.reader(io.StringIO(open(path, encoding="utf-8").read())))
    drop = {i for i, name in enumerate(rows[0]) if name in ("Wall time (s)", "Cores", "Finished (UTC)", "Seconds to the common level")} if rows else set()
    return [[cell for i, cell in enumerate(row) if i not in drop] for row in rows]
problems = []
if strip(json.load(open(os.path.join(reference, "results.json")))) != strip(json.load(open(os.path.join(actual, "results.json")))):
    problems.append("results.json differs")
for folder in ("figures", "tables"):
    names = sorted(os.listdir(os.path.join(reference, folder)))
    if names != sorted(os.listdir(os.path.join(actual, folder))):
        problems.append(f"{folder}/ holds other files")
        continue
    for name in names:
        a, b = os.path.join(reference, folder, name), os.path.join(actual, folder, name)
        same = table(a) == table(b) if name.endswith(".csv") else open(a, "rb").read() == open(b, "rb").read()
        if not same: problems.append(f"{folder}/{name} differs")
if problems:
    print("test-slurm: " + "; ".join(problems), file=sys.stderr)
    sys.exit(1)
print(f"test-slurm: {actual}: results.json, figures/ and tables/ equal the local run's")
PY
}

echo "test-slurm: local reference"
"$binary" run --quick --output "$work/local" > "$work/local.log" 2>&1

echo "test-slurm: 3 array tasks"
submit "$work/cluster"
wait_for "$work/cluster.jobs" 240
compare "$work/cluster"

echo "test-slurm: 3 array tasks, task 1 cancelled while it runs, then submitted again"
submit "$work/cancelled"
array="$(sed -n 2p "$work/cancelled.jobs")"
for _ in $(seq 120); do
    squeue --noheader --array --jobs "$array" --format='%i %T' | grep -q "^${array}_1 RUNNING" && break
    sleep 0.5
done
sleep 2
scancel "${array}_1"
echo "test-slurm: cancelled ${array}_1"
wait_for "$work/cancelled.jobs" 240
if "$binary" slurm status --quick --output "$work/cancelled" | tee "$work/cancelled.status" | grep -q " 0 missing"; then
    echo "test-slurm: task 1 finished before it was cancelled; the resubmission below has nothing to train"
fi
submit "$work/cancelled"
if [ -s "$work/cancelled.jobs" ]; then wait_for "$work/cancelled.jobs" 240; fi
"$binary" render --output "$work/cancelled" > /dev/null
compare "$work/cancelled"
echo "test-slurm: passed"
