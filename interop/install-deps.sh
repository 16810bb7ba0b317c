#!/usr/bin/env bash
# Installs what the interop lab and the kernel tests need from Debian's packages, once.
# Safe to run again: it only calls apt-get when a tool is missing.
set -euo pipefail

need=()
command -v zebra    >/dev/null 2>&1 || [ -x /usr/lib/frr/zebra ] || need+=(frr)
command -v vtysh    >/dev/null 2>&1 || need+=(frr)
command -v gobgpd   >/dev/null 2>&1 || need+=(gobgpd)
command -v exabgp   >/dev/null 2>&1 || need+=(exabgp)
command -v tshark   >/dev/null 2>&1 || need+=(tshark)
command -v ping     >/dev/null 2>&1 || need+=(iputils-ping)
command -v ip       >/dev/null 2>&1 || need+=(iproute2)
command -v bridge   >/dev/null 2>&1 || need+=(iproute2)
command -v jq       >/dev/null 2>&1 || need+=(jq)
command -v curl     >/dev/null 2>&1 || need+=(curl)
# Linking the Native AOT binaries (packaging/publish-native.sh): a C compiler driver, objcopy for the symbols, zlib.
command -v gcc      >/dev/null 2>&1 || command -v clang >/dev/null 2>&1 || need+=(gcc)
command -v objcopy  >/dev/null 2>&1 || need+=(binutils)
[ -e /usr/include/zlib.h ] || need+=(zlib1g-dev)
# Coverage-guided fuzzing of the parsers (tests/fuzz/run.sh).
command -v afl-fuzz >/dev/null 2>&1 || need+=(afl++)
# The Debian package and its test (packaging/build-deb.sh, InstalledPackageTests).
command -v scdoc           >/dev/null 2>&1 || need+=(scdoc)
command -v dpkg-shlibdeps  >/dev/null 2>&1 || need+=(dpkg-dev)
command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing ${need[*]} and not root; the kernel and interop tests will be skipped" >&2
  exit 0
fi
mapfile -t pkgs < <(printf '%s\n' "${need[@]}" | sort -u)
echo "install-deps: installing ${pkgs[*]}"
export DEBIAN_FRONTEND=noninteractive
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections 2>/dev/null || true
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
