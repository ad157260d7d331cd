namespace Hyperion.Hypervisor.Processes;

/// <summary>A program to run with an argv (never through a shell).</summary>
public sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>Killed (whole process) and reported as a timeout when it runs longer; null waits forever.</summary>
    public TimeSpan? Timeout { get; init; }

    public string? WorkingDirectory { get; init; }

    public IReadOnlyDictionary<string, string>? Environment { get; init; }
}
