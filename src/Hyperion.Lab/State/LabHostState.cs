namespace Hyperion.Lab.State;

/// <summary>Host <see cref="Index"/> of a lab: where it runs and its root credentials; <see cref="CenterHostId"/> once the Center added it.</summary>
public sealed record LabHostState(int Index, string Namespace, string Url, string DataDirectory, string RootPassword)
{
    public string Name => $"host-{Index}";

    public string? Fingerprint { get; init; }

    public string? CenterHostId { get; init; }
}
