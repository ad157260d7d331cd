using System.Net;
using System.Text.RegularExpressions;
using Hyperion.Cli.Api;
using Hyperion.Contracts;
using Hyperion.Contracts.Center;

namespace Hyperion.Cli.Commands;

/// <summary>
/// Turns what a person types (a name, an address, an inventory path) into the Center id an endpoint takes. An id
/// (<c>vm-42</c>, <c>host-7</c>, <c>domain-c3</c>, …) is passed through unchanged.
/// </summary>
internal static partial class CenterLookup
{
    /// <summary>A Center VM id (<c>vm-42</c>), or the id of the one VM with that name.</summary>
    public static async Task<string> VmIdAsync(HyperionApiClient client, string nameOrId, CancellationToken ct)
    {
        if (VmIdPattern().IsMatch(nameOrId))
        {
            return nameOrId;
        }

        var matches = await client.ListCenterVmsAsync(nameOrId, ct);
        return matches.Count switch
        {
            1 => matches[0].Id,
            0 => throw NotFound("vm.not-found", $"no VM named '{nameOrId}' on the Center"),
            _ => throw NotFound(
                "cli.ambiguous-name",
                $"{matches.Count} VMs are named '{nameOrId}' ({string.Join(", ", matches.Select(v => v.Id))}); give the id instead",
                HttpStatusCode.Conflict),
        };
    }

    /// <summary>A host id (<c>host-7</c>), or the id of the host with that name or address.</summary>
    public static async Task<string> HostIdAsync(HyperionApiClient client, string nameOrId, CancellationToken ct)
    {
        if (HostIdPattern().IsMatch(nameOrId))
        {
            return nameOrId;
        }

        var hosts = await client.ListCenterHostsAsync(ct);
        var match = hosts.FirstOrDefault(h => h.Name == nameOrId || h.Address == nameOrId || Authority(h.Address) == nameOrId);
        return match?.Id ?? throw NotFound("host.not-found", $"no host '{nameOrId}' on the Center (see 'hyperion host list')");
    }

    /// <summary>An inventory object from its path (<c>/DC1/host/Cluster1</c>, resolved by the Center) or its id.</summary>
    public static async Task<InventoryObjectDto> ObjectAsync(HyperionApiClient client, string pathOrId, CancellationToken ct)
    {
        if (pathOrId.StartsWith('/'))
        {
            return await client.ResolveInventoryPathAsync(pathOrId, ct);
        }

        if (InventoryIdPattern().IsMatch(pathOrId))
        {
            return new InventoryObjectDto(pathOrId, pathOrId, string.Empty, pathOrId);
        }

        throw new CliUsageException($"'{pathOrId}' is neither an inventory path (such as /DC1/vm) nor an id (such as vm-42).");
    }

    /// <summary>
    /// The datacenter to put something in: the one given, else the datacenter of <paramref name="cluster"/> when it is
    /// known, else the only datacenter there is.
    /// </summary>
    public static async Task<string> DatacenterAsync(HyperionApiClient client, string? given, string? cluster, CancellationToken ct)
    {
        if (given is not null)
        {
            return given;
        }

        if (cluster is not null)
        {
            var clusters = (await client.ListClustersAsync(ct)).Where(c => c.Id == cluster || c.Name == cluster).ToList();
            if (clusters.Select(c => c.DatacenterId).Distinct(StringComparer.Ordinal).Count() == 1)
            {
                return clusters[0].DatacenterId;
            }
        }

        var datacenters = await client.ListDatacentersAsync(ct);
        return datacenters.Count switch
        {
            1 => datacenters[0].Id,
            0 => throw new CliUsageException("the Center has no datacenter yet: create one with 'hyperion datacenter create NAME'."),
            _ => throw new CliUsageException($"the Center has {datacenters.Count} datacenters ({string.Join(", ", datacenters.Select(d => d.Name))}): give --datacenter."),
        };
    }

    private static string? Authority(string address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) ? uri.Authority : null;

    private static HyperionApiException NotFound(string code, string message, HttpStatusCode status = HttpStatusCode.NotFound) =>
        new(status, new ProblemDto { Status = (int)status, Detail = message, Code = code });

    [GeneratedRegex("^vm-[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex VmIdPattern();

    [GeneratedRegex("^host-[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex HostIdPattern();

    [GeneratedRegex("^(datacenter-|group-|domain-c|host-|vm-|datastore-|network-)[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex InventoryIdPattern();
}
