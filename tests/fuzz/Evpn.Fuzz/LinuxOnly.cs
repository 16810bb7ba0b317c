using System.Runtime.Versioning;

// The api target serves evpnd's management endpoints, which run on Linux only, as evpnd does.
[assembly: SupportedOSPlatform("linux")]
