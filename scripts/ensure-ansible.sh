#!/usr/bin/env bash
# Installs what the Ansible tests and the runner need, from Debian's packages, when it is missing:
#   ansible-core and ansible-lint (ansible-lint pulls in Debian's `ansible` collections package:
#   community.general with the chroot connection, ansible.posix, ansible.windows, community.windows),
#   debootstrap (the converge test builds a Debian root with it).
# Idempotent and silent when everything is present; runs `apt-get update` only when it must install.
# Safe to call from parallel test files: installs are serialised with a lock.
set -euo pipefail

missing() {
  need=()
  command -v ansible-playbook >/dev/null 2>&1 || need+=(ansible-core)
  command -v ansible-lint >/dev/null 2>&1 || need+=(ansible-lint)
  command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
  # The chroot connection plugin lives in community.general (Debian package `ansible`). Checked with
  # Debian's Python, which is the one ansible-playbook runs on (a pyenv python3 would not see it).
  if ! /usr/bin/python3 -c 'import ansible_collections.community.general.plugins.connection.chroot' >/dev/null 2>&1; then
    need+=(ansible)
  fi
  [ ${#need[@]} -gt 0 ]
}

missing || exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-ansible: missing ${need[*]}; run as root or: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi

exec 9>/var/lock/pvepaas-ensure-ansible.lock
flock -w 900 9
missing || exit 0 # another caller installed it while we waited

echo "ensure-ansible: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${need[@]}" >/dev/null
