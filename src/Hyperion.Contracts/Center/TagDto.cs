namespace Hyperion.Contracts.Center;

/// <summary>A tag (vSphere tagging): a <see cref="Name"/> in a <see cref="Category"/>, unique there. <see cref="Id"/> is <c>tag-N</c>.</summary>
public sealed record TagDto(string Id, string Category, string Name, string? Description);
