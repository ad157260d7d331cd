namespace Hyperion.Cli.Tests.Fakes;

/// <summary>A request the CLI sent, captured before the fake answered it.</summary>
public sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? Body, string? ContentType, string? Authorization)
{
    public string PathAndQuery => Uri.PathAndQuery;
}
