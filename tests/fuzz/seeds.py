#!/usr/bin/env python3
"""Writes the starting corpus of each fuzz target into tests/fuzz/corpus/<target>/seed-*.

bgp: each message captured between FRR and GoBGP (tests/Evpn.Wire.Tests/Fixtures, from the shared
vectors' frr-gobgp-evpn.pcapng) behind a context octet, and the whole capture as one stream.
mrt: the captured messages in BGP4MP and BGP4MP_ET records of every message subtype, and state changes.
netlink: what the kernel sends: a VXLAN and a bridge-port link, FDB and ARP entries, nexthops and groups,
a multi-part dump ending in NLMSG_DONE, errors with and without extended ack.
config: the example configurations under configs/.
api: each path of src/Evpn.Api/ApiPaths.cs with GET and POST, and the requests evpnctl sends (its commands'
queries), some with a JSON body.
Run it again after adding fixtures; the files it writes are committed.
"""
import glob
import os
import re
import shutil
import struct

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
corpus = os.path.join(root, "tests", "fuzz", "corpus")


def fixtures():
    out = []
    for path in sorted(glob.glob(os.path.join(root, "tests", "Evpn.Wire.Tests", "Fixtures", "*.hex"))):
        with open(path) as f:
            hexes = "".join(l.strip() for l in f if not l.startswith("#"))
        out.append((os.path.basename(path)[:-4], bytes.fromhex(hexes)))
    return out


def write(target, name, data):
    folder = os.path.join(corpus, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "seed-" + name), "wb") as f:
        f.write(data)


def bgp(messages):
    # The context octet: 0 = 4-octet AS (what the capture negotiated), 2 = external peer AS 65002,
    # 3 = add-path and extended message, 1 = 2-octet AS.
    for name, message in messages:
        write("bgp", name, bytes([0]) + message)
    for context in (1, 2, 3):
        write("bgp", f"stream-context-{context}", bytes([context]) + b"".join(m for _, m in messages))


def mrt_record(type_, subtype, body, seconds=1795316460):
    return struct.pack(">IHHI", seconds, type_, subtype, len(body)) + body


def bgp4mp(subtype, message, as4=True, v6=False, state=None):
    asn = struct.pack(">II", 65002, 65001) if as4 else struct.pack(">HH", 65002, 65001)
    if v6:
        addresses = bytes.fromhex("fd000000000000000000000000000002fd000000000000000000000000000001")
        family = 2
    else:
        addresses = bytes([10, 0, 0, 2, 10, 0, 0, 1])
        family = 1
    head = asn + struct.pack(">HH", 0, family) + addresses
    return head + (struct.pack(">HH", *state) if state else message)


def mrt(messages):
    subtypes = [(1, False), (4, True), (6, False), (7, True), (8, False), (9, True), (10, False), (11, True)]
    for i, (name, message) in enumerate(messages):
        subtype, as4 = subtypes[i % len(subtypes)]
        body = bgp4mp(subtype, message, as4=as4, v6=i % 5 == 0)
        if i % 2:
            write("mrt", name, mrt_record(17, subtype, struct.pack(">I", 123456) + body))
        else:
            write("mrt", name, mrt_record(16, subtype, body))
    states = mrt_record(16, 0, bgp4mp(0, b"", as4=False, state=(1, 6))) + mrt_record(16, 5, bgp4mp(5, b"", state=(6, 1)))
    write("mrt", "state-changes", states)
    write("mrt", "file", b"".join(mrt_record(16, 4, bgp4mp(4, m)) for _, m in messages[:8]))


def nlmsg(type_, flags, seq, payload):
    return struct.pack("<IHHII", 16 + len(payload), type_, flags, seq, 0) + payload + b"\0" * (-len(payload) % 4)


def rta(type_, payload):
    return struct.pack("<HH", 4 + len(payload), type_) + payload + b"\0" * (-len(payload) % 4)


def nested(type_, *attributes):
    return rta(type_ | 0x8000, b"".join(attributes))


NLM_F_MULTI = 2


def netlink():
    mac = bytes.fromhex("020000000064")
    vxlan = struct.pack("<BBHiII", 0, 0, 1, 7, 0x11043, 0) + rta(3, b"vxlan100\0") + rta(10, struct.pack("<I", 5)) + rta(1, mac) + nested(
        18, rta(1, b"vxlan\0"), nested(2, rta(1, struct.pack("<I", 100)), rta(4, bytes([10, 0, 0, 1])), rta(15, struct.pack(">H", 4789)),
                                       rta(7, b"\0"), rta(25, b"\0")),
        rta(4, b"bridge\0"), nested(5, rta(32, b"\1")))
    bridge = struct.pack("<BBHiII", 0, 0, 1, 5, 0x11043, 0) + rta(3, b"br100\0") + rta(1, mac) + nested(18, rta(1, b"bridge\0"))
    vxlan6 = struct.pack("<BBHiII", 0, 0, 1, 8, 0x1003, 0) + rta(3, b"vxlan-md\0") + nested(
        18, rta(1, b"vxlan\0"), nested(2, rta(17, bytes.fromhex("fd000000000000000000000000000001")), rta(25, b"\1"), rta(30, b"\1")))
    write("netlink", "link-vxlan", nlmsg(16, 0, 0, vxlan))
    write("netlink", "links-dump", nlmsg(16, NLM_F_MULTI, 9, bridge) + nlmsg(16, NLM_F_MULTI, 9, vxlan) + nlmsg(16, NLM_F_MULTI, 9, vxlan6)
          + nlmsg(3, NLM_F_MULTI, 9, struct.pack("<i", 0)))
    write("netlink", "link-deleted", nlmsg(17, 0, 0, vxlan6))
    fdb_remote = struct.pack("<BBHiHBB", 7, 0, 0, 7, 0x80, 0x12, 0) + rta(2, bytes.fromhex("aabbccddeeff")) + rta(1, bytes([10, 0, 0, 2])) + rta(7, struct.pack("<I", 100))
    fdb_local = struct.pack("<BBHiHBB", 7, 0, 0, 9, 0x02, 0x04, 0) + rta(2, bytes.fromhex("020000000001")) + rta(9, struct.pack("<I", 5))
    fdb_nhid = struct.pack("<BBHiHBB", 7, 0, 0, 7, 0x80, 0x12, 0) + rta(2, bytes.fromhex("aabbccddee01")) + rta(13, struct.pack("<I", 3000))
    arp = struct.pack("<BBHiHBB", 2, 0, 0, 5, 0x02, 0, 1) + rta(1, bytes([192, 168, 0, 7])) + rta(2, bytes.fromhex("020000000007"))
    nd = struct.pack("<BBHiHBB", 10, 0, 0, 5, 0x40, 0x10, 1) + rta(1, bytes.fromhex("fd00000000000000000000000000000a")) + rta(2, bytes.fromhex("02000000000a"))
    write("netlink", "neigh-notifications", nlmsg(28, 0, 0, fdb_remote) + nlmsg(28, 0, 0, fdb_local) + nlmsg(29, 0, 0, arp) + nlmsg(28, 0, 0, nd))
    write("netlink", "neigh-dump", nlmsg(28, NLM_F_MULTI, 4, fdb_nhid) + nlmsg(28, NLM_F_MULTI, 4, fdb_remote) + nlmsg(3, NLM_F_MULTI, 4, struct.pack("<i", 0)))
    nh = struct.pack("<BBBBI", 2, 0, 4, 0, 0) + rta(1, struct.pack("<I", 2000)) + rta(11, b"") + rta(6, bytes([10, 0, 0, 2]))
    nh6 = struct.pack("<BBBBI", 10, 0, 4, 0, 0) + rta(1, struct.pack("<I", 2001)) + rta(11, b"") + rta(6, bytes.fromhex("fd000000000000000000000000000002"))
    group = struct.pack("<BBBBI", 0, 0, 4, 0, 0) + rta(1, struct.pack("<I", 3000)) + rta(11, b"") + rta(2, struct.pack("<IBBH", 2000, 0, 0, 0) + struct.pack("<IBBH", 2001, 0, 0, 0))
    write("netlink", "nexthops", nlmsg(104, NLM_F_MULTI, 5, nh) + nlmsg(104, NLM_F_MULTI, 5, nh6) + nlmsg(104, NLM_F_MULTI, 5, group) + nlmsg(105, 0, 0, group))
    request = struct.pack("<IHHII", 36, 28, 0x605, 11, 0)
    ack_tlvs = rta(1, b"Nexthop id does not exist\0") + rta(2, struct.pack("<I", 40))
    write("netlink", "errors", nlmsg(2, 0x100, 10, struct.pack("<i", 0) + struct.pack("<IHHII", 36, 28, 0x605, 10, 0))
          + nlmsg(2, 0x300, 11, struct.pack("<i", -22) + request + ack_tlvs) + nlmsg(2, 0, 12, struct.pack("<i", -17) + request))
    address = struct.pack("<BBBBI", 2, 32, 0, 0, 5) + rta(1, bytes([10, 0, 0, 1])) + rta(2, bytes([10, 0, 0, 1]))
    write("netlink", "addresses", nlmsg(20, 0, 0, address) + nlmsg(21, 0, 0, address))


def config():
    for path in sorted(glob.glob(os.path.join(root, "configs", "*.yaml"))):
        shutil.copy(path, os.path.join(corpus, "config", "seed-" + os.path.basename(path)))


def api():
    with open(os.path.join(root, "src", "Evpn.Api", "ApiPaths.cs")) as f:
        paths = re.findall(r'public const string (\w+) = "([^"]+)"', f.read())
    for name, path in paths:
        for method in ("GET", "POST"):
            write("api", f"{method.lower()}-{name}", f"{method} {path}".encode())
    # What evpnctl sends (src/Evpn.Cli/Commands), escaped as ApiPaths.WithQuery escapes.
    requests = [
        "GET /v1/routes?type=2&vni=100&rd=10.0.0.1%3A100",
        "GET /v1/routes?type=3&rd=65000%3A4200000000",
        "GET /v1/macs?vni=16777215",
        "GET /v1/flood?vni=1",
        "GET /v1/explain?mac=52%3A54%3A00%3A12%3A34%3A56&vni=100",
        "GET /v1/explain/route?mac=52%3A54%3A00%3A12%3A34%3A56&rd=4200000000%3A7&tag=4294967295&type=2&vni=100",
        "GET /v1/neighbors/10.0.0.2",
        "GET /v1/neighbors/fd00%3A%3A2",
        "GET /v1/neighbors/swp1",
        "POST /v1/neighbors/10.0.0.2/shutdown",
        "POST /v1/neighbors/10.0.0.2/clear?soft=true",
        "POST /v1/neighbors/swp1/enable",
        "POST /v1/macs/clear-duplicates?vni=100&mac=52%3A54%3A00%3A12%3A34%3A56",
    ]
    for i, request in enumerate(requests):
        write("api", f"evpnctl-{i}", request.encode())
    write("api", "json-body", b'POST /v1/reload\n{"config": "/etc/evpnd/evpnd.yaml", "vni": [100, 200], "dry-run": true}')


messages = fixtures()
for target in ("bgp", "mrt", "netlink", "config", "api"):
    for old in glob.glob(os.path.join(corpus, target, "seed-*")):
        os.remove(old)
    os.makedirs(os.path.join(corpus, target), exist_ok=True)
bgp(messages)
mrt(messages)
netlink()
config()
api()
