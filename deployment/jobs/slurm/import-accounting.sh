#!/bin/sh
# Cron (as root or slurm, a trusted account of provd), e.g. hourly:
#   15 * * * * /opt/ursprung/jobs/slurm/import-accounting.sh
# Imports jobs that ended in the last two hours; records already stored are the same events again
# (same content, same id), so overlapping windows do no harm.
URSPRUNG=${URSPRUNG:-/opt/ursprung/bin/ursprung}
tmp=$(mktemp) || exit 1
trap 'rm -f "$tmp"' EXIT
sacct --parsable2 --allusers --state=CD,F,CA,TO,OOM,NF,PR,DL \
    --starttime "$(date -d '-2 hours' +%Y-%m-%dT%H:%M:%S)" --endtime now \
    --format=JobID,User,Submit,Start,End,Elapsed,UserCPU,SystemCPU,State >"$tmp" || exit 1
exec "$URSPRUNG" job import-accounting -q "$tmp"
