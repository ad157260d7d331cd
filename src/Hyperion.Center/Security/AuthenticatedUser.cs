using System.Globalization;
using System.Security.Claims;

namespace Hyperion.Center.Security;

/// <summary>The user a request runs as, from Basic credentials or a session token.</summary>
public sealed record AuthenticatedUser(long Id, string Name)
{
    public ClaimsPrincipal ToPrincipal(string authenticationType) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, Name), new Claim(ClaimTypes.NameIdentifier, Id.ToString(CultureInfo.InvariantCulture))],
        authenticationType));

    /// <summary>The user of an authenticated principal (the fallback policy guarantees one on every non-anonymous endpoint).</summary>
    public static AuthenticatedUser From(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var name = principal.FindFirstValue(ClaimTypes.Name);
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        return name is not null && long.TryParse(id, CultureInfo.InvariantCulture, out var number)
            ? new AuthenticatedUser(number, name)
            : throw new InvalidOperationException("request is not authenticated");
    }
}
