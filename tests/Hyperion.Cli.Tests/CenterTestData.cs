using System.Text.Json;
using Hyperion.Contracts;
using Hyperion.Contracts.Center;

namespace Hyperion.Cli.Tests;

/// <summary>Sample DTOs as a Center would send them.</summary>
public static class CenterTestData
{
    public const string Fingerprint = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

    public static TaskDto Task(
        string state = "queued",
        int progress = 0,
        object? result = null,
        ProblemErrorDto? error = null,
        string id = "task-9",
        string description = "VirtualMachine.powerOn",
        string? target = "web01") =>
        new(
            id,
            description,
            "vm-5",
            target,
            "administrator",
            state,
            progress,
            Cancellable: true,
            CancelRequested: false,
            DateTimeOffset.UnixEpoch,
            state == "queued" ? null : DateTimeOffset.UnixEpoch.AddSeconds(1),
            state is "success" or "error" or "cancelled" ? DateTimeOffset.UnixEpoch.AddSeconds(2) : null,
            result is null ? null : JsonSerializer.SerializeToElement(result, JsonDefaults.Options),
            error);

    public static CenterVmDto Vm(string name = "web01", string powerState = "poweredOff", string id = "vm-5") =>
        new(id, name, "host-3", "vm-1", "group-4", powerState, 2, 512);

    public static HostDto Host(string id = "host-3", string address = "https://10.0.0.5:8443") =>
        new(id, "10.0.0.5", address, Fingerprint, "connected", "prod", null, 2, DateTimeOffset.UnixEpoch);

    public static DatacenterDto Datacenter(string name = "DC1", string id = "datacenter-2") =>
        new(id, name, "group-1", "group-" + id[^1] + "1", "group-" + id[^1] + "2");

    public static ClusterDto Cluster(string name = "prod", string id = "domain-c7", string datacenterId = "datacenter-2") =>
        new(id, name, "group-21", datacenterId);

    public static CenterEventDto Event(long id, string type = "host.added", string objectName = "10.0.0.5") =>
        new(id, DateTimeOffset.UnixEpoch.AddSeconds(id), type, "host-3", objectName, "administrator", "task-9", $"event {id}");

    public static PageDto<T> Page<T>(IReadOnlyList<T> items, string? next = null, long? total = null) =>
        new(items, total ?? items.Count, next);
}
