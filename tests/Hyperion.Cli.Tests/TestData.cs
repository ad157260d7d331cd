using Hyperion.Contracts.Datastores;
using Hyperion.Contracts.Events;
using Hyperion.Contracts.Hosts;
using Hyperion.Contracts.Vms;

namespace Hyperion.Cli.Tests;

/// <summary>Sample DTOs as a host would send them.</summary>
public static class TestData
{
    public static VmDto Vm(string name = "web01", string powerState = "poweredOff", string id = "vm-1") => new()
    {
        Id = id,
        Name = name,
        Uuid = "6f1c2e3a-0000-4000-8000-000000000001",
        PowerState = powerState,
        Cpus = 2,
        MemoryMiB = 512,
        Disks = [new VmDiskDto($"{name}/disk0.qcow2", 1L << 30, "qcow2")],
        Nics = [new VmNicDto("52:54:00:12:34:56", "user")],
        Boot = new VmBootDto("kernel", "tiny", null, null, "console=ttyS0", null),
        Datastore = "local",
        Folder = name,
        Pid = powerState == "poweredOn" ? 4242 : null,
    };

    public static DatastoreDto Datastore(string name = "local") => new(name, "/var/lib/hyperion/" + name, "directory", 100L << 30, 40L << 30);

    public static HostInfoDto Host() => new()
    {
        Name = "esx1",
        AgentVersion = "0.1.0",
        CpuModel = "Test CPU",
        CpuFlags = ["vmx"],
        Cores = 8,
        MemoryMiB = 16384,
        MemoryAvailableMiB = 8192,
        Acceleration = new AccelerationDto("kvm", "auto", "probe ok", 120),
        Driver = "qemu",
        QemuVersion = "9.0.0",
        CertificateFingerprint = "AB:CD",
        Datastores = [Datastore()],
        VmCount = 1,
        RunningVms = [],
        StartedAt = DateTimeOffset.UnixEpoch,
    };

    public static EventDto Event(long id, string type = EventTypes.VmPoweredOn) =>
        new(id, DateTimeOffset.UnixEpoch.AddSeconds(id), type, "vm-1", "web01", $"event {id}");
}
