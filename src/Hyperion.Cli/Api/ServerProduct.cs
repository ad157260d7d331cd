namespace Hyperion.Cli.Api;

/// <summary>What the CLI is talking to, as <c>GET /api/health</c> says.</summary>
public enum ServerProduct
{
    /// <summary>A host agent (the ESXi role): synchronous operations, plain arrays.</summary>
    Host,

    /// <summary>The Center (the vCenter role): tasks, pages, inventory.</summary>
    Center,
}
