using System.Text.Json;
using System.Text.Json.Serialization;

namespace Evpn.Api;

/// <summary>The management API's JSON documents, serialized by source-generated code: evpnd and evpnctl are
/// Native AOT binaries, where reflection-based serialization is not available. A document type the API sends
/// or reads must be listed here.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(SummaryDocument))]
[JsonSerializable(typeof(NeighborDetail))]
[JsonSerializable(typeof(IReadOnlyList<NeighborDetail>))]
[JsonSerializable(typeof(IReadOnlyList<RouteEntry>))]
[JsonSerializable(typeof(IAsyncEnumerable<RouteEntry>))]
[JsonSerializable(typeof(IReadOnlyList<VniEntry>))]
[JsonSerializable(typeof(IReadOnlyList<MacAddressEntry>))]
[JsonSerializable(typeof(IAsyncEnumerable<MacAddressEntry>))]
[JsonSerializable(typeof(IReadOnlyList<FloodListEntry>))]
[JsonSerializable(typeof(ExplainDocument))]
[JsonSerializable(typeof(RouteExplainDocument))]
[JsonSerializable(typeof(AuditDocument))]
[JsonSerializable(typeof(ActionResult))]
[JsonSerializable(typeof(ClearDuplicatesDocument))]
[JsonSerializable(typeof(string))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
