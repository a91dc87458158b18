#!/usr/bin/env bash
# Installs the Ursprung worker side on this machine: the distribution in /opt/ursprung, the auditd
# plugin (launcher, configuration, plugin definition, audit rules) and provd (systemd unit and
# configuration). Idempotent; existing configuration files are kept.
#
#   sudo deployment/install-worker.sh --kafka master.example.org:9092 [--dry-run] [--no-provd]
#
# Run from a source checkout after `mvn -B -DskipTests package`, or from an unpacked distribution.
set -euo pipefail

here="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
kafka=""
dry=0
provd=1
while [ $# -gt 0 ]; do
  case "$1" in
    --kafka) kafka="$2"; shift 2 ;;
    --dry-run) dry=1; shift ;;
    --no-provd) provd=0; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

run() { if [ "$dry" = 1 ]; then echo "+ $*"; else "$@"; fi; }
problems=()
[ "$(id -u)" = 0 ] || [ "$dry" = 1 ] || problems+=("must run as root (auditd plugins and rules are root's)")
[ -n "$kafka" ] || problems+=("--kafka HOST:PORT is required (the master's Kafka for workers)")
command -v java >/dev/null || problems+=("Java 17 or newer is not installed")
command -v auditctl >/dev/null || problems+=("auditd is not installed (Debian/Ubuntu: apt-get install auditd; RHEL: dnf install audit)")
lib="$here/lib"; [ -d "$lib" ] || lib="$here/deployment/target/ursprung/lib"
compgen -G "$lib/ursprung-deployment-*.jar" >/dev/null || problems+=("no built distribution in $lib (run: mvn -B -DskipTests package)")
if [ "${#problems[@]}" -gt 0 ]; then
  printf 'install-worker: %s\n' "${problems[@]}" >&2
  exit 2
fi

run install -d -m 0755 /opt/ursprung/bin /opt/ursprung/lib /etc/ursprung /var/log/ursprung
run rsync -a --delete "$lib/" /opt/ursprung/lib/ 2>/dev/null || run cp -a "$lib/." /opt/ursprung/lib/
run install -m 0755 "$here/bin/ursprung" /opt/ursprung/bin/ursprung

# The auditd plugin: auditd refuses a plugin that is not root-owned with mode 0750.
run install -D -o root -g root -m 0750 "$here/deployment/auditd/ursprung-auditd-plugin" \
  /usr/libexec/ursprung/ursprung-auditd-plugin
if [ ! -e /etc/ursprung/auditd-plugin.properties ]; then
  run install -o root -g root -m 0640 "$here/deployment/auditd/auditd-plugin.properties" \
    /etc/ursprung/auditd-plugin.properties
  run sed -i "s|^#*kafka.bootstrap.servers=.*|kafka.bootstrap.servers=$kafka|" \
    /etc/ursprung/auditd-plugin.properties
fi
run install -o root -g root -m 0640 "$here/deployment/auditd/ursprung-plugin.conf" /etc/audit/plugins.d/
run install -o root -g root -m 0640 "$here/deployment/auditd/30-ursprung-provenance.rules" /etc/audit/rules.d/
if command -v augenrules >/dev/null; then run augenrules --load; else run auditctl -R /etc/audit/rules.d/30-ursprung-provenance.rules; fi
if pidof auditd >/dev/null; then run kill -HUP "$(pidof auditd)"; fi

if [ "$provd" = 1 ]; then
  if [ ! -e /etc/ursprung/provd.properties ]; then
    run install -m 0644 "$here/deployment/provd/provd.properties.example" /etc/ursprung/provd.properties
    run sed -i "s|^#*kafka.bootstrap.servers=.*|kafka.bootstrap.servers=$kafka|" /etc/ursprung/provd.properties
  fi
  if [ ! -e /etc/ursprung/provd.secret ]; then
    echo "install-worker: create /etc/ursprung/provd.secret (mode 0600) with the consumers' shared secret:" >&2
    echo "  head -c 32 /dev/urandom | base64 > /etc/ursprung/provd.secret && chmod 600 /etc/ursprung/provd.secret" >&2
  fi
  run install -m 0644 "$here/deployment/provd/ursprung-provd.service" /etc/systemd/system/
  if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    run systemctl daemon-reload
    run systemctl enable --now ursprung-provd
  else
    echo "install-worker: no systemd here; start provd with: /opt/ursprung/bin/ursprung provd --config /etc/ursprung/provd.properties" >&2
  fi
fi
echo "install-worker: done. Check: auditctl -s (lost), tail /var/log/ursprung/auditd-plugin.log"
