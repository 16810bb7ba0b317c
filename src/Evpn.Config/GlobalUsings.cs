global using Evpn.Wire.Model;
