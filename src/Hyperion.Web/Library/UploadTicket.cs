using Hyperion.Center.Security;

namespace Hyperion.Web.Library;

/// <summary>What a library upload ticket allows: one import, as <paramref name="User"/>, onto one host, with the host's parameters.</summary>
public sealed record UploadTicket(AuthenticatedUser User, string HostId, string Query);
