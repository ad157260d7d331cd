namespace Hyperion.Contracts.Center;

/// <summary><c>POST /api/tags/{id}/assignments</c>: the inventory object (<c>vm-42</c>, <c>host-7</c>, …) to attach the tag to.</summary>
public sealed record TagAssignmentRequest(string? Object);
