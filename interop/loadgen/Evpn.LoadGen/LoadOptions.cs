using System.Globalization;
using Evpn.Wire.Model;

namespace Evpn.LoadGen;

/// <summary>What the generator sends and to whom. The load is a pure function of these values: the same
/// options (seed included) give the same routes, in the same order, packed the same way.</summary>
public sealed record LoadOptions
{
    /// <summary>The receiver's address, IPv4 or IPv6; the generator connects to it on <see cref="Port"/>.</summary>
    public IpAddr Peer { get; init; } = IpAddr.Parse("127.0.0.1");
    public int Port { get; init; } = 179;
    public uint LocalAsn { get; init; } = 65100;
    public IpAddr RouterId { get; init; } = IpAddr.Parse("10.255.0.1");

    /// <summary>AS of the route targets: routes carry RT <c>RtAsn:VNI</c>, which the receiver must import
    /// (FRR imports its own AS:VNI; evpnd its own AS:VNI, or *:VNI with wildcard import).</summary>
    public ushort RtAsn { get; init; } = 65001;

    /// <summary>N: type-2 routes to send.</summary>
    public int Routes { get; init; } = 10_000;

    /// <summary>V: VNIs <see cref="FirstVni"/> .. FirstVni + V - 1; route i is in VNI FirstVni + i mod V.</summary>
    public int Vnis { get; init; } = 100;
    public uint FirstVni { get; init; } = 1000;

    /// <summary>T: remote VTEPs (next hops) FirstVtep, FirstVtep+1, ...; one more address after them is the
    /// VTEP that moved MACs go to, so a move is visible in the receiver's FDB as a count per next hop. IPv6 VTEPs
    /// (an IPv6 underlay) give 16-octet next hops and PMSI tunnel endpoints.</summary>
    public int Vteps { get; init; } = 4;
    public IpAddr FirstVtep { get; init; } = IpAddr.Parse("10.200.0.1");

    /// <summary>Share of type-2 routes that are MAC+IPv4 (the rest are MAC-only), chosen by the seed.</summary>
    public double MacIpFraction { get; init; } = 0.5;

    /// <summary>Also send one type-3 route per VNI per VTEP (flood lists).</summary>
    public bool Type3 { get; init; } = true;

    /// <summary>Share of the MACs that the move phase moves to the move VTEP.</summary>
    public double MoveFraction { get; init; } = 0.1;

    public int Seed { get; init; } = 1;

    /// <summary>Hold time proposed in OPEN; keepalives go every third of the negotiated value.</summary>
    public ushort HoldTime { get; init; } = 180;

    /// <summary>Offer the extended message capability (RFC 8654): up to 65535 octets per UPDATE.</summary>
    public bool ExtendedMessage { get; init; } = true;

    /// <summary>Commands to run without reading stdin (announce, move, withdraw, wait-SECONDS, quit);
    /// empty: read commands from stdin, one per line.</summary>
    public IReadOnlyList<string> Script { get; init; } = [];

    /// <summary>Reflector mode when above 0: this many iBGP client sessions to one route reflector, from
    /// <see cref="FirstLocal"/>, FirstLocal+1, ...; 0 is the single-session mode.</summary>
    public int Sessions { get; init; }

    /// <summary>Reflector mode: how many of the clients (the first ones) originate routes, the
    /// <see cref="Routes"/> split among them in equal ranges.</summary>
    public int Originators { get; init; } = 1;

    /// <summary>Reflector mode: how many of the clients (the last ones, never originators) stop reading after the
    /// handshake, with a small receive buffer: the others' convergence shows what a client that does not drain
    /// does to them. They are not waited for.</summary>
    public int SlowClients { get; init; }

    /// <summary>Reflector mode: source address (and router-id) of the first client session.</summary>
    public IpAddr FirstLocal { get; init; } = IpAddr.Parse("127.1.0.1");

    /// <summary>Reflector mode: file for the per-client samples (CSV); none when empty.</summary>
    public string Samples { get; init; } = "";

    /// <summary>Reflector mode: a client has converged only once it also got the End-of-RIB (RFC 4724); off for
    /// a reflector that sends none to a client without graceful restart (FRR 8.4, GoBGP).</summary>
    public bool RequireEndOfRib { get; init; } = true;

    /// <summary>Reflector mode: the clients offer graceful restart (RFC 4724) for L2VPN EVPN and send End-of-RIB
    /// after their initial routes, so that a restarting reflector defers its selection until it has them, and keep
    /// what they hold as stale across a restart of the reflector (<see cref="ReflectorRun.RestartAsync"/>).</summary>
    public bool GracefulRestart { get; init; }

    /// <summary>Reflector mode: once every client converged, <see cref="MoveFraction"/> of the hosts move to the
    /// move VTEP, each announced there by the next originator, and the clients are timed again.</summary>
    public bool Churn { get; init; }

    /// <summary>Reflector mode: how long every client may take to converge, per phase.</summary>
    public int TimeoutSeconds { get; init; } = 300;

    public int MovedCount => (int)Math.Round(Routes * MoveFraction);
    public int Type3Count => Type3 ? Vnis * Vteps : 0;

    /// <summary>The VTEP that moved MACs go to.</summary>
    public IpAddr MoveVtep => Vtep(Vteps);

    public IpAddr Vtep(int index) =>
        FirstVtep.IsV6 ? IpAddr.FromV6(FirstVtep.V6Bits + (UInt128)(uint)index) : IpAddr.FromV4(FirstVtep.V4Bits + (uint)index);

    /// <summary>The router-id of VTEP <paramref name="index"/>, the administrator of its RDs: the VTEP itself when it is
    /// IPv4, else 10.200.0.1 + index (a router-id is IPv4 whatever the underlay).</summary>
    public uint VtepRouterId(int index) => (FirstVtep.IsV6 ? Ipv6VtepRouterIdBase : FirstVtep.V4Bits) + (uint)index;

    private const uint Ipv6VtepRouterIdBase = 0x0AC8_0001; // 10.200.0.1

    public const string Usage = """
        evpn-loadgen --peer IP [options]
          opens one BGP session to IP (IPv4 or IPv6) and sends EVPN routes as fast as the receiver takes them.
          --port N            receiver's BGP port (179)
          --local-as N        our AS (65100); --router-id IP (10.255.0.1)
          --rt-as N           AS of the route targets RT N:VNI (65001): use the receiver's AS
          --routes N          type-2 routes (10000)
          --vnis V            VNIs (100) starting at --first-vni (1000)
          --vteps T           next-hop VTEPs (4) starting at --first-vtep (10.200.0.1, or IPv6 such as 2001:db8:200::1);
                              moves go to VTEP T+1
          --mac-ip-fraction F share of MAC+IPv4 routes (0.5)
          --no-type3          do not send type-3 routes (one per VNI per VTEP otherwise)
          --move-fraction F   share of MACs the move command moves (0.1)
          --seed S            (1)
          --hold-time S       (180)
          --no-extended-message
          --script CMD,CMD    run these commands instead of reading stdin
        reflector mode (--sessions N): N iBGP clients of one route reflector at --peer, instead of one session
          --sessions N        client sessions from --first-local (127.1.0.1), +1, ... (router-id = address)
          --originators K     the first K clients send the routes, split in equal ranges (1)
          --slow-clients S    the last S clients stop reading after the handshake; the others are measured (0)
          --samples FILE      per-client samples as CSV
          --timeout S         how long every client may take to converge, per phase (300)
          --no-end-of-rib     converged without the End-of-RIB (a reflector that sends none)
          --churn             then --move-fraction of the hosts move: originator k withdraws its moved hosts and
                              announces originator k-1's behind the move VTEP with MAC mobility sequence 1
          each client converges when it holds every route but its own, and the End-of-RIB; after the move,
          when it holds every moved host's new route but its own and none of their old routes.
        commands (stdin, one per line): announce | move | withdraw | wait-SECONDS | quit
        each command prints one line of key=value pairs (times in Unix nanoseconds and milliseconds).
        """;

    /// <summary>Parses command-line arguments; on failure returns null and a message naming the problem.</summary>
    public static LoadOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var o = new LoadOptions();
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value()
            {
                if (i + 1 >= args.Count)
                {
                    throw new FormatException($"{name} needs a value");
                }
                return args[++i];
            }
            try
            {
                o = name switch
                {
                    "--peer" => o with { Peer = IpAddr.Parse(Value()) },
                    "--port" => o with { Port = Bounded(name, int.Parse(Value(), CultureInfo.InvariantCulture), 1, 65535) },
                    "--local-as" => o with { LocalAsn = uint.Parse(Value(), CultureInfo.InvariantCulture) },
                    "--router-id" => o with { RouterId = IpAddr.Parse(Value()) },
                    "--rt-as" => o with { RtAsn = ushort.Parse(Value(), CultureInfo.InvariantCulture) },
                    "--routes" => o with { Routes = Bounded(name, int.Parse(Value(), CultureInfo.InvariantCulture), 1, 1 << 24) },
                    "--vnis" => o with { Vnis = Bounded(name, int.Parse(Value(), CultureInfo.InvariantCulture), 1, 65535) },
                    "--first-vni" => o with { FirstVni = uint.Parse(Value(), CultureInfo.InvariantCulture) },
                    "--vteps" => o with { Vteps = Bounded(name, int.Parse(Value(), CultureInfo.InvariantCulture), 1, 1000) },
                    "--first-vtep" => o with { FirstVtep = IpAddr.Parse(Value()) },
                    "--mac-ip-fraction" => o with { MacIpFraction = Fraction(name, Value()) },
                    "--no-type3" => o with { Type3 = false },
                    "--move-fraction" => o with { MoveFraction = Fraction(name, Value()) },
                    "--seed" => o with { Seed = int.Parse(Value(), CultureInfo.InvariantCulture) },
                    "--hold-time" => o with { HoldTime = ushort.Parse(Value(), CultureInfo.InvariantCulture) },
                    "--no-extended-message" => o with { ExtendedMessage = false },
                    "--sessions" => o with { Sessions = Bounded(name, int.Parse(Value(), CultureInfo.InvariantCulture), 1, 60000) },
                    "--originators" => o with { Originators = Bounded(name, int.Parse(Value(), CultureInfo.InvariantCulture), 1, 60000) },
                    "--slow-clients" => o with { SlowClients = Bounded(name, int.Parse(Value(), CultureInfo.InvariantCulture), 0, 60000) },
                    "--first-local" => o with { FirstLocal = IpAddr.Parse(Value()) },
                    "--no-end-of-rib" => o with { RequireEndOfRib = false },
                    "--churn" => o with { Churn = true },
                    "--samples" => o with { Samples = Value() },
                    "--timeout" => o with { TimeoutSeconds = Bounded(name, int.Parse(Value(), CultureInfo.InvariantCulture), 1, 86400) },
                    "--script" => o with { Script = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                    _ => throw new FormatException($"unknown option '{name}'"),
                };
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                error = e.Message;
                return null;
            }
        }
        error = o.Check();
        return error is null ? o : null;
    }

    private string? Check()
    {
        if (RouterId.IsV6)
        {
            return "--router-id must be an IPv4 address";
        }
        if (FirstVni == 0 || FirstVni + (uint)Vnis - 1 > EvpnLabel.MaxVni)
        {
            return $"VNIs {FirstVni}..{FirstVni + (uint)Vnis - 1} are outside 1..{EvpnLabel.MaxVni}";
        }
        if (Sessions > 0 && (Originators > Sessions || FirstLocal.IsV6 || FirstVtep.IsV6 || Peer.IsV6))
        {
            return "--originators must not exceed --sessions, and --first-local, --first-vtep and --peer must be IPv4 addresses in reflector mode";
        }
        if (Sessions > 0 && SlowClients > Sessions - Originators)
        {
            return "--slow-clients must not exceed the clients that are not originators (--sessions less --originators)";
        }
        if (HoldTime is 1 or 2)
        {
            return "--hold-time must be 0 or at least 3 (RFC 4271 section 4.2)";
        }
        foreach (var command in Script)
        {
            if (!LoadCommand.TryParse(command, out _))
            {
                return $"unknown command '{command}' in --script";
            }
        }
        return null;
    }

    private static int Bounded(string name, int value, int min, int max) =>
        value >= min && value <= max ? value : throw new FormatException($"{name} must be in {min}..{max}, found {value}");

    private static double Fraction(string name, string text)
    {
        var value = double.Parse(text, CultureInfo.InvariantCulture);
        return value is >= 0 and <= 1 ? value : throw new FormatException($"{name} must be in 0..1, found {text}");
    }
}
