namespace Hyperion.Web;

/// <summary>Settings of the web client.</summary>
public sealed record WebUiOptions
{
    /// <summary>How often an open page checks that its session still exists. Default 15 s.</summary>
    public TimeSpan SessionRevalidationInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>User activity in a page slides the session at most this often. Default 30 s.</summary>
    public TimeSpan SessionSlideInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often live views (Recent Tasks fallback, summaries) refresh what has no push feed. Default 5 s.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(5);
}
