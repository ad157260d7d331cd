using System.Net;
using Hyperion.Contracts.Center;
using Hyperion.Testing;
using Microsoft.Playwright;

namespace Hyperion.Web.Tests;

/// <summary>
/// A real Center (serving the web client) managing two real host agents (TCG tiny guests) that share a datastore
/// (<see cref="SharedDatastore"/>: one directory both mount, so VMs on it can migrate), a datacenter and cluster
/// with both hosts, a read-only user, and Debian's Chromium driven by Playwright. Shared by the web client's tests.
/// </summary>
public sealed class WebLab : IAsyncLifetime
{
    public const string Datacenter = "dc-web";
    public const string Cluster = "cl-web";
    public const string ViewerUser = "viewer";
    public const string ViewerPassword = "viewer-password-1";
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>The datastore both hosts mount (as the lab's <c>shared</c>): the Center sees one datastore on two hosts.</summary>
    public const string SharedDatastore = "shared";

    private IPlaywright? _playwright;

    /// <summary>The first host's agent (<see cref="Host"/>).</summary>
    public HostAgentProcess Agent { get; private set; } = null!;

    /// <summary>The second host's agent (<see cref="SecondHost"/>), in the same cluster: a migration's destination.</summary>
    public HostAgentProcess SecondAgent { get; private set; } = null!;

    /// <summary>The directory behind <see cref="SharedDatastore"/> on both hosts.</summary>
    public TestDirectory SharedDirectory { get; private set; } = null!;

    public CenterProcess Center { get; private set; } = null!;

    public HostApi Admin { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public DatacenterDto DatacenterObject { get; private set; } = null!;

    public ClusterDto ClusterObject { get; private set; } = null!;

    public HostDto Host { get; private set; } = null!;

    /// <summary>The second host. Both hosts are added by address 127.0.0.1 (different ports): their names are equal, tell them apart by id.</summary>
    public HostDto SecondHost { get; private set; } = null!;

    /// <summary>Where screenshots go: artifacts/screenshots (kept by CI); also docs/screenshots with HYPERION_UPDATE_SCREENSHOTS=1.</summary>
    public static string ScreenshotDirectory => Path.Combine(RepositoryPaths.Root, "artifacts", "screenshots");

    public async Task InitializeAsync()
    {
        // Samples every 2 s on the hosts and fetched every 2 s by the Center: charts fill within seconds.
        SharedDirectory = new TestDirectory("hyshared");
        string[] agentArgs = ["--metrics-interval", "2", "--datastore", $"{SharedDatastore}={SharedDirectory.Path}"];
        var first = HostAgentProcess.StartAsync("tcg", agentArgs);
        var second = HostAgentProcess.StartAsync("tcg", agentArgs);
        try
        {
            await Task.WhenAll(first, second);
        }
        finally
        {
            // Kept even when the other failed to start, so that DisposeAsync stops it.
            Agent = first.IsCompletedSuccessfully ? first.Result : null!;
            SecondAgent = second.IsCompletedSuccessfully ? second.Result : null!;
        }

        Center = await CenterProcess.StartAsync("--host-monitor-interval", "1", "--metrics-interval", "2");
        Admin = Center.Client(CenterProcess.AdminUser, CenterProcess.AdminPassword);
        DatacenterObject = (await Admin.SendAsync(HttpMethod.Post, "/api/datacenters", new DatacenterCreateRequest(Datacenter))).As<DatacenterDto>(HttpStatusCode.Created);
        ClusterObject = (await Admin.SendAsync(HttpMethod.Post, "/api/clusters", new ClusterCreateRequest(Cluster, DatacenterObject.Id))).As<ClusterDto>(HttpStatusCode.Created);
        Host = await AddHostAsync(Agent);
        SecondHost = await AddHostAsync(SecondAgent);
        (await Admin.SendAsync(HttpMethod.Post, "/api/users", new UserCreateRequest(ViewerUser, ViewerPassword))).As<UserDto>(HttpStatusCode.Created);
        (await Admin.SendAsync(HttpMethod.Post, "/api/permissions", new PermissionCreateRequest(ViewerUser, "Read-only", "group-1"))).As<PermissionDto>(HttpStatusCode.Created);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // As root, without the sandbox; and no background traffic to the internet (the network here is closed).
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    private async Task<HostDto> AddHostAsync(HostAgentProcess agent) =>
        await Admin.SucceedsAsync<HostDto>(await Admin.SendAsync(HttpMethod.Post, "/api/hosts",
            new HostAddRequest(agent.BaseAddress.GetLeftPart(UriPartial.Authority), "root", HostAgentProcess.Password, agent.Fingerprint, ClusterObject.Id, DatacenterObject.Id)));

    /// <summary>A fresh browser context (its own cookies) at 1280×800 trusting the Center's self-signed certificate.</summary>
    public Task<IPage> NewPageAsync() => NewPageAsync(Center.BaseAddress);

    /// <summary>A fresh browser context for another Center than the lab's.</summary>
    public async Task<IPage> NewPageAsync(Uri center)
    {
        ArgumentNullException.ThrowIfNull(center);
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            IgnoreHTTPSErrors = true,
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            BaseURL = center.ToString().TrimEnd('/'),
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>Logs in through the login form and waits for the interactive shell.</summary>
    public Task<IPage> LoginAsync(string user = CenterProcess.AdminUser, string password = CenterProcess.AdminPassword, string path = "/ui") =>
        LoginAsync(Center.BaseAddress, user, password, path);

    /// <summary>Logs in to <paramref name="center"/> through the login form and waits for the interactive shell.</summary>
    public async Task<IPage> LoginAsync(Uri center, string user = CenterProcess.AdminUser, string password = CenterProcess.AdminPassword, string path = "/ui")
    {
        var page = await NewPageAsync(center);
        await page.GotoAsync(path);
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#login-submit");
        await page.WaitForSelectorAsync("#current-user");
        await WaitInteractiveAsync(page);
        return page;
    }

    /// <summary>Waits until the Blazor circuit is up (prerendered HTML is visible before it handles clicks).</summary>
    public static Task WaitInteractiveAsync(IPage page) =>
        page.WaitForFunctionAsync("() => window.Blazor && document.querySelector('#components-reconnect-modal') && window.__hyperionCircuitUp === true");

    /// <summary>Saves a screenshot under artifacts/screenshots (and docs/screenshots when asked to update them).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var bytes = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = false });
        await File.WriteAllBytesAsync(Path.Combine(ScreenshotDirectory, name + ".png"), bytes);
        if (Environment.GetEnvironmentVariable("HYPERION_UPDATE_SCREENSHOTS") == "1")
        {
            var docs = Path.Combine(RepositoryPaths.Root, "docs", "screenshots");
            Directory.CreateDirectory(docs);
            await File.WriteAllBytesAsync(Path.Combine(docs, name + ".png"), bytes);
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        Admin?.Dispose();
        if (Center is not null)
        {
            await Center.DisposeAsync();
        }

        if (Agent is not null)
        {
            await Agent.DisposeAsync();
        }

        if (SecondAgent is not null)
        {
            await SecondAgent.DisposeAsync();
        }

        // After both agents (and their QEMUs, which hold files in it) are gone.
        SharedDirectory?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class WebLabGroup : ICollectionFixture<WebLab>
{
    public const string Name = "web lab";
}
