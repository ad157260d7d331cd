namespace Hyperion.Contracts;

public sealed record ProblemErrorDto(string Code, string Message, string? Field);
