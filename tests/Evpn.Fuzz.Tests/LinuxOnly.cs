using System.Runtime.Versioning;

// The harness (tests/fuzz/Evpn.Fuzz) serves evpnd's management endpoints, which run on Linux only.
[assembly: SupportedOSPlatform("linux")]
