using Microsoft.AspNetCore.Builder;

namespace Hyperion.Center;

/// <summary>
/// A part of the Center process that lives in another assembly (the web client): the composition root hands it to
/// <see cref="CenterServer.RunAsync"/>, which lets it add services and endpoints. The Center never references it.
/// </summary>
public interface ICenterExtension
{
    void ConfigureServices(WebApplicationBuilder builder);

    /// <summary>Called after authentication and authorization are in the pipeline, with the API endpoints.</summary>
    void Map(WebApplication app);
}
