using Evpn.Config.Loading;

namespace Evpn.Config.Tests;

/// <summary>Each broken file produces exactly the errors listed (one per line, in file order), with their
/// position, key and wording.</summary>
public class BrokenConfigTests
{
    private const string Router = """
        router:
          asn: 65001
          local-vtep: 10.0.0.1

        """;

    public static TheoryData<string, string, string> Cases => new()
    {
        {
            "bad indentation",
            """
            router:
              asn: 65001
               local-vtep: 10.0.0.1
            """,
            "evpnd.yaml:3:14: while scanning a plain scalar value, found invalid mapping."
        },
        {
            "tab indentation",
            "router:\n\tasn: 65001\n",
            "evpnd.yaml:2:1: while scanning a mapping, found invalid tab as indentation."
        },
        {
            "tab indentation after a line ended by a lone carriage return (a YAML line break too)",
            "router:\r  asn: 65001\n\tlocal-vtep: 10.0.0.1\n",
            "evpnd.yaml:3:1: while scanning a plain scalar, found a tab character that violate indentation."
        },
        {
            "unclosed flow list",
            "router:\n  asn: 65001\n  local-vtep: [10.0.0.1\n",
            "evpnd.yaml:4:1: while parsing a flow sequence, did not find expected ',' or ']'."
        },
        {
            "unclosed flow list ending the file without a line break",
            "router: [",
            "evpnd.yaml:1:10: while parsing a node, did not find expected node content."
        },
        {
            "unterminated quote",
            "router:\n  asn: \"65001\n",
            "evpnd.yaml:2:8: while scanning a quoted scalar, found unexpected end of stream."
        },
        {
            "empty file",
            "",
            "evpnd.yaml:1:1: expected a mapping with at least 'router', found an empty document"
        },
        {
            "root is a list",
            "- router\n",
            "evpnd.yaml:1:1: expected a mapping, found a list"
        },
        {
            "router missing",
            "neighbors: []\n",
            "evpnd.yaml:1:1: missing required key 'router' (a mapping with asn and local-vtep)"
        },
        {
            "router is a scalar",
            "router: 65001\n",
            "evpnd.yaml:1:1: router: expected a mapping, found '65001'"
        },
        {
            "top-level typo",
            Router + "neighbours: []\n",
            "evpnd.yaml:4:1: neighbours: unknown key 'neighbours' (did you mean 'neighbors'?)"
        },
        {
            "unknown router key",
            Router + "  colour: blue\n",
            "evpnd.yaml:4:3: router.colour: unknown key 'colour' (expected one of asn, router-id, local-vtep, listen-address, listen-port, graceful-restart, allow-loopback-vteps, update-group-backlog)"
        },
        {
            "duplicate key",
            Router + "  asn: 65002\n",
            "evpnd.yaml:4:3: router.asn: duplicate key 'asn' (first given at 2:3)"
        },
        {
            "asn not a number",
            "router:\n  asn: sixty-five\n  local-vtep: 10.0.0.1\n",
            "evpnd.yaml:2:3: router.asn: expected an AS number 1..4294967295, found 'sixty-five'"
        },
        {
            "asn zero",
            "router:\n  asn: 0\n  local-vtep: 10.0.0.1\n",
            "evpnd.yaml:2:3: router.asn: expected an AS number 1..4294967295, found '0'"
        },
        {
            "asn too large",
            "router:\n  asn: 4294967296\n  local-vtep: 10.0.0.1\n",
            "evpnd.yaml:2:3: router.asn: expected an AS number 1..4294967295, found '4294967296'"
        },
        {
            "asn missing",
            "router:\n  local-vtep: 10.0.0.1\n",
            "evpnd.yaml:1:1: router: missing required key 'asn' (an AS number 1..4294967295)"
        },
        {
            "local-vtep missing",
            "router:\n  asn: 65001\n  router-id: 10.0.0.1\n",
            "evpnd.yaml:1:1: router: missing required key 'local-vtep' (an IPv4 or IPv6 address)"
        },
        {
            "router-id zero",
            Router + "  router-id: 0.0.0.0\n",
            "evpnd.yaml:4:3: router.router-id: expected a non-zero IPv4 address, found '0.0.0.0'"
        },
        {
            "router-id missing with an IPv6 VTEP",
            "router:\n  asn: 65001\n  local-vtep: 2001:db8::1\n",
            "evpnd.yaml:1:1: router: missing required key 'router-id' (required when local-vtep is not an IPv4 address: the BGP identifier is a 32-bit value written as IPv4)"
        },
        {
            "listen port out of range",
            Router + "  listen-port: 70000\n",
            "evpnd.yaml:4:3: router.listen-port: expected a port number 1..65535, found '70000'"
        },
        {
            "graceful restart time beyond 12 bits",
            Router + "  graceful-restart:\n    restart-time: 5000\n",
            "evpnd.yaml:5:5: router.graceful-restart.restart-time: expected a duration 1..4095 seconds, found '5000'"
        },
        {
            "on-stop unknown",
            Router + "  graceful-restart:\n    on-stop: drain\n",
            "evpnd.yaml:5:5: router.graceful-restart.on-stop: expected one of 'notify', 'graceful', found 'drain'"
        },
        {
            "remote-as not a number (line 12)",
            Router + """
            # two neighbors: the second one is broken
            # (its remote-as is not a number)

            neighbors:
              - address: 10.0.1.2
                remote-as: 65002
                description: spine 1
              - address: 10.0.1.6
                remote-as: abc

            """,
            "evpnd.yaml:12:5: neighbors[1].remote-as: expected an AS number 1..4294967295 or 'internal'/'external', found 'abc'"
        },
        {
            "neighbors is a mapping",
            Router + "neighbors:\n  address: 10.0.1.2\n",
            "evpnd.yaml:4:1: neighbors: expected a list, found a mapping"
        },
        {
            "neighbor key typo",
            Router + "neighbors:\n  - address: 10.0.1.2\n    remote_as: 65002\n",
            "evpnd.yaml:5:5: neighbors[0]: missing required key 'remote-as' (an AS number 1..4294967295 or 'internal'/'external')\n" +
            "evpnd.yaml:6:5: neighbors[0].remote_as: unknown key 'remote_as' (did you mean 'remote-as'?)"
        },
        {
            "remote-as missing",
            Router + "neighbors:\n  - listen-range: 10.0.1.0/24\n",
            "evpnd.yaml:5:5: neighbors[0]: missing required key 'remote-as' (an AS number 1..4294967295 or 'internal'/'external')"
        },
        {
            "neither address nor listen-range",
            Router + "neighbors:\n  - remote-as: 65002\n",
            "evpnd.yaml:5:5: neighbors[0]: missing required key 'address', 'listen-range' or 'interface'"
        },
        {
            "address and interface",
            Router + "neighbors:\n  - address: 10.0.1.2\n    interface: swp1\n    remote-as: external\n",
            "evpnd.yaml:6:5: neighbors[0].interface: 'address' and 'interface' cannot both be set: a neighbor is one peer, a range of dynamic peers or the peer on one interface"
        },
        {
            "interface name with a slash",
            Router + "neighbors:\n  - interface: swp/1\n    remote-as: external\n",
            "evpnd.yaml:5:5: neighbors[0].interface: expected an interface name of 1..15 characters without '/', ':' or spaces, found 'swp/1'"
        },
        {
            "interface name too long",
            Router + "neighbors:\n  - interface: abcdefghijklmnop\n    remote-as: external\n",
            "evpnd.yaml:5:5: neighbors[0].interface: expected an interface name of 1..15 characters without '/', ':' or spaces, found 'abcdefghijklmnop'"
        },
        {
            "interface-ra on an address neighbor",
            Router + "neighbors:\n  - address: 10.0.1.2\n    remote-as: external\n    interface-ra: false\n",
            "evpnd.yaml:7:5: neighbors[0].interface-ra: 'interface-ra' applies to an 'interface' neighbor only: it sends router advertisements on that interface"
        },
        {
            "multihop on an interface neighbor",
            Router + "neighbors:\n  - interface: swp1\n    remote-as: external\n    multihop: 2\n",
            "evpnd.yaml:7:5: neighbors[0].multihop: 'multihop' cannot be set on an 'interface' neighbor: a link-local peer is one hop away"
        },
        {
            "source-address on an interface neighbor",
            Router + "neighbors:\n  - interface: swp1\n    remote-as: external\n    source-address: 10.0.0.1\n",
            "evpnd.yaml:7:5: neighbors[0].source-address: 'source-address' cannot be set on an 'interface' neighbor: the session uses the interface's link-local address"
        },
        {
            "interface neighbor twice",
            Router + "neighbors:\n  - interface: swp1\n    remote-as: external\n  - interface: swp1\n    remote-as: internal\n",
            "evpnd.yaml:7:5: neighbors[1].interface: duplicate neighbor swp1 (already neighbors[0])"
        },
        {
            "address and listen-range",
            Router + "neighbors:\n  - address: 10.0.1.2\n    listen-range: 10.0.1.0/24\n    remote-as: external\n",
            "evpnd.yaml:6:5: neighbors[0].listen-range: 'address' and 'listen-range' cannot both be set: a neighbor is one peer, a range of dynamic peers or the peer on one interface"
        },
        {
            "listen range with host bits",
            Router + "neighbors:\n  - listen-range: 10.0.1.1/24\n    remote-as: external\n",
            "evpnd.yaml:5:5: neighbors[0].listen-range: expected an address prefix such as 10.0.0.0/24 with the host bits zero, found '10.0.1.1/24'"
        },
        {
            "listen-limit on a fixed neighbor",
            Router + "neighbors:\n  - address: 10.0.1.2\n    remote-as: external\n    listen-limit: 10\n",
            "evpnd.yaml:7:5: neighbors[0].listen-limit: 'listen-limit' applies to a 'listen-range' only: it caps the dynamic peers accepted from the range"
        },
        {
            "listen-limit 0",
            Router + "neighbors:\n  - listen-range: 10.0.1.0/24\n    remote-as: external\n    listen-limit: 0\n",
            "evpnd.yaml:7:5: neighbors[0].listen-limit: expected a number of peers 1..65535, found '0'"
        },
        {
            "send hold time 2",
            Router + "neighbors:\n  - address: 10.0.1.2\n    remote-as: external\n    timers:\n      send-hold-time: 2\n",
            "evpnd.yaml:8:7: neighbors[0].timers.send-hold-time: expected a duration 3..65535 seconds, found '2'"
        },
        {
            "neighbor address not an address",
            Router + "neighbors:\n  - address: spine1\n    remote-as: external\n",
            "evpnd.yaml:5:5: neighbors[0].address: expected an IPv4 or IPv6 address, found 'spine1'"
        },
        {
            "hold time 2",
            Router + "neighbors:\n  - address: 10.0.1.2\n    remote-as: external\n    timers:\n      hold-time: 2\n",
            "evpnd.yaml:8:7: neighbors[0].timers.hold-time: expected a hold time of 0 or 3..65535 seconds (RFC 4271 section 4.2), found '2'"
        },
        {
            "keepalive not below hold time",
            Router + "neighbors:\n  - address: 10.0.1.2\n    remote-as: external\n    timers:\n      hold-time: 9\n      keepalive: 9\n",
            "evpnd.yaml:9:7: neighbors[0].timers.keepalive: keepalive (9s) must be less than hold-time (9s); one third of it is usual (RFC 4271 section 10)"
        },
        {
            "keepalive with hold time 0",
            Router + "neighbors:\n  - address: 10.0.1.2\n    remote-as: external\n    timers:\n      hold-time: 0\n      keepalive: 10\n",
            "evpnd.yaml:9:7: neighbors[0].timers.keepalive: keepalive must be 0 when hold-time is 0: no KEEPALIVE is sent (RFC 4271 section 4.4)"
        },
        {
            "path-attribute discard of AS_PATH",
            Router + "neighbors:\n  - address: 10.0.1.2\n    remote-as: external\n    path-attribute:\n      discard: [8, 2]\n",
            "evpnd.yaml:8:20: neighbors[0].path-attribute.discard[1]: attribute type 2 is mandatory for the routes of an UPDATE (ORIGIN, AS_PATH, NEXT_HOP) or carries them (MP_REACH_NLRI, MP_UNREACH_NLRI) and cannot be discarded"
        },
        {
            "path-attribute treat-as-withdraw of MP_REACH_NLRI",
            Router + "neighbors:\n  - address: 10.0.1.2\n    remote-as: external\n    path-attribute:\n      treat-as-withdraw:\n        - 14\n",
            "evpnd.yaml:9:11: neighbors[0].path-attribute.treat-as-withdraw[0]: attribute type 14 carries the routes of the UPDATE (MP_REACH_NLRI, MP_UNREACH_NLRI) and cannot be treat-as-withdraw"
        },
        {
            "path-attribute type out of range and listed twice",
            Router + "neighbors:\n  - address: 10.0.1.2\n    remote-as: external\n    path-attribute:\n      discard: [256]\n      treat-as-withdraw: [23, 23]\n",
            "evpnd.yaml:8:17: neighbors[0].path-attribute.discard[0]: expected an attribute type code 1..255, found '256'\n" +
            "evpnd.yaml:9:31: neighbors[0].path-attribute.treat-as-withdraw[1]: attribute type 23 is listed twice"
        },
        {
            "path-attribute type in both lists",
            Router + "neighbors:\n  - address: 10.0.1.2\n    remote-as: external\n    path-attribute: {discard: [40], treat-as-withdraw: [40]}\n",
            "evpnd.yaml:7:57: neighbors[0].path-attribute.treat-as-withdraw[0]: attribute type 40 is also listed under discard: choose one"
        },
        {
            "path-attribute unknown key",
            Router + "neighbors:\n  - address: 10.0.1.2\n    remote-as: external\n    path-attribute:\n      withdraw: [40]\n",
            "evpnd.yaml:8:7: neighbors[0].path-attribute.withdraw: unknown key 'withdraw' (expected one of discard, treat-as-withdraw)"
        },
        {
            "add-path send is not built",
            Router + "neighbors:\n  - address: 10.0.1.2\n    remote-as: external\n    add-path: send\n",
            "evpnd.yaml:7:5: neighbors[0].add-path: expected 'receive' or 'none' (evpnd sends one path per route; add-path send is not supported), found 'send'"
        },
        {
            "add-path receive without l2vpn-evpn",
            Router + "neighbors:\n  - address: 10.0.1.2\n    remote-as: external\n    families: [ipv4-unicast]\n    add-path: receive\n",
            "evpnd.yaml:8:5: neighbors[0].add-path: 'add-path: receive' is for l2vpn-evpn routes, and 'families' does not list l2vpn-evpn"
        },
        {
            "enforce-first-as not a boolean",
            Router + "neighbors:\n  - address: 10.0.1.2\n    remote-as: external\n    enforce-first-as: sometimes\n",
            "evpnd.yaml:7:5: neighbors[0].enforce-first-as: expected true or false, found 'sometimes'"
        },
        {
            "allow-loopback-vteps not a boolean",
            "router:\n  asn: 65001\n  local-vtep: 10.0.0.1\n  allow-loopback-vteps: 1\n",
            "evpnd.yaml:4:3: router.allow-loopback-vteps: expected true or false, found '1'"
        },
        {
            "update-group-backlog below a few outbound slices",
            "router:\n  asn: 65001\n  local-vtep: 10.0.0.1\n  update-group-backlog: 100\n",
            "evpnd.yaml:4:3: router.update-group-backlog: expected an integer 1024..16777216, found '100'"
        },
        {
            "update-group-backlog with a unit",
            "router:\n  asn: 65001\n  local-vtep: 10.0.0.1\n  update-group-backlog: 64k\n",
            "evpnd.yaml:4:3: router.update-group-backlog: expected an integer 1024..16777216, found '64k'"
        },
        {
            "connect retry as a fraction",
            Router + "neighbors:\n  - address: 10.0.1.2\n    remote-as: external\n    timers:\n      connect-retry: 500ms\n",
            "evpnd.yaml:8:7: neighbors[0].timers.connect-retry: expected a duration 1..65535 seconds, found '500ms'"
        },
        {
            "ttl-security and multihop",
            Router + "neighbors:\n  - address: 10.0.1.2\n    remote-as: external\n    ttl-security: 1\n    multihop: 2\n",
            "evpnd.yaml:8:5: neighbors[0].multihop: 'ttl-security' and 'multihop' cannot both be set: GTSM already allows the configured number of hops"
        },
        {
            "ttl-security 255",
            Router + "neighbors:\n  - address: 10.0.1.2\n    remote-as: external\n    ttl-security: 255\n",
            "evpnd.yaml:7:5: neighbors[0].ttl-security: expected a hop count 1..254, found '255'"
        },
        {
            "password longer than 80 bytes",
            Router + "neighbors:\n  - address: 10.0.1.2\n    remote-as: external\n    password: " + new string('k', 81) + "\n",
            "evpnd.yaml:7:5: neighbors[0].password: expected a TCP-MD5 key of 1..80 bytes, found a value of 81 bytes (not shown)"
        },
        {
            "unknown family",
            Router + "neighbors:\n  - address: 10.0.1.2\n    remote-as: external\n    families: [l2vpn-evpn, evpn]\n",
            "evpnd.yaml:7:28: neighbors[0].families[1]: expected one of 'l2vpn-evpn', 'ipv4-unicast', 'ipv6-unicast', found 'evpn'"
        },
        {
            "empty family list",
            Router + "neighbors:\n  - address: 10.0.1.2\n    remote-as: external\n    families: []\n",
            "evpnd.yaml:7:5: neighbors[0].families: expected at least one address family, found an empty list"
        },
        {
            "boolean written as yes",
            Router + "neighbors:\n  - address: 10.0.1.2\n    remote-as: external\n    passive: yes\n",
            "evpnd.yaml:7:5: neighbors[0].passive: expected true or false, found 'yes'"
        },
        {
            "max-prefix without limit",
            Router + "neighbors:\n  - address: 10.0.1.2\n    remote-as: external\n    max-prefix:\n      warning-threshold: 90\n",
            "evpnd.yaml:7:5: neighbors[0].max-prefix: missing required key 'limit' (an integer 1..4294967295)"
        },
        {
            "duplicate neighbor",
            Router + "neighbors:\n  - address: 10.0.1.2\n    remote-as: external\n  - address: 10.0.1.2\n    remote-as: 65003\n",
            "evpnd.yaml:7:5: neighbors[1].address: duplicate neighbor 10.0.1.2 (already neighbors[0])"
        },
        {
            "neighbor is this router",
            Router + "neighbors:\n  - address: 10.0.0.1\n    remote-as: internal\n",
            "evpnd.yaml:5:5: neighbors[0].address: 10.0.0.1 is this router's own address (router.local-vtep or router.router-id)"
        },
        {
            "source address family differs",
            Router + "neighbors:\n  - address: 2001:db8::2\n    remote-as: external\n    source-address: 10.0.0.1\n",
            "evpnd.yaml:7:5: neighbors[0].source-address: source address 10.0.0.1 is IPv4 but the neighbor is IPv6"
        },
        {
            "route reflector client over eBGP",
            Router + "neighbors:\n  - address: 10.0.1.2\n    remote-as: 65002\n    route-reflector-client: true\n",
            "evpnd.yaml:7:5: neighbors[0].route-reflector-client: route reflection is for internal neighbors only (RFC 4456 section 2), but remote-as is 65002 and router.asn is 65001"
        },
        {
            "password on a range that covers a neighbor without one",
            Router + "neighbors:\n  - listen-range: 10.0.1.0/24\n    remote-as: internal\n    password: secret\n  - address: 10.0.1.9\n    remote-as: internal\n",
            "evpnd.yaml:7:5: neighbors[0].password: listen range 10.0.1.0/24 has a TCP-MD5 password but neighbors[1] (10.0.1.9) inside it has none; the kernel would require the range's key from it (give it a password or narrow the range)"
        },
        {
            "VNI beyond 24 bits",
            Router + "evpn:\n  vnis:\n    - vni: 16777216\n",
            "evpnd.yaml:6:7: evpn.vnis[0].vni: expected a VNI 1..16777215, found '16777216'"
        },
        {
            "VNI zero",
            Router + "evpn:\n  vnis:\n    - vni: 0\n",
            "evpnd.yaml:6:7: evpn.vnis[0].vni: expected a VNI 1..16777215, found '0'"
        },
        {
            "duplicate VNI",
            Router + "evpn:\n  vnis:\n    - vni: 100\n    - vni: 200\n    - vni: 100\n",
            "evpnd.yaml:8:7: evpn.vnis[2].vni: duplicate VNI 100 (already evpn.vnis[0])"
        },
        {
            "bad route distinguisher",
            Router + "evpn:\n  vnis:\n    - vni: 100\n      rd: 100\n",
            "evpnd.yaml:7:7: evpn.vnis[0].rd: expected a route distinguisher ASN:NN or A.B.C.D:NN, or 'auto', found '100'"
        },
        {
            "duplicate route distinguisher",
            Router + "evpn:\n  vnis:\n    - vni: 100\n      rd: 10.0.0.1:1\n    - vni: 200\n      rd: 10.0.0.1:1\n",
            "evpnd.yaml:9:7: evpn.vnis[1].rd: route distinguisher 10.0.0.1:1 is already used by evpn.vnis[0] (an RD is unique per VNI, RFC 7432 section 7.9; " +
            "VNIs of a VLAN-aware bundle may share one with distinct non-zero ethernet-tag values, e.g. `ethernet-tag: vni`)"
        },
        {
            "shared route distinguisher with the same ethernet tag",
            Router + "evpn:\n  vnis:\n    - vni: 100\n      rd: 10.0.0.1:1\n      ethernet-tag: 7\n    - vni: 200\n      rd: 10.0.0.1:1\n      ethernet-tag: 7\n",
            "evpnd.yaml:11:7: evpn.vnis[1].ethernet-tag: Ethernet Tag 7 is already used by evpn.vnis[0] with the same route distinguisher 10.0.0.1:1: their routes would collide"
        },
        {
            "bad ethernet tag",
            Router + "evpn:\n  vnis:\n    - vni: 100\n      ethernet-tag: vlan\n",
            "evpnd.yaml:7:7: evpn.vnis[0].ethernet-tag: expected 'vni' or an Ethernet Tag 0..4294967295, found 'vlan'"
        },
        {
            "bundle without a route distinguisher",
            Router + "evpn:\n  vnis:\n    - vni: 100\n      bundle: blue\n    - vni: 200\n      bundle: blue\n",
            "evpnd.yaml:7:7: evpn.vnis[0].bundle: bundle blue has no rd: one member must set it, the others share it (a VLAN-aware bundle has one RD)"
        },
        {
            "EVI beyond the route distinguisher's 16 bits",
            Router + "evpn:\n  vnis:\n    - vni: 100\n      evi: 70000\n",
            "evpnd.yaml:7:7: evpn.vnis[0].evi: expected an integer 1..65535, found '70000'"
        },
        {
            "bundle members disagreeing on the route distinguisher",
            Router + "evpn:\n  vnis:\n    - vni: 100\n      bundle: blue\n      rd: 10.0.0.1:9\n      import-rts: 65001:9\n      export-rts: 65001:9\n    - vni: 200\n      bundle: blue\n      rd: 10.0.0.1:8\n",
            "evpnd.yaml:13:7: evpn.vnis[1].rd: bundle blue already has rd 10.0.0.1:9 from evpn.vnis[0]: members of a bundle share it (leave it out here)"
        },
        {
            "bad route target in a list",
            Router + "evpn:\n  vnis:\n    - vni: 100\n      import-rts:\n        - 65001:100\n        - 65001\n",
            "evpnd.yaml:9:11: evpn.vnis[0].import-rts[1]: expected a route target ASN:NN or A.B.C.D:NN, found '65001'"
        },
        {
            "empty export route targets",
            Router + "evpn:\n  vnis:\n    - vni: 100\n      export-rts: []\n",
            "evpnd.yaml:7:7: evpn.vnis[0].export-rts: expected at least one route target, found an empty list (leave the key out to use the derived one)"
        },
        {
            "RT derivation mode unknown",
            Router + "evpn:\n  rt-derivation: auto\n",
            "evpnd.yaml:5:3: evpn.rt-derivation: expected one of 'frr', 'rfc8365', 'junos', 'nxos', 'nokia' ('as-vni' = 'frr'), found 'auto'"
        },
        {
            "freeze too short",
            Router + "evpn:\n  duplicate-detection:\n    freeze: 10s\n",
            "evpnd.yaml:6:5: evpn.duplicate-detection.freeze: expected 'none', 'permanent' or a duration 30s..1h, found '10s'"
        },
        {
            "bridge name too long",
            Router + "evpn:\n  vnis:\n    - vni: 100\n      bridge: a-very-long-bridge-name\n",
            "evpnd.yaml:7:7: evpn.vnis[0].bridge: expected a network device name of 1..15 characters, found 'a-very-long-bridge-name'"
        },
        {
            "data plane kind unknown",
            Router + "data-plane:\n  kind: dpdk\n",
            "evpnd.yaml:5:3: data-plane.kind: expected one of 'linux', 'memory', found 'dpdk'"
        },
        {
            "management socket relative",
            Router + "management:\n  socket: evpnd.sock\n",
            "evpnd.yaml:5:3: management.socket: expected an absolute path, found 'evpnd.sock'"
        },
        {
            "management socket group with a space",
            Router + "management:\n  socket-group: evpn ops\n",
            "evpnd.yaml:5:3: management.socket-group: expected a group name (letters, digits, '_', '-', '.'; at most 32, not starting with a digit, '-' or '.'), found 'evpn ops'"
        },
        {
            "management socket group starting with a digit",
            Router + "management:\n  socket-group: 100\n",
            "evpnd.yaml:5:3: management.socket-group: expected a group name (letters, digits, '_', '-', '.'; at most 32, not starting with a digit, '-' or '.'), found '100'"
        },
        {
            "metrics address without port",
            Router + "metrics:\n  address: 127.0.0.1\n",
            "evpnd.yaml:5:3: metrics.address: expected an address and port such as 127.0.0.1:9179 or [::1]:9179, found '127.0.0.1'"
        },
        {
            "log level unknown",
            Router + "logging:\n  level: verbose\n",
            "evpnd.yaml:5:3: logging.level: expected one of 'trace', 'debug', 'information', 'warning', 'error', 'critical', found 'verbose'"
        },
        {
            "log format unknown",
            Router + "logging:\n  format: logfmt\n",
            "evpnd.yaml:5:3: logging.format: expected one of 'text', 'json', found 'logfmt'"
        },
        {
            "null value",
            Router + "mrt-dump:\n",
            "evpnd.yaml:4:1: mrt-dump: expected an absolute path, or a mapping with 'file', 'max-size', 'keep', found nothing"
        },
        {
            // Found by the config fuzz target (corpus/config/regression-deep-nesting): 30 KB of nested flow
            // sequences overflowed the stack of the recursive tree reader, which ends the process.
            "nesting deeper than the reader follows",
            "router: " + new string('[', 100_000) + new string(']', 100_000) + "\n",
            "evpnd.yaml:1:72: nested deeper than 64 levels"
        },
        {
            "second document",
            Router + "---\nrouter: {}\n",
            "evpnd.yaml:4:1: expected a single YAML document, found a second one"
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Broken_file_gives_its_exact_error(string name, string yaml, string expected)
    {
        var result = EvpnConfigLoader.Parse(yaml, "evpnd.yaml");

        Assert.False(result.IsValid, name);
        Assert.Equal(expected, string.Join("\n", result.Errors));
    }
}
