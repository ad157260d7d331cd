namespace Hyperion.Contracts.Center;

/// <summary>
/// One page of a Center list. <see cref="Total"/> counts every item matching the filter that the caller may see;
/// <see cref="Next"/> is the opaque cursor of the next page (pass it as <c>?cursor=</c>), null on the last page.
/// </summary>
public sealed record PageDto<T>(IReadOnlyList<T> Items, long Total, string? Next);
