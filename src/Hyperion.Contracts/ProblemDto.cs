namespace Hyperion.Contracts;

/// <summary>RFC 9457 problem details as Hyperion sends them, with a stable <see cref="Code"/>.</summary>
public sealed record ProblemDto
{
    public string? Type { get; init; }
    public string? Title { get; init; }
    public int? Status { get; init; }
    public string? Detail { get; init; }
    public string? Code { get; init; }
    public IReadOnlyList<ProblemErrorDto>? Errors { get; init; }
}
