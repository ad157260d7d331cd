namespace Hyperion.Lab.Faults;

/// <summary>The command-line names of <see cref="LabFaultKind"/>.</summary>
public static class LabFaultKinds
{
    public static IReadOnlyList<string> Names { get; } = ["power-off", "agent-crash", "isolate", "partition", "heal"];

    public static string Name(LabFaultKind kind) => kind switch
    {
        LabFaultKind.PowerOff => "power-off",
        LabFaultKind.AgentCrash => "agent-crash",
        LabFaultKind.Isolate => "isolate",
        LabFaultKind.Partition => "partition",
        LabFaultKind.Heal => "heal",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <exception cref="LabException">Not one of <see cref="Names"/>.</exception>
    public static LabFaultKind Parse(string? name) => name switch
    {
        "power-off" => LabFaultKind.PowerOff,
        "agent-crash" => LabFaultKind.AgentCrash,
        "isolate" => LabFaultKind.Isolate,
        "partition" => LabFaultKind.Partition,
        "heal" => LabFaultKind.Heal,
        _ => throw new LabException($"--kind '{name}' is not one of {string.Join(", ", Names)}"),
    };
}
