#!/bin/sh
# Example for LSF: queue-level POST_EXEC, runs after the job with LSB_JOBEXIT_STAT (wait status)
# and LSB_JOBEXIT_INFO.
URSPRUNG=${URSPRUNG:-/opt/ursprung/bin/ursprung}
job_id="${LSF_CLUSTER_NAME:-cluster}:lsf:${LSB_JOBID}:${LSB_JOBINDEX:-0}:$(date -u -d "@${LSB_JOB_SUBMIT_TIME:-0}" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || echo unknown)"
status=${LSB_JOBEXIT_STAT:-0}
case "$LSB_JOBEXIT_INFO" in
    *KILL*|*REQUEUE*) state=FAIL_USER_TERMINATED ;;
    *RUNLIMIT*|*MEMLIMIT*|*CPULIMIT*) state=FAIL_RESOURCE_LIMIT ;;
    *) state=SUCCESSFUL_COMPLETION ;;
esac
"$URSPRUNG" job finished -q --job-id "$job_id" --state "$state" --exit-code $((status / 256)) >/dev/null 2>&1
exit 0
