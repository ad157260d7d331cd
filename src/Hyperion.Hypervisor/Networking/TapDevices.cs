using Hyperion.Hypervisor.Processes;

namespace Hyperion.Hypervisor.Networking;

/// <summary>
/// Creates and removes the tap devices that connect VM NICs to host bridges. The agent owns them (not QEMU's
/// bridge helper), so they persist while QEMU runs even if the agent restarts, and are removed when the VM stops.
/// </summary>
/// <param name="agentTag">Three lowercase hex digits naming this agent (see <see cref="AgentTagFor"/>): two agents in
/// one network namespace (a lab, the tests) give the same VM different taps, so a migration between them does not
/// replace the source's tap with the destination's.</param>
public sealed class TapDevices(IProcessRunner runner, string agentTag = "000")
{
    /// <summary>
    /// A tap name unique on the machine for a VM's NIC on this agent: "h" + the agent's tag (3 hex digits) + 8 hex
    /// digits of the VM's UUID + "n" + index (≤ 15 chars, IFNAMSIZ).
    /// </summary>
    public string NameFor(Guid vmUuid, int nicIndex) => Name(agentTag, vmUuid, nicIndex);

    public static string Name(string agentTag, Guid vmUuid, int nicIndex) =>
        $"h{agentTag}{vmUuid.ToString("N")[..8]}n{nicIndex.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>An agent's tag: 3 hex digits of a hash of its data directory (stable across restarts).</summary>
    public static string AgentTagFor(string dataDirectory) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(dataDirectory))))[..3];

    /// <summary>Whether <paramref name="name"/> is shaped like a name <see cref="Name"/> gives.</summary>
    public static bool IsVmTap(string name) =>
        name is { Length: >= 14 and <= 15 } && name.StartsWith('h') && name[12] == 'n'
        && name[1..12].All(char.IsAsciiHexDigitLower) && name[13..].All(char.IsAsciiDigit);

    public static bool BridgeExists(string bridge) => Directory.Exists($"/sys/class/net/{bridge}/bridge");

    /// <summary>The Linux bridges of this machine (its network namespace), by name: the networks a VM's NIC can join here.</summary>
    public static IReadOnlyList<string> Bridges()
    {
        try
        {
            return Directory.EnumerateDirectories("/sys/class/net")
                .Where(d => Directory.Exists(Path.Combine(d, "bridge")))
                .Select(Path.GetFileName)
                .OfType<string>()
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        catch (IOException)
        {
            return [];
        }
    }

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
