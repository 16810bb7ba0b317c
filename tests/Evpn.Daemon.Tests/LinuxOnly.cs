using System.Runtime.Versioning;

// evpnd runs on Linux only, and so do its tests.
[assembly: SupportedOSPlatform("linux")]
