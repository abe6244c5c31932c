#!/usr/bin/env bash
# Starts a one-node Slurm cluster on this machine (Debian 12: slurmctld, slurmd, slurm-client, munge; Slurm 22.05), so
# that `disentangle sweep --slurm --submit` and the end-to-end test (tests/.../Experiments/SlurmEndToEndTests.cs) run
# against a real scheduler. Needs root (it apt-installs the packages when missing and starts the daemons directly, with
# no systemd). Idempotent: daemons that already run are kept.
#   bash scripts/local-slurm.sh          install if needed, start, wait until the node is idle; exit 0
#   bash scripts/local-slurm.sh --stop   stop the daemons this script started (by their pid files)
# Exit codes: 0 the cluster answers; 2 it cannot be installed or started here (the reason is printed).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
conf=/etc/slurm/slurm.conf
pids=(/run/slurmd.pid /run/slurmctld.pid /run/munge/munged.pid)

fail() { echo "local-slurm: $*" >&2; exit 2; }

if [ "${1:-}" = "--stop" ]; then
  for f in "${pids[@]}"; do [ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  exit 0
fi

[ "$(id -u)" -eq 0 ] || fail "needs root to install and start Slurm (run: sudo bash $0)"
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  echo "local-slurm: installing slurmctld slurmd slurm-client munge" >&2
  # The packages' maintainer scripts try to start the services; in a container without systemd that is refused harmlessly.
  # Another apt-get (e.g. scripts/setup-deps.sh in a parallel job) may hold the lock: wait for it.
  log=$(mktemp)
  { apt-get -o DPkg::Lock::Timeout=300 update -qq && apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends \
      slurmctld slurmd slurm-client munge; } >"$log" 2>&1 \
    || { tail -n 5 "$log" >&2; rm -f "$log"; fail "apt-get could not install slurmctld slurmd slurm-client munge"; }
  rm -f "$log"
fi

host=$(hostname -s)
if [ ! -s /etc/munge/munge.key ]; then
  dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null
  chown munge:munge /etc/munge/munge.key
  chmod 400 /etc/munge/munge.key
fi
mkdir -p /run/munge /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /etc/slurm
chown munge:munge /run/munge

running() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# The daemons outlive this script: they must not inherit its open files beyond stdin/out/err (a caller's
# `flock LOCK -c 'bash scripts/local-slurm.sh'` would otherwise stay locked for as long as they run).
for fd in /proc/$$/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] 2>/dev/null && [ "$n" -ne 255 ] && eval "exec $n>&-" 2>/dev/null || true; done

running /run/munge/munged.pid || runuser -u munge -- /usr/sbin/munged || fail "munged did not start"

# Memory is not a consumable resource here (CR_Core), so RealMemory only has to be at most what the node has.
memory=$(( $(awk '/MemTotal/{print $2}' /proc/meminfo) / 1024 - 1024 ))
cat > "$conf.new" <<CONF
# Written by disentangle's scripts/local-slurm.sh: a one-node cluster for tests.
ClusterName=local
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
# Finished jobs stay visible to scontrol for 10 minutes (there is no accounting database, so sacct does not answer).
MinJobAge=600
KillWait=30
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
NodeName=$host CPUs=$(nproc) RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
changed=0
cmp -s "$conf.new" "$conf" 2>/dev/null || { mv "$conf.new" "$conf"; changed=1; }
rm -f "$conf.new"

if running /run/slurmctld.pid; then
  [ $changed -eq 1 ] && scontrol reconfigure >/dev/null 2>&1 || true
else
  /usr/sbin/slurmctld || fail "slurmctld did not start (see /var/log/slurm/slurmctld.log)"
fi
running /run/slurmd.pid || /usr/sbin/slurmd || fail "slurmd did not start (see /var/log/slurm/slurmd.log)"

for _ in $(seq 60); do
  state=$(sinfo -h -n "$host" -o %T 2>/dev/null || true)
  case "$state" in
    idle*|mixed*|alloc*) sinfo; exit 0 ;;
    down*|drain*) scontrol update NodeName="$host" State=RESUME >/dev/null 2>&1 || true ;;
  esac
  sleep 1
done
fail "the node did not become idle within 60 s (state: ${state:-no answer}; see /var/log/slurm/)"
