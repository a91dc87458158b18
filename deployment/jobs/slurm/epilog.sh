#!/bin/sh
# slurm.conf: Epilog=/opt/ursprung/jobs/slurm/epilog.sh  (runs as root on each allocated node)
# Writes the finished record once, from the first node of the allocation. The state is Slurm's
# view at epilog time, mapped onto the audit states; accounting (sacct) later gives the final word
# on times and CPU.
. /opt/ursprung/jobs/slurm/ursprung-job-lib.sh
first=$(scontrol show hostnames "$SLURM_JOB_NODELIST" 2>/dev/null | head -n 1)
[ -z "$first" ] || [ "$first" = "$(hostname -s)" ] || exit 0
state=$(ursprung_job_field "$SLURM_JOB_ID" JobState)
exit_code=$(ursprung_job_field "$SLURM_JOB_ID" ExitCode)   # "code:signal"
case "$state" in
    CANCELLED*) final=FAIL_USER_TERMINATED ;;
    TIMEOUT|OUT_OF_MEMORY|DEADLINE) final=FAIL_RESOURCE_LIMIT ;;
    NODE_FAIL|BOOT_FAIL|PREEMPTED) final=FAIL_LRM_FAILURE ;;
    *) final=SUCCESSFUL_COMPLETION ;;   # ran to its end; the exit code says how it fared
esac
"$URSPRUNG" job finished -q --job-id "$(ursprung_job_id "$SLURM_JOB_ID")" \
    --user "$SLURM_JOB_USER" --state "$final" \
    ${exit_code:+--exit-code "${exit_code%%:*}"} >/dev/null 2>&1 \
    || logger -t ursprung "epilog: no finished record for $SLURM_JOB_ID"
exit 0
