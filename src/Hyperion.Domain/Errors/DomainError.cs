namespace Hyperion.Domain.Errors;

/// <summary>A rule violation with a stable code and a short message for people.</summary>
public sealed record DomainError(string Code, string Message, string? Field = null);
