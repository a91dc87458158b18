#!/bin/sh
# slurm.conf: Prolog=/opt/ursprung/jobs/slurm/prolog.sh  (runs as root on each allocated node)
# Writes the started record for this node. root must be in provd.spool.trusted.users, since the
# record names the job's user. Always exits 0: provenance must never keep a job from running.
. /opt/ursprung/jobs/slurm/ursprung-job-lib.sh
"$URSPRUNG" job started -q --job-id "$(ursprung_job_id "$SLURM_JOB_ID")" \
    --user "$SLURM_JOB_USER" >/dev/null 2>&1 || logger -t ursprung "prolog: no started record for $SLURM_JOB_ID"
exit 0
