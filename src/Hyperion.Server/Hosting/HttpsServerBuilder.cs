using System.Net;
using System.Security.Cryptography.X509Certificates;
using Hyperion.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hyperion.Server.Hosting;

/// <summary>The web host every Hyperion server starts from: HTTPS only, one-line console logs, Hyperion's JSON shape.</summary>
public static class HttpsServerBuilder
{
    /// <param name="acceptClientCertificates">
    /// Ask clients for a certificate (optional: clients without one still connect). The TLS layer accepts any; the
    /// server's authentication handler decides which it trusts (the host agent trusts its Center's CA).
    /// </param>
    public static WebApplicationBuilder Create(IPEndPoint endpoint, X509Certificate2 certificate, bool acceptClientCertificates = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Listen(endpoint, l => l.UseHttps(https =>
        {
            https.ServerCertificate = certificate;
            if (acceptClientCertificates)
            {
                https.ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.AllowCertificate;
                https.ClientCertificateValidation = (_, _, _) => true;
            }
        })));

        // Malformed bodies throw BadHttpRequestException so ProblemMiddleware can say what was wrong.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonDefaults.Options.PropertyNamingPolicy;
            o.SerializerOptions.DefaultIgnoreCondition = JsonDefaults.Options.DefaultIgnoreCondition;
            foreach (var converter in JsonDefaults.Options.Converters)
            {
                o.SerializerOptions.Converters.Add(converter);
            }
        });
        return builder;
    }
}
