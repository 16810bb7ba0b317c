#!/usr/bin/python3
# ExaBGP able to receive an IPv6 VTEP's EVPN routes. ExaBGP 4.2 takes an EVPN next hop of 4 octets only (its
# Family.size table, Exa-Networks/exabgp#690) and decodes an ingress-replication PMSI tunnel identifier as IPv4
# only; it answers a 16-octet one of either with a NOTIFICATION. RFC 8365 section 5.1.3 and RFC 6514 section 5
# allow IPv6 in both, so the dual-underlay lab (leaf-pair --underlay dual) widens those two decoders (next hops
# of 4, 16 and 32 octets; an identifier read as IPv4 or IPv6 by its length) before running ExaBGP's own main.
import sys

from exabgp.application.main import main
from exabgp.bgp.message.update.attribute.pmsi import PMSIIngressReplication
from exabgp.protocol.family import AFI, SAFI, Family
from exabgp.protocol.ip import IP

Family.size[(AFI.l2vpn, SAFI.evpn)] = ((4, 16, 32), 0)
PMSIIngressReplication.unpack = classmethod(
    lambda cls, tunnel, label, flags, raw_label: cls(IP.ntop(tunnel), label, flags, tunnel, raw_label))
sys.exit(main())
