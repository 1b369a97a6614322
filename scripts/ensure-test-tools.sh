#!/usr/bin/env bash
# Makes sure what the tests need is on this machine, installing or starting it when it is not:
# PostgreSQL and Redis (started if installed but down), Chromium and Ansible (from Debian's packages).
# Idempotent and quiet when everything is already there. Run by `npm test` before the suites.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if ! port_open 5432; then
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "ensure-test-tools: starting PostgreSQL"
    for v in $(ls /etc/postgresql 2>/dev/null); do pg_ctlcluster --skip-systemctl-redirect "$v" main start || true; done
  fi
  port_open 5432 || echo "ensure-test-tools: WARNING: no PostgreSQL on 127.0.0.1:5432; the PostgreSQL half of the database tests will say so and not run" >&2
fi

if ! port_open 6379; then
  if command -v redis-server >/dev/null 2>&1; then
    echo "ensure-test-tools: starting Redis"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  fi
fi

# openssl makes the HTTPS test's certificate (server/src/security/https.db.test.ts).
if ! command -v openssl >/dev/null 2>&1; then
  echo "ensure-test-tools: installing openssl"
  apt-get update -qq && apt-get install -y -qq openssl >/dev/null
fi

for tool in ensure-chromium.sh ensure-ansible.sh; do
  if [ -x "$here/$tool" ] || [ -f "$here/$tool" ]; then bash "$here/$tool"; fi
done
