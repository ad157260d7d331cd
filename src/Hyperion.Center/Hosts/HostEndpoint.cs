using Hyperion.Domain.Errors;

namespace Hyperion.Center.Hosts;

/// <summary>Where a host agent listens: <c>https://ADDRESS:PORT</c> (port 443 when omitted).</summary>
public sealed record HostEndpoint(string Address, int Port)
{
    public Uri BaseAddress => new UriBuilder(Uri.UriSchemeHttps, Address, Port).Uri;

    public override string ToString() => BaseAddress.GetLeftPart(UriPartial.Authority);

    /// <exception cref="DomainException"><see cref="ErrorCodes.InvalidArgument"/> when it is not an https URL with a host and nothing else.</exception>
    public static HostEndpoint Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)
            || !Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
            || uri.Scheme != Uri.UriSchemeHttps
            || string.IsNullOrEmpty(uri.Host)
            || uri.AbsolutePath != "/"
            || !string.IsNullOrEmpty(uri.Query)
            || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"address '{value}' is not https://HOST[:PORT]", "address"));
        }

        return new HostEndpoint(uri.IdnHost, uri.Port);
    }
}
