using Hyperion.Center.Authorization;
using Hyperion.Center.Security;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Hyperion.Web.Services;

/// <summary>
/// How the web client's components reach the Center: each call runs in its own DI scope (its own DbContext — a
/// Blazor circuit lives for hours and runs components concurrently) as the signed-in user, through the same
/// application services and authorization as the REST endpoints.
/// </summary>
public sealed class CenterSession(IServiceScopeFactory scopes, AuthenticationStateProvider authentication)
{
    /// <summary>The signed-in user of this circuit.</summary>
    public async Task<AuthenticatedUser> UserAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return state.User.Identity?.IsAuthenticated == true
            ? AuthenticatedUser.From(state.User)
            : throw new DomainException(ErrorCodes.Unauthorized, "your session has ended: log in again");
    }

    /// <summary>Calls <typeparamref name="TService"/> as the signed-in user.</summary>
    public async Task<T> CallAsync<TService, T>(Func<TService, AuthenticatedUser, CancellationToken, Task<T>> call, CancellationToken cancellationToken = default)
        where TService : notnull
    {
        ArgumentNullException.ThrowIfNull(call);
        var user = await UserAsync();
        await using var scope = scopes.CreateAsyncScope();
        return await call(scope.ServiceProvider.GetRequiredService<TService>(), user, cancellationToken);
    }

    /// <summary>Runs <paramref name="call"/> with a fresh scope's services as the signed-in user.</summary>
    public async Task<T> RunAsync<T>(Func<IServiceProvider, AuthenticatedUser, CancellationToken, Task<T>> call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var user = await UserAsync();
        await using var scope = scopes.CreateAsyncScope();
        return await call(scope.ServiceProvider, user, cancellationToken);
    }

    /// <summary>The signed-in user's effective privileges on <paramref name="objectId"/> (what the API would allow there).</summary>
    public Task<IReadOnlySet<string>> PrivilegesAsync(InventoryId objectId, CancellationToken cancellationToken = default) =>
        CallAsync<AccessControl, IReadOnlySet<string>>((access, user, ct) => access.PrivilegesAsync(user.Name, objectId, ct), cancellationToken);

    /// <summary>One line for a failed call, as the API's problem details would say it.</summary>
    public static string Describe(Exception exception) => exception switch
    {
        DomainException domain when domain.Errors.Count > 0 => string.Join("; ", domain.Errors.Select(e => e.Field is null ? e.Message : $"{e.Field}: {e.Message}")),
        DomainException domain => domain.Message,
        _ => exception.Message,
    };
}
