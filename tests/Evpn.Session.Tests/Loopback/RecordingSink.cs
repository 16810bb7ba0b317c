using System.Threading.Channels;
using Evpn.Session.Speaker;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Session.Tests.Loopback;

/// <summary>Records every session event and lets a test wait (bounded) for the one it expects. An optional
/// reaction runs on the speaker loop, as the daemon's core would.</summary>
public sealed class RecordingSink : ISessionEventSink
{
    private readonly Channel<SessionEvent> _events = Channel.CreateUnbounded<SessionEvent>();
    private readonly List<SessionEvent> _seen = [];

    /// <summary>The distinct NLRI each peer announced and has not withdrawn, per family: the RIB a daemon
    /// would count for max-prefix, reported to the speaker after each UPDATE. Touched only on the speaker loop.</summary>
    private readonly Dictionary<(BgpPeer, AfiSafi), HashSet<Nlri>> _accepted = [];

    public Action<BgpSpeaker, SessionEvent>? React { get; set; }

    public void OnSessionEvent(BgpSpeaker speaker, SessionEvent sessionEvent)
    {
        switch (sessionEvent)
        {
            case UpdateReceived e:
                Account(e.Peer, e.Update);
                foreach (var family in e.Update.Announced.Select(a => a.Family).Concat(e.Update.WithdrawnAll.Select(w => w.Family)).Distinct())
                {
                    speaker.ReportAcceptedPrefixes(e.Peer, family, AcceptedPrefixes(e.Peer, family));
                }
                break;
            case PeerDown e:
                foreach (var key in _accepted.Keys.Where(k => k.Item1 == e.Peer).ToList())
                {
                    _accepted.Remove(key);
                }
                break;
        }
        _events.Writer.TryWrite(sessionEvent);
        React?.Invoke(speaker, sessionEvent);
    }

    public int AcceptedPrefixes(BgpPeer peer, AfiSafi family) =>
        _accepted.TryGetValue((peer, family), out var set) ? set.Count : 0;

    private void Account(BgpPeer peer, UpdateMessage update)
    {
        foreach (var (family, nlri) in update.WithdrawnAll)
        {
            if (_accepted.TryGetValue((peer, family), out var set))
            {
                set.Remove(nlri);
            }
        }
        foreach (var (family, nlri) in update.Announced)
        {
            if (!_accepted.TryGetValue((peer, family), out var set))
            {
                _accepted[(peer, family)] = set = [];
            }
            set.Add(nlri);
        }
    }

    public IReadOnlyList<SessionEvent> Seen
    {
        get
        {
            lock (_seen)
            {
                return _seen.ToArray();
            }
        }
    }

    /// <summary>Waits for the next event of type <typeparamref name="T"/> matching <paramref name="match"/>;
    /// other events are kept in <see cref="Seen"/>. Fails the test after <paramref name="seconds"/>.</summary>
    public async Task<T> WaitFor<T>(Func<T, bool>? match = null, double seconds = 15) where T : SessionEvent
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        lock (_seen)
        {
            var earlier = _seen.OfType<T>().FirstOrDefault(e => match?.Invoke(e) ?? true);
            if (earlier is not null)
            {
                _seen.Remove(earlier);
                return earlier;
            }
        }
        try
        {
            while (true)
            {
                var next = await _events.Reader.ReadAsync(timeout.Token);
                if (next is T wanted && (match?.Invoke(wanted) ?? true))
                {
                    return wanted;
                }
                lock (_seen)
                {
                    _seen.Add(next);
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no {typeof(T).Name} within {seconds} s; saw: {string.Join("; ", Seen)}");
        }
    }
}
