namespace Hyperion.Contracts.Center;

/// <summary><c>POST /api/tags</c>: a tag <see cref="Name"/> in <see cref="Category"/> (both 1–80 characters, no '/').</summary>
public sealed record TagCreateRequest(string? Category, string? Name, string? Description = null);
