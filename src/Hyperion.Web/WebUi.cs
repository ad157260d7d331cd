using Hyperion.Center;
using Hyperion.Web.Components;
using Hyperion.Web.Security;
using Hyperion.Web.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Hyperion.Web;

/// <summary>
/// The web client (the vSphere Client's role), plugged into the Center process: Blazor Server pages under
/// <c>/ui</c>, signed in with the Center's own users and sessions, calling the Center's application services.
/// </summary>
public sealed class WebUi(WebUiOptions? options = null) : ICenterExtension
{
    private readonly WebUiOptions _options = options ?? new WebUiOptions();

    public void ConfigureServices(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Static assets (the framework's blazor.web.js, MudBlazor's, ours) from the build's manifest whatever the
        // environment: the Center runs from a build or publish output, never with ASPNETCORE_ENVIRONMENT=Development.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddCascadingAuthenticationState();
        Inventory.InventoryServiceCollectionExtensions.AddInventoryViews(builder.Services);
        builder.Services
            .AddSingleton(_options)
            .AddScoped<AuthenticationStateProvider, SessionAuthenticationStateProvider>()
            .AddScoped<CircuitHandler, SessionActivityHandler>()
            .AddScoped<CenterSession>()
            .AddScoped<Actions.ActionsData>()
            .AddScoped<Ha.HaViews>()
            .AddScoped<Library.LibraryData>()
            .AddSingleton<Library.UploadTickets>();
    }

    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();
        app.MapGet("/", () => Results.Redirect("/ui")).AllowAnonymous().ExcludeFromDescription();
        app.MapLoginEndpoints();
        Library.LibraryUploadEndpoint.MapLibraryUpload(app);
        // Pages authorize themselves (the login page is anonymous; the rest need a user): the fallback policy's
        // challenge sends browsers to the login page.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }
}
