#!/bin/sh
# Shared by the Slurm hooks: the global job id and the ursprung command.
#
# The global id must be the same in every hook and unique over time although Slurm reuses its
# ids: cluster name, "slurm", the local id and the submit time in UTC.

URSPRUNG=${URSPRUNG:-/opt/ursprung/bin/ursprung}

ursprung_job_id() {
    # $1: the Slurm job id. scontrol prints SubmitTime in the controller's local time, without zone.
    submit=$(scontrol show job -o "$1" 2>/dev/null | sed -n 's/.* SubmitTime=\([^ ]*\).*/\1/p')
    if [ -n "$submit" ] && [ "$submit" != "Unknown" ]; then
        submit=$(date -u -d "$submit" +%Y-%m-%dT%H:%M:%SZ)
    else
        submit=unknown
    fi
    echo "${SLURM_CLUSTER_NAME:-cluster}:slurm:$1:$submit"
}

# Field $2 of "scontrol show job -o" for job $1 (JobState, ExitCode, ...).
ursprung_job_field() {
    scontrol show job -o "$1" 2>/dev/null | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1
}
