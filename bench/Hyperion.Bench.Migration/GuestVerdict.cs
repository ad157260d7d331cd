namespace Hyperion.Bench.Migration;

/// <summary>
/// What the destination's serial console showed after the switch-over. <see cref="StalePages"/>: pages the dirtying
/// guest found without the previous pass's pattern (sum of its <c>dirty: pass K mismatches M</c>). <see cref="Failure"/>:
/// why the guest did not survive (kernel oops or panic, a reboot, ticks that restarted or stopped); null when it did.
/// </summary>
internal sealed record GuestVerdict(long StalePages, int PassesChecked, int Ticks, string? Failure)
{
    public bool Healthy => Failure is null && StalePages == 0;
}
