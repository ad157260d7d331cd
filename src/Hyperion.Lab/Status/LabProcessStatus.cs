namespace Hyperion.Lab.Status;

/// <summary>A server of the lab: <see cref="Name"/> is <c>center</c> or <c>host-N</c>; <see cref="ConnectionState"/> is the Center's view of a host (null for the Center, or when the Center did not answer).</summary>
public sealed record LabProcessStatus(string Name, string Url, int Pid, bool Alive, string? CenterId, string? ConnectionState)
{
    /// <summary>The <c>lab fault</c> kinds in effect on this host (<c>power-off</c>, <c>isolate</c>, …); empty when none.</summary>
    public IReadOnlyList<string> Faults { get; init; } = [];
}
