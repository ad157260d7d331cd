using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

/// <summary>One real agent (TCG) per test class.</summary>
public sealed class AgentFixture : IAsyncLifetime
{
    public HostAgentProcess Agent { get; private set; } = null!;

    public HostApi Api => Agent.Api;

    public async Task InitializeAsync() => Agent = await HostAgentProcess.StartAsync("tcg");

    public async Task DisposeAsync() => await Agent.DisposeAsync();
}
