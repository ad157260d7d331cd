namespace Hyperion.Lab.Status;

/// <summary>A VM as the lab's Center lists it; <see cref="Host"/> is the lab's name for its host (<c>host-N</c>).</summary>
public sealed record LabVmStatus(string Name, string Id, string? Host, string PowerState);
