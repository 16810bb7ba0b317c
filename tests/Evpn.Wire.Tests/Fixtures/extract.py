#!/usr/bin/env python3
"""Regenerates the *.hex fixtures from the FRR<->GoBGP capture (run by hand; tests read only the .hex files).

usage: extract.py /work/shared/vectors/frr-gobgp-evpn.pcapng
Each BGP message of the capture becomes frame-NNN-M-TYPE.hex: the message bytes in hex on the last line,
a '#' line naming the frame, the sender and the message index inside the TCP segment. Only the first
KEEPALIVE of each speaker is kept (they are all identical)."""
import subprocess, sys

TYPES = {1: "open", 2: "update", 3: "notification", 4: "keepalive", 5: "route-refresh"}
SPEAKERS = {"10.0.0.1": "FRR 8.4.4 (AS 65001)", "10.0.0.2": "GoBGP 3.10 (AS 65002)"}

out = subprocess.run(["tshark", "-r", sys.argv[1], "-Y", "bgp", "-T", "fields", "-e", "frame.number", "-e", "ip.src", "-e", "tcp.payload"],
                     check=True, capture_output=True, text=True).stdout
keepalive_seen = set()
for line in out.splitlines():
    frame, src, payload = line.split("\t")
    data = bytes.fromhex(payload)
    index = 0
    while data:
        length = int.from_bytes(data[16:18], "big")
        message, data = data[:length], data[length:]
        kind = TYPES.get(message[18], "unknown")
        index += 1
        if kind == "keepalive":
            if src in keepalive_seen:
                continue
            keepalive_seen.add(src)
        name = f"frame-{int(frame):03d}-{index}-{kind}.hex"
        with open(name, "w") as f:
            f.write(f"# frr-gobgp-evpn.pcapng frame {frame}, message {index} of the segment, from {src} {SPEAKERS[src]}\n")
            f.write(message.hex() + "\n")
