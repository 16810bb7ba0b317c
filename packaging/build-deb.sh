#!/usr/bin/env bash
# Builds the Debian package artifacts/evpnd_<version>_amd64.deb from the native binaries:
#   /usr/sbin/evpnd, /usr/bin/evpnctl                    (packaging/publish-native.sh)
#   /usr/lib/systemd/system/evpnd.service                (configs/evpnd.service)
#   /usr/lib/sysusers.d/evpnd.conf                       (the evpnd group of the management socket)
#   /etc/evpnd/evpnd.yaml, a conffile                    (configs/minimal.yaml)
#   man pages evpnd(8), evpnctl(8), evpnd.yaml(5)        (scdoc sources in packaging/man/)
#   /usr/share/bash-completion/completions/evpnctl
#   /usr/share/doc/evpnd/: copyright (LICENSE), changelog, README, configuration reference, examples
#                          (configurations, FRR sides, Grafana dashboard, Prometheus alerting rules)
# The version is the solution's <Version> (Directory.Build.props); packaging/debian/changelog's first entry
# must say the same.
#
# usage: packaging/build-deb.sh [--bin DIR] [--out DIR]
#   --bin DIR  package evpnd and evpnctl from DIR instead of publishing them (packaging/publish-native.sh)
#   --out DIR  where the .deb goes (default artifacts/)
# Prints the path of the package on its last line.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
bin='' out="$repo/artifacts"
die() { echo "build-deb: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case $1 in
    --bin) bin=${2:?--bin needs a folder}; shift 2 ;;
    --out) out=${2:?--out needs a folder}; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done

version=$(sed -n 's|.*<Version>\([^<]*\)</Version>.*|\1|p' "$repo/Directory.Build.props" | head -n 1)
[ -n "$version" ] || die "no <Version> in Directory.Build.props"
logged=$(sed -n '1s/^evpnd (\([^)]*\)).*/\1/p' "$here/debian/changelog")
[ "$logged" = "$version" ] || die "packaging/debian/changelog's first entry is '$logged' but Directory.Build.props says $version: add an entry"

if ! command -v scdoc >/dev/null 2>&1; then
  [ "$(id -u)" -eq 0 ] || die "scdoc is missing (apt-get install scdoc)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends scdoc >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends scdoc >/dev/null; }
fi
for tool in dpkg-deb dpkg-shlibdeps gzip; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is missing (apt-get install dpkg-dev)"
done

if [ -z "$bin" ]; then
  bin="$out/native"
  "$here/publish-native.sh" "$bin" >&2
fi
for b in evpnd evpnctl; do
  [ -x "$bin/$b" ] || die "no executable $bin/$b"
done

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root=$stage/root
doc=$root/usr/share/doc/evpnd

install -D -m 0755 "$bin/evpnd" "$root/usr/sbin/evpnd"
install -D -m 0755 "$bin/evpnctl" "$root/usr/bin/evpnctl"
install -D -m 0644 "$repo/configs/evpnd.service" "$root/usr/lib/systemd/system/evpnd.service"
install -D -m 0644 "$here/evpnd.sysusers" "$root/usr/lib/sysusers.d/evpnd.conf"
# Root only: a configuration may hold TCP-MD5 passwords.
install -D -m 0640 "$repo/configs/minimal.yaml" "$root/etc/evpnd/evpnd.yaml"
install -D -m 0644 "$here/evpnctl.bash-completion" "$root/usr/share/bash-completion/completions/evpnctl"
for page in "$here"/man/*.scd; do
  name=$(basename "$page" .scd)
  section=${name##*.}
  mkdir -p "$root/usr/share/man/man$section"
  scdoc <"$page" | gzip -9n >"$root/usr/share/man/man$section/$name.gz"
done

mkdir -p "$doc/examples/frr" "$doc/examples/grafana" "$doc/examples/prometheus"
{
  printf 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n'
  printf 'Upstream-Name: evpnd\n\nFiles: *\nCopyright: evpnd contributors\nLicense: Apache-2.0\n'
  sed -e 's/^[[:space:]]*$/./' -e 's/^/ /' "$repo/LICENSE"
} >"$doc/copyright"
gzip -9n <"$here/debian/changelog" >"$doc/changelog.Debian.gz"
install -m 0644 "$repo/README.md" "$doc/README.md"
install -m 0644 "$repo/configs/README.md" "$doc/configuration.md"
install -m 0644 "$repo"/configs/*.yaml "$doc/examples/"
install -m 0644 "$repo"/configs/frr/* "$doc/examples/frr/"
install -m 0644 "$repo/configs/grafana/evpnd.json" "$doc/examples/grafana/"
install -m 0644 "$repo/configs/prometheus/alerts.yaml" "$doc/examples/prometheus/"

# The shared libraries the binaries link, as Debian package names and versions.
mkdir -p "$stage/debian"
printf 'Source: evpnd\n\nPackage: evpnd\nArchitecture: amd64\n' >"$stage/debian/control"
depends=$(cd "$stage" && dpkg-shlibdeps -O -e root/usr/sbin/evpnd -e root/usr/bin/evpnctl 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || die "dpkg-shlibdeps found no dependencies of the binaries"

mkdir -p "$root/DEBIAN"
sed -e "s/@VERSION@/$version/" -e "s/@SIZE@/$(du -sk --exclude=DEBIAN "$root" | cut -f1)/" -e "s/@DEPENDS@/$depends/" \
  "$here/debian/control.in" >"$root/DEBIAN/control"
echo /etc/evpnd/evpnd.yaml >"$root/DEBIAN/conffiles"
install -m 0755 "$here"/debian/postinst "$here"/debian/prerm "$here"/debian/postrm "$root/DEBIAN/"
(cd "$root" && find . \( -path ./DEBIAN -o -path ./etc \) -prune -o -type f -print | sed 's|^\./||' | LC_ALL=C sort | xargs md5sum) >"$root/DEBIAN/md5sums"

mkdir -p "$out"
deb=$out/evpnd_${version}_amd64.deb
# gzip rather than xz: a few MiB larger, and built in seconds where xz takes minutes on a busy machine.
dpkg-deb --root-owner-group -Zgzip --build "$root" "$deb" >&2
echo "$deb"
