# shellcheck shell=bash
# The interop lab library: source this one file. See interop/README.md.
LAB_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
. "$LAB_LIB/common.sh"
# shellcheck source=wait.sh
. "$LAB_LIB/wait.sh"
# shellcheck source=netns.sh
. "$LAB_LIB/netns.sh"
# shellcheck source=teardown.sh
. "$LAB_LIB/teardown.sh"
# shellcheck source=frr.sh
. "$LAB_LIB/frr.sh"
# shellcheck source=gobgp.sh
. "$LAB_LIB/gobgp.sh"
# shellcheck source=exabgp.sh
. "$LAB_LIB/exabgp.sh"
# shellcheck source=evpnd.sh
. "$LAB_LIB/evpnd.sh"
# shellcheck source=speaker.sh
. "$LAB_LIB/speaker.sh"
# shellcheck source=topo.sh
. "$LAB_LIB/topo.sh"
