#!/bin/sh
# Example for IBM Spectrum LSF: queue-level PRE_EXEC (lsb.queues: PRE_EXEC=/opt/ursprung/jobs/lsf/pre_exec.sh),
# runs as the job's user on the first execution host before the job. Submission records can be
# written by an esub or a bsub wrapper like deployment/jobs/slurm/sbatch-ursprung.
URSPRUNG=${URSPRUNG:-/opt/ursprung/bin/ursprung}
job_id="${LSF_CLUSTER_NAME:-cluster}:lsf:${LSB_JOBID}:${LSB_JOBINDEX:-0}:$(date -u -d "@${LSB_JOB_SUBMIT_TIME:-0}" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || echo unknown)"
"$URSPRUNG" job started -q --job-id "$job_id" --this-session >/dev/null 2>&1
exit 0
