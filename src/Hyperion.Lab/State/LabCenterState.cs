namespace Hyperion.Lab.State;

/// <summary>The lab's Center: URL, the built-in administrator's credentials and, once it has started, its certificate fingerprint.</summary>
public sealed record LabCenterState(string Url, string DataDirectory, string AdminUser, string AdminPassword)
{
    public string? Fingerprint { get; init; }

    /// <summary>The datacenter and cluster <c>lab up</c> made (ids), once made.</summary>
    public string? DatacenterId { get; init; }

    public string? ClusterId { get; init; }
}
