#!/bin/sh
# slurm.conf: TaskProlog=/opt/ursprung/jobs/slurm/task-prolog.sh  (runs as the job's user)
# For the batch step only: a started record naming the session and process group of the task
# (SLURM_TASK_PID), which is what links the job's processes to it (docs/jobs.md, Linking).
# TaskProlog's standard output is read by Slurm (export/print lines), so nothing goes there.
case "${SLURM_STEP_ID:-batch}" in
    batch|4294967294) ;;
    *) exit 0 ;;
esac
. /opt/ursprung/jobs/slurm/ursprung-job-lib.sh
"$URSPRUNG" job started -q --job-id "$(ursprung_job_id "$SLURM_JOB_ID")" \
    --pid "$SLURM_TASK_PID" >/dev/null 2>&1
exit 0
