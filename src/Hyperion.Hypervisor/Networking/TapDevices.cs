using Hyperion.Hypervisor.Processes;

namespace Hyperion.Hypervisor.Networking;

/// <summary>
/// Creates and removes the tap devices that connect VM NICs to host bridges. The agent owns them (not QEMU's
/// bridge helper), so they persist while QEMU runs even if the agent restarts, and are removed when the VM stops.
/// </summary>
public sealed class TapDevices(IProcessRunner runner)
{
    /// <summary>A tap name unique on the machine for a VM's NIC: "hy" + 10 hex digits of the VM's UUID + "n" + index (≤ 15 chars, IFNAMSIZ).</summary>
    public static string NameFor(Guid vmUuid, int nicIndex) =>
        $"hy{vmUuid.ToString("N")[..10]}n{nicIndex.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>Whether <paramref name="name"/> is shaped like a name <see cref="NameFor"/> gives.</summary>
    public static bool IsVmTap(string name) =>
        name is { Length: >= 14 and <= 15 } && name.StartsWith("hy", StringComparison.Ordinal) && name[12] == 'n'
        && name[2..12].All(char.IsAsciiHexDigitLower) && name[13..].All(char.IsAsciiDigit);

    public static bool BridgeExists(string bridge) => Directory.Exists($"/sys/class/net/{bridge}/bridge");

    /// <summary>Creates <paramref name="tap"/> (replacing a stale one) and enslaves it to <paramref name="bridge"/>.</summary>
    public async Task CreateAsync(string tap, string bridge, CancellationToken cancellationToken)
    {
        if (!BridgeExists(bridge))
        {
            throw new InvalidOperationException($"bridge '{bridge}' does not exist on this host");
        }

        await DeleteAsync(tap, cancellationToken);
        await RunAsync(["tuntap", "add", "dev", tap, "mode", "tap"], cancellationToken);
        try
        {
            await RunAsync(["link", "set", "dev", tap, "master", bridge], cancellationToken);
            await RunAsync(["link", "set", "dev", tap, "up"], cancellationToken);
        }
        catch
        {
            await DeleteAsync(tap, cancellationToken);
            throw;
        }
    }

    /// <summary>Removes <paramref name="tap"/> if it exists.</summary>
    public async Task DeleteAsync(string tap, CancellationToken cancellationToken)
    {
        if (Directory.Exists($"/sys/class/net/{tap}"))
        {
            await runner.RunAsync(new ProcessSpec("ip", ["link", "del", "dev", tap]) { Timeout = TimeSpan.FromSeconds(10) }, cancellationToken);
        }
    }

    private async Task RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(new ProcessSpec("ip", args) { Timeout = TimeSpan.FromSeconds(10) }, cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', args)} failed: {result.StandardError.Trim()}");
        }
    }
}
