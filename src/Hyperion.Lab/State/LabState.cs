namespace Hyperion.Lab.State;

/// <summary>
/// Everything a lab made, in <c>DIR/state.json</c> (mode 0600: it holds passwords). <c>lab up</c> records each
/// namespace, link and process <em>before</em> making it, so <c>lab down</c> can remove a lab whose <c>up</c> died
/// half-way; removing something that was never made is not an error.
/// </summary>
public sealed record LabState
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    public required string Name { get; init; }

    public required string Directory { get; init; }

    public required string Subnet { get; init; }

    public LabPhase Phase { get; init; } = LabPhase.Starting;

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The lab bridge (root namespace), once recorded.</summary>
    public string? Bridge { get; init; }

    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>Links made in the root namespace (the veths' bridge ends); their peers go with the namespaces.</summary>
    public IReadOnlyList<string> Links { get; init; } = [];

    public IReadOnlyList<LabProcessRecord> Processes { get; init; } = [];

    public LabCenterState? Center { get; init; }

    public IReadOnlyList<LabHostState> Hosts { get; init; } = [];

    /// <summary>The etcd cluster, once planned; null when the lab runs without one (<c>--no-etcd</c>).</summary>
    public LabEtcdState? Etcd { get; init; }

    /// <summary>The demo VM's name, once created.</summary>
    public string? DemoVm { get; init; }

    public LabState WithProcess(LabProcessRecord process) => this with { Processes = [.. Processes.Where(p => p.Role != process.Role), process] };

    public LabHostState? FindHost(int index) => Hosts.FirstOrDefault(h => h.Index == index);

    public LabProcessRecord? FindProcess(string role) => Processes.FirstOrDefault(p => p.Role == role);

    public LabState WithHost(LabHostState host) => this with { Hosts = [.. Hosts.Where(h => h.Index != host.Index), host] };
}
