#!/usr/bin/env bash
# Records the capture that `ursprung demo` replays: a small ML pipeline (prepare data with shell
# tools and a pipe, train, rename, evaluate, summarise) run by a temporary non-root user under the
# real auditd of this machine, with the b64 syscalls of the shipped provenance rules scoped to that
# user's uid. Writes the raw audit records (`ausearch --raw`) gzipped, and a properties file with
# what the demo needs to know about the recording (user and group names, the interesting paths).
#
# Run as root from the repository root:
#   sudo deployment/demo/record-demo-capture.sh [OUTPUT_DIR]
# OUTPUT_DIR defaults to deployment/src/main/resources/demo.
#
# Everything it changes is put back on exit, also on Ctrl-C or an error: its audit rules are
# deleted by their key (other rules are never touched), the enabled flag is restored, auditd is
# stopped again if this script started it, and the temporary user and its home are removed.
set -euo pipefail

out_dir=${1:-deployment/src/main/resources/demo}
rules_file=deployment/auditd/30-ursprung-provenance.rules
user=ursdemo
# A key of its own per recording: ausearch -k then finds this recording and nothing older, even in
# rotated logs.
key="ursprung-demo-$$-$(date +%s)"
project="/home/$user/iris-project"

die() { echo "record-demo-capture: $*" >&2; exit 2; }
[ "$(id -u)" = 0 ] || die "needs root (audit rules, a temporary user)"
[ -f "$rules_file" ] || die "run it from the repository root ($rules_file not found)"
for tool in auditctl auditd ausearch useradd userdel setpriv python3 gzip bash; do
  command -v "$tool" >/dev/null || die "$tool is missing (auditd: apt-get install auditd)"
done
auditctl -s >/dev/null 2>&1 || die "no kernel audit support here (auditctl -s failed)"
if getent passwd "$user" >/dev/null; then die "user $user exists already; remove it first"; fi
# A rule of someone else matching our user first would take the events under its own key.
if auditctl -l | grep -q 'uid>=1000'; then
  die "other rules for ordinary users are loaded (auditctl -l); record on a quiet machine"
fi

rules_before=$(auditctl -l)
enabled_before=$(auditctl -s | awk '$1 == "enabled" { print $2 }')
[ "$enabled_before" != 2 ] || die "the audit configuration is locked (enabled 2) until reboot"
started_auditd=no
user_created=no

cleanup() {
  set +e
  auditctl -D -k "$key" >/dev/null 2>&1
  if [ "$started_auditd" = yes ]; then
    pids=$(pidof auditd)
    [ -n "$pids" ] && kill -TERM $pids
    for _ in $(seq 50); do pidof auditd >/dev/null || break; sleep 0.2; done
  fi
  auditctl -e "$enabled_before" >/dev/null
  if [ "$user_created" = yes ]; then userdel --remove "$user" 2>/dev/null; fi
  if [ "$(auditctl -l)" != "$rules_before" ]; then
    echo "record-demo-capture: WARNING: the audit rules differ from before" >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

useradd --create-home --shell /bin/sh "$user"
user_created=yes
uid=$(id -u "$user")
gid=$(id -g "$user")

# The project as the user has it before the run: raw data, code. Made before the rules are loaded,
# so in the graph these files are inputs that existed before the capture.
setpriv --reuid="$uid" --regid="$gid" --init-groups env -i HOME="/home/$user" PATH=/usr/bin:/bin \
  sh -c "mkdir -p '$project/data/raw' '$project/src' '$project/models' '$project/reports'"
cat > "$project/src/make_raw.py" <<'EOF'
# Iris-like measurements: three species, four features, a fixed seed (the same file every time).
import random
random.seed(7)
centres = {"setosa": (5.0, 3.4, 1.5, 0.2), "versicolor": (5.9, 2.8, 4.3, 1.3),
           "virginica": (6.6, 3.0, 5.6, 2.0)}
print("# sepal_length,sepal_width,petal_length,petal_width,species")
for i in range(150):
    name = list(centres)[i % 3]
    row = [round(c + random.gauss(0, 0.3), 1) for c in centres[name]]
    print(",".join(str(v) for v in row) + "," + name)
EOF
cat > "$project/src/train.py" <<'EOF'
"""Train a nearest-centroid classifier: CSV in, model.json and metrics.txt out."""
import csv, json, sys

train_csv, model_path, metrics_path = sys.argv[1], sys.argv[2], sys.argv[3]
epochs = int(sys.argv[sys.argv.index("--epochs") + 1]) if "--epochs" in sys.argv else 1
rows = list(csv.reader(open(train_csv)))
features = lambda r: [float(v) for v in r[:4]]
centroids = {}
for label in sorted({r[4] for r in rows}):
    members = [features(r) for r in rows if r[4] == label]
    centroids[label] = [sum(col) / len(members) for col in zip(*members)]
def predict(x):
    return min(centroids, key=lambda c: sum((a - b) ** 2 for a, b in zip(x, centroids[c])))
accuracy = sum(predict(features(r)) == r[4] for r in rows) / len(rows)
json.dump({"kind": "nearest-centroid", "epochs": epochs, "centroids": centroids},
          open(model_path, "w"), indent=2)
with open(metrics_path, "w") as m:
    m.write(f"train_rows {len(rows)}\ntrain_accuracy {accuracy:.3f}\n")
print(f"trained on {len(rows)} rows, accuracy {accuracy:.3f}")
EOF
cat > "$project/src/evaluate.py" <<'EOF'
"""Evaluate a model on held-out rows; the report goes to stdout."""
import csv, json, sys

model = json.load(open(sys.argv[1]))
rows = list(csv.reader(open(sys.argv[2])))
centroids = model["centroids"]
def predict(x):
    return min(centroids, key=lambda c: sum((a - b) ** 2 for a, b in zip(x, centroids[c])))
hits = sum(predict([float(v) for v in r[:4]]) == r[4] for r in rows)
print(f"test_rows {len(rows)}\ntest_accuracy {hits / len(rows):.3f}")
EOF
cat > "$project/pipeline.sh" <<'EOF'
#!/bin/bash
# The pipeline the demo shows: prepare, split, train, publish (rename), evaluate, summarise.
set -e
cd "$(dirname "$0")"
python3 src/make_raw.py > data/raw/iris.csv
grep -v '^#' data/raw/iris.csv | sort -t, -k5,5 -k1,1n > data/clean.csv
awk 'NR % 5 == 0' data/clean.csv > data/test.csv
awk 'NR % 5 != 0' data/clean.csv > data/train.csv
python3 src/train.py data/train.csv models/model.json.tmp reports/metrics.txt --epochs 20
mv models/model.json.tmp models/model.json
python3 src/evaluate.py models/model.json data/test.csv > reports/eval.txt
cat reports/metrics.txt reports/eval.txt | gzip > reports/summary.txt.gz
EOF
chown -R "$uid:$gid" "$project"

# The rules: the shipped b64 provenance rules, for this uid only, under our key.
grep '^-a always,exit -F arch=b64' "$rules_file" |
  sed -e "s/-F uid>=1000 -F uid!=65534/-F uid=$uid/" -e "s/-k ursprung_[a-z]*/-k $key/" |
  while read -r -a rule; do auditctl "${rule[@]}" >/dev/null; done
auditctl -e 1 >/dev/null
if ! pidof auditd >/dev/null; then
  auditd
  started_auditd=yes
  for _ in $(seq 50); do pidof auditd >/dev/null && break; sleep 0.2; done
fi
sleep 1

# The run itself, as the user, with a clean environment. bash, not dash: dash opens a simple
# command's output redirection in the shell itself and lets the child inherit it, so the graph
# would show the shell, not awk, as the writer of data/train.csv (writes through an inherited
# descriptor are not attributed to the child yet).
setpriv --reuid="$uid" --regid="$gid" --init-groups \
  env -i HOME="/home/$user" USER="$user" PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 \
  bash "$project/pipeline.sh"
sleep 3 # let auditd write the last records

mkdir -p "$out_dir"
ausearch --raw --input-logs -k "$key" > "$out_dir/ml-pipeline.audit.log" ||
  die "ausearch found no records (is write_logs = no in auditd.conf?)"
gzip -9 -n -f "$out_dir/ml-pipeline.audit.log"
cat > "$out_dir/ml-pipeline.properties" <<EOF
# Written by deployment/demo/record-demo-capture.sh with the capture beside it.
recorded=$(date -u +%Y-%m-%dT%H:%M:%SZ)
records=$(zcat "$out_dir/ml-pipeline.audit.log.gz" | wc -l)
user.$uid=$user
group.$gid=$user
project=$project
model=$project/models/model.json
EOF
echo "record-demo-capture: wrote $out_dir/ml-pipeline.audit.log.gz ($(zcat "$out_dir/ml-pipeline.audit.log.gz" | wc -l) records)"
