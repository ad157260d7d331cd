using Hyperion.Contracts.Center;

namespace Hyperion.Cli.Api;

/// <summary>
/// The answer to a Center operation: either done at once (<c>200</c>/<c>201</c> with the object, <c>204</c> with
/// nothing: <see cref="Task"/> is null) or started as a task (<c>202 Accepted</c>: <see cref="Task"/> to wait for).
/// </summary>
public sealed record OperationResponse<T>(T? Value, TaskDto? Task);
