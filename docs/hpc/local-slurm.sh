#!/bin/bash
# A one-node Slurm on this machine, to try docs/hpc/*.sbatch before a real cluster (as root,
# with Debian's slurm-wlm and munge: `make deps` installs them): munged, slurmctld and slurmd
# from a slurm.conf in a folder of their own, stopped by their pids. tests/test_sweep_slurm.py
# runs its Slurm on the slurm.conf that `conf` writes.
#
#   docs/hpc/local-slurm.sh start [DIR]    # prints the export to use; DIR default /tmp/cs-slurm
#   export SLURM_CONF=DIR/slurm.conf
#   SWEEP=scenarios/sweeps/rd_credit_rates.cfg OUT=rd_rates sbatch --array=0-3 docs/hpc/array.sbatch
#   squeue; sinfo
#   docs/hpc/local-slurm.sh stop [DIR]
#   docs/hpc/local-slurm.sh conf DIR       # only writes DIR/slurm.conf and the munge key
set -eu
cmd=${1:-}
dir=${2:-/tmp/cs-slurm} # short: the munge socket's path has a length limit

# DIR/slurm.conf (one node: this machine and its cores; root; munge's socket in DIR), the munge
# key, and the daemons' state and spool folders.
write_conf() {
    mkdir -p "$dir/state" "$dir/spool"
    dir=$(cd "$dir" && pwd)
    head -c 1024 /dev/urandom >"$dir/munge.key"
    chmod 600 "$dir/munge.key"
    local host
    host=$(hostname -s)
    port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
    cat >"$dir/slurm.conf" <<CONF
# written by docs/hpc/local-slurm.sh: a one-node cluster on this machine
ClusterName=cslocal
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$(port)
SlurmdPort=$(port)
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=500 State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
SlurmdParameters=config_overrides
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge.sock
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SchedulerType=sched/builtin
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
SwitchType=switch/none
# sbatch --wait polls every 2 s only when MinJobAge is small (else its sleeps grow to 32 s)
MinJobAge=10
CONF
}

case "$cmd" in
conf)
    write_conf
    echo "$dir/slurm.conf"
    ;;
start)
    for b in munged slurmctld slurmd sinfo; do
        command -v "$b" >/dev/null || { echo "$b missing: make deps installs slurm-wlm and munge" >&2; exit 2; }
    done
    [ ! -e "$dir/slurmctld.pid" ] || { echo "$dir: a Slurm of this script may run there: stop it first" >&2; exit 2; }
    write_conf
    export SLURM_CONF="$dir/slurm.conf"
    munged -f --key-file="$dir/munge.key" --socket="$dir/munge.sock" --pid-file="$dir/munged.pid" \
        --log-file="$dir/munged.log" --seed-file="$dir/munge.seed"
    slurmctld -i
    slurmd
    for _ in $(seq 80); do
        [ "$(sinfo -h -o %t 2>/dev/null)" = idle ] && break
        sleep 0.5
    done
    if [ "$(sinfo -h -o %t 2>/dev/null)" != idle ]; then
        echo "the node did not come up: see $dir/*.log; stopping" >&2
        "$0" stop "$dir"
        exit 1
    fi
    echo "a one-node Slurm runs; in your shell: export SLURM_CONF=$dir/slurm.conf"
    echo "stop it with: $0 stop $dir"
    ;;
stop)
    # the jobs first: their steps and runs would outlive slurmd
    if [ -s "$dir/slurmctld.pid" ] && command -v scancel >/dev/null; then
        export SLURM_CONF="$dir/slurm.conf"
        scancel --partition=local 2>/dev/null || true
        for _ in $(seq 100); do
            [ -z "$(squeue -h 2>/dev/null)" ] && break
            sleep 0.2
        done
    fi
    for d in slurmd slurmctld munged; do
        [ -s "$dir/$d.pid" ] || continue
        pid=$(cat "$dir/$d.pid")
        rm -f "$dir/$d.pid"
        # only the daemon itself: a pid file left by a crash may name another process by now
        case "$pid" in '' | *[!0-9]*) continue ;; esac
        [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$d" ] || continue
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 100); do # until it has ended (10 s), then for good
            [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$d" ] || break
            sleep 0.1
        done
        [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != "$d" ] || kill -9 "$pid" 2>/dev/null || true
    done
    ;;
*)
    echo "usage: $0 start|stop|conf [DIR]" >&2
    exit 2
    ;;
esac
