using CsCheck;
using Evpn.Session.Fsm;
using Evpn.Wire;
using static Evpn.Session.Fsm.FsmActions;

namespace Evpn.Fuzz.Tests;

/// <summary>The RFC 4271 section 8 state machine (<see cref="BgpFsm"/>) driven by random event sequences: every
/// (state, event) has a transition, and after every step the timers the transitions started and stopped are the
/// ones section 8.2.2 has running in the state reached. A timer's expiry is delivered only while it runs (as the
/// speaker's timers do); messages and connection events come at any time, as a peer may send anything.</summary>
public class FsmSequenceProperties
{
    private static readonly BgpEvent[] Events = Enum.GetValues<BgpEvent>();
    private static readonly NotificationMessage Error = Notifications.Cease(CeaseSubcode.AdministrativeShutdown);

    [Fact]
    public void Every_state_and_event_has_a_transition_and_a_notification_to_send_when_it_sends_one()
    {
        foreach (var state in Enum.GetValues<BgpState>())
        {
            foreach (var e in Events)
            {
                foreach (var (passive, delayOpen) in new[] { (false, false), (true, false), (false, true), (true, true) })
                {
                    var step = BgpFsm.Next(state, new FsmInput(e, Error), new FsmOptions(passive, delayOpen));
                    Assert.True(Enum.IsDefined(step.Next), $"{state} + {e}: {step.Next}");
                    Assert.True(!step.Has(SendNotification) || step.Notification is not null, $"{state} + {e}: SendNotification without one");
                }
            }
        }
    }

    [Fact]
    public void Random_event_sequences_keep_the_timers_rfc_4271_has_running_in_each_state() =>
        Gen.Select(Gen.Bool, Gen.Bool, Gen.Bool, Gen.Int[0, 1000].Array[1, 80]).Sample((passive, delayOpen, zeroHold, choices) =>
        {
            var peer = new ModelPeer(new FsmOptions(passive, delayOpen), zeroHold);
            foreach (var choice in choices)
            {
                var allowed = Events.Where(peer.CanHappen).ToList();
                peer.Step(allowed[choice % allowed.Count]);
            }
        }, iter: 5000);

    private enum Hold
    {
        None,
        Large,
        Negotiated,
    }

    /// <summary>One peer: its state and its timers, moved by the actions of each step as the speaker moves them.</summary>
    private sealed class ModelPeer(FsmOptions options, bool zeroHold)
    {
        private readonly List<string> _trace = [];
        private BgpState _state = BgpState.Idle;
        private bool _connectRetry, _delayOpen, _keepalive, _sendHold;
        private Hold _hold;

        /// <summary>Timers expire only while they run; an OPEN is event 20 exactly while DelayOpen runs.</summary>
        public bool CanHappen(BgpEvent e) => e switch
        {
            BgpEvent.ConnectRetryTimerExpires => _connectRetry,
            BgpEvent.DelayOpenTimerExpires or BgpEvent.BgpOpenWithDelayOpenTimerRunning => _delayOpen,
            BgpEvent.BgpOpen => !_delayOpen,
            BgpEvent.HoldTimerExpires => _hold != Hold.None,
            BgpEvent.KeepaliveTimerExpires => _keepalive,
            BgpEvent.SendHoldTimerExpires => _sendHold,
            _ => true,
        };

        public void Step(BgpEvent e)
        {
            Expire(e);
            var before = _state;
            var step = BgpFsm.Next(before, new FsmInput(e, Error), options);
            _trace.Add($"{before} + {e} -> {step.Next} [{step.Actions}]");
            Apply(step);
            _state = step.Next;
            var where = string.Join("\n", _trace);
            Assert.True(!step.Has(SendNotification) || step.Notification is not null, $"SendNotification without one:\n{where}");
            CheckTimers(where);
            CheckTransition(before, e, step, where);
        }

        private void Expire(BgpEvent e)
        {
            switch (e)
            {
                case BgpEvent.ConnectRetryTimerExpires: _connectRetry = false; break;
                case BgpEvent.DelayOpenTimerExpires: _delayOpen = false; break;
                case BgpEvent.HoldTimerExpires: _hold = Hold.None; break;
                case BgpEvent.KeepaliveTimerExpires: _keepalive = false; break;
                case BgpEvent.SendHoldTimerExpires: _sendHold = false; break;
            }
        }

        /// <summary>What the speaker does with a step's timer actions, in its order (BgpSpeaker.ApplyTimers).</summary>
        private void Apply(FsmStep step)
        {
            _connectRetry = step.Has(StartConnectRetryTimer) || (_connectRetry && !step.Has(StopConnectRetryTimer));
            _delayOpen = step.Has(StartDelayOpenTimer) || (_delayOpen && !step.Has(StopDelayOpenTimer));
            if (step.Has(StopSessionTimers))
            {
                (_hold, _keepalive, _sendHold) = (Hold.None, false, false);
            }
            if (step.Has(StartLargeHoldTimer))
            {
                _hold = Hold.Large;
            }
            if (step.Has(StartNegotiatedTimers))
            {
                // RFC 4271 section 4.4: a negotiated hold time of zero runs neither a hold timer nor KEEPALIVEs.
                (_hold, _keepalive, _sendHold) = zeroHold ? (Hold.None, false, true) : (Hold.Negotiated, true, true);
            }
            _keepalive |= step.Has(RestartKeepaliveTimer) && !zeroHold;
        }

        /// <summary>RFC 4271 section 8.2.2, the timers of each state.</summary>
        private void CheckTimers(string where)
        {
            var negotiated = zeroHold ? Hold.None : Hold.Negotiated;
            switch (_state)
            {
                case BgpState.Idle:
                    Assert.True(_hold == Hold.None && !_keepalive && !_sendHold && !_delayOpen, $"Idle with a session timer running:\n{where}");
                    break;
                case BgpState.Connect or BgpState.Active:
                    Assert.True(_hold == Hold.None && !_keepalive, $"{_state} with the hold or keepalive timer running:\n{where}");
                    // The ConnectRetry timer runs while waiting for a connection; DelayOpen replaces it once one is up.
                    Assert.True(_connectRetry ^ _delayOpen, $"{_state} with ConnectRetry {_connectRetry} and DelayOpen {_delayOpen}:\n{where}");
                    break;
                case BgpState.OpenSent:
                    Assert.True(_hold == Hold.Large && !_keepalive && !_connectRetry && !_delayOpen,
                        $"OpenSent needs the large hold timer alone (hold {_hold}, keepalive {_keepalive}, retry {_connectRetry}, delay {_delayOpen}):\n{where}");
                    break;
                case BgpState.OpenConfirm or BgpState.Established:
                    Assert.True(_hold == negotiated && _keepalive == !zeroHold && _sendHold && !_connectRetry && !_delayOpen,
                        $"{_state} needs the negotiated hold and keepalive timers (hold {_hold}, keepalive {_keepalive}, send hold {_sendHold}, retry {_connectRetry}, delay {_delayOpen}):\n{where}");
                    break;
            }
        }

        private static void CheckTransition(BgpState before, BgpEvent e, FsmStep step, string where)
        {
            if (step.Next == BgpState.Established && before != BgpState.Established)
            {
                Assert.True(before == BgpState.OpenConfirm && e == BgpEvent.KeepAliveMsg && step.Has(SessionEstablished), $"Established other than by OpenConfirm's KEEPALIVE:\n{where}");
            }
            if (before == BgpState.Established && step.Next != BgpState.Established)
            {
                Assert.True(step.Has(DropConnection | ReleaseResources), $"left Established keeping its connection or routes:\n{where}");
            }
            if (step.Next == BgpState.OpenConfirm && before != BgpState.OpenConfirm)
            {
                Assert.True(step.Has(AcceptOpen | SendKeepalive | StartNegotiatedTimers), $"OpenConfirm without accepting the OPEN and starting its timers:\n{where}");
            }
            if (before is BgpState.OpenSent or BgpState.OpenConfirm or BgpState.Established && step.Next is BgpState.Idle or BgpState.Active)
            {
                Assert.True(step.Has(DropConnection), $"left {before} for {step.Next} keeping the connection:\n{where}");
            }
            if (before == BgpState.Established && step.Next == BgpState.Established)
            {
                Assert.True(e switch
                {
                    BgpEvent.UpdateMsg => step.Has(ProcessUpdate | RestartHoldTimer),
                    BgpEvent.KeepAliveMsg => step.Has(RestartHoldTimer),
                    BgpEvent.KeepaliveTimerExpires => step.Has(SendKeepalive | RestartKeepaliveTimer),
                    _ => step.Actions == None,
                }, $"Established + {e}: {step.Actions}:\n{where}");
            }
        }
    }
}
