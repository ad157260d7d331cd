using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Hyperion.Hypervisor.Ovf;

/// <summary>
/// The parts of an OVF 1.x/2.x descriptor (DMTF DSP0243) a VM needs: name, vCPUs, memory, disks (file, capacity),
/// networks, and Hyperion's own optional boot section (direct kernel boot of a built-in image, which foreign tools
/// ignore: it is marked <c>ovf:required="false"</c>). Written as VMware and VirtualBox write theirs, so they import it.
/// </summary>
public sealed record OvfDescriptor
{
    public const string OvfNamespace = "http://schemas.dmtf.org/ovf/envelope/1";
    public const string RasdNamespace = "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData";
    public const string VssdNamespace = "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData";
    public const string HyperionNamespace = "https://hyperion.dev/ovf/1";

    /// <summary>Largest descriptor read (real ones are a few KiB).</summary>
    public const int MaxDescriptorBytes = 4 * 1024 * 1024;

    private static readonly XNamespace Ovf = OvfNamespace;
    private static readonly XNamespace Rasd = RasdNamespace;
    private static readonly XNamespace Vssd = VssdNamespace;
    private static readonly XNamespace Hy = HyperionNamespace;

    public required string Name { get; init; }

    public int Cpus { get; init; } = 1;

    public long MemoryMiB { get; init; } = 512;

    /// <summary>In the order the virtual hardware lists them (the first is the boot disk).</summary>
    public IReadOnlyList<OvfDisk> Disks { get; init; } = [];

    public IReadOnlyList<string> Networks { get; init; } = [];

    /// <summary>Hyperion's boot section: the built-in image (e.g. <c>tiny</c>) booted directly, with these kernel arguments.</summary>
    public string? BootImage { get; init; }

    public string? KernelArgs { get; init; }

    /// <summary>Reads a descriptor; anything a VM cannot be made from is an <see cref="InvalidDataException"/> saying what.</summary>
    public static OvfDescriptor Parse(string xml)
    {
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document = XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            throw new InvalidDataException($"the OVF descriptor is not well-formed XML: {ex.Message}");
        }

        var envelope = document.Root;
        if (envelope is null || envelope.Name.LocalName != "Envelope")
        {
            throw new InvalidDataException("the OVF descriptor has no Envelope");
        }

        // OVF 1.x and 2.x share the element names; the namespace of the envelope decides which we read.
        XNamespace ovf = envelope.Name.Namespace;
        var files = envelope.Element(ovf + "References")?.Elements(ovf + "File")
            .ToDictionary(f => Attribute(f, ovf, "id") ?? string.Empty, f => Attribute(f, ovf, "href") ?? string.Empty, StringComparer.Ordinal)
            ?? [];
        var diskSection = envelope.Element(ovf + "DiskSection");
        var disks = new Dictionary<string, OvfDisk>(StringComparer.Ordinal);
        foreach (var disk in diskSection?.Elements(ovf + "Disk") ?? [])
        {
            var id = Attribute(disk, ovf, "diskId") ?? throw new InvalidDataException("a Disk has no ovf:diskId");
            var fileRef = Attribute(disk, ovf, "fileRef");
            if (fileRef is null || !files.TryGetValue(fileRef, out var href) || href.Length == 0)
            {
                throw new InvalidDataException($"disk '{id}' refers to no file of the References section (an empty disk is not supported)");
            }

            var capacity = ParseLong(Attribute(disk, ovf, "capacity"), $"capacity of disk '{id}'");
            var units = Attribute(disk, ovf, "capacityAllocationUnits");
            disks[id] = new OvfDisk(href, capacity * UnitMultiplier(units ?? "byte", $"capacity units of disk '{id}'"));
        }

        var system = envelope.Element(ovf + "VirtualSystem") ?? envelope.Descendants(ovf + "VirtualSystem").FirstOrDefault()
            ?? throw new InvalidDataException("the OVF descriptor describes no VirtualSystem");
        var name = system.Element(ovf + "Name")?.Value.Trim() is { Length: > 0 } n ? n : Attribute(system, ovf, "id") ?? "imported";
        var hardware = system.Element(ovf + "VirtualHardwareSection") ?? throw new InvalidDataException($"virtual system '{name}' has no VirtualHardwareSection");
        var items = hardware.Elements(ovf + "Item").ToList();
        int? cpus = null;
        long? memory = null;
        var ordered = new List<OvfDisk>();
        var networks = new List<string>();
        foreach (var item in items)
        {
            var type = item.Element(Rasd + "ResourceType")?.Value.Trim();
            switch (type)
            {
                case "3":
                    cpus = (int)ParseLong(item.Element(Rasd + "VirtualQuantity")?.Value, "the CPU count");
                    break;
                case "4":
                    var quantity = ParseLong(item.Element(Rasd + "VirtualQuantity")?.Value, "the memory size");
                    var units = item.Element(Rasd + "AllocationUnits")?.Value ?? "byte * 2^20";
                    memory = quantity * UnitMultiplier(units, "memory units") / (1024 * 1024);
                    break;
                case "17":
                    var resource = item.Element(Rasd + "HostResource")?.Value.Trim() ?? string.Empty;
                    var diskId = resource.Split('/').Last();
                    if (!disks.TryGetValue(diskId, out var found))
                    {
                        throw new InvalidDataException($"a disk drive refers to '{resource}', which the DiskSection does not describe");
                    }

                    ordered.Add(found);
                    break;
                case "10":
                    networks.Add(item.Element(Rasd + "Connection")?.Value.Trim() is { Length: > 0 } network ? network : "none");
                    break;
            }
        }

        if (cpus is not > 0)
        {
            throw new InvalidDataException($"virtual system '{name}' gives no CPU count (an Item of ResourceType 3)");
        }

        if (memory is not > 0)
        {
            throw new InvalidDataException($"virtual system '{name}' gives no memory size (an Item of ResourceType 4)");
        }

        // Disks the hardware does not attach are still the VM's (some tools list them only in the DiskSection).
        ordered.AddRange(disks.Values.Where(d => !ordered.Contains(d)));
        var boot = system.Element(Hy + "BootSection");
        return new OvfDescriptor
        {
            Name = name,
            Cpus = cpus.Value,
            MemoryMiB = memory.Value,
            Disks = ordered,
            Networks = networks,
            BootImage = boot?.Element(Hy + "Image")?.Value,
            KernelArgs = boot?.Element(Hy + "KernelArgs")?.Value,
        };
    }

    /// <summary>The descriptor as OVF 1.0 XML. Each disk's file is written as <see cref="OvfDisk.File"/>, stream-optimized VMDK.</summary>
    public string ToXml()
    {
        var instance = 1;
        XElement Item(string description, string name, int resourceType, params object[] content) => new(
            Ovf + "Item",
            new XElement(Rasd + "Description", description),
            new XElement(Rasd + "ElementName", name),
            new XElement(Rasd + "InstanceID", (instance++).ToString(CultureInfo.InvariantCulture)),
            new XElement(Rasd + "ResourceType", resourceType.ToString(CultureInfo.InvariantCulture)),
            content);

        var hardware = new XElement(
            Ovf + "VirtualHardwareSection",
            new XElement(Ovf + "Info", "Virtual hardware requirements"),
            new XElement(Ovf + "System", new XElement(Vssd + "ElementName", "Virtual Hardware Family"), new XElement(Vssd + "InstanceID", "0"), new XElement(Vssd + "VirtualSystemIdentifier", Name), new XElement(Vssd + "VirtualSystemType", "vmx-14")),
            Item("Number of Virtual CPUs", $"{Cpus} virtual CPU(s)", 3, new XElement(Rasd + "AllocationUnits", "hertz * 10^6"), new XElement(Rasd + "VirtualQuantity", Cpus)),
            Item("Memory Size", $"{MemoryMiB} MB of memory", 4, new XElement(Rasd + "AllocationUnits", "byte * 2^20"), new XElement(Rasd + "VirtualQuantity", MemoryMiB)));
        var controller = instance;
        hardware.Add(Item("SCSI Controller", "SCSI controller 0", 6, new XElement(Rasd + "Address", "0"), new XElement(Rasd + "ResourceSubType", "VirtualSCSI")));
        for (var i = 0; i < Disks.Count; i++)
        {
            hardware.Add(Item("Hard disk", $"Hard disk {i + 1}", 17, new XElement(Rasd + "AddressOnParent", i), new XElement(Rasd + "HostResource", $"ovf:/disk/vmdisk{i + 1}"), new XElement(Rasd + "Parent", controller)));
        }

        for (var i = 0; i < Networks.Count; i++)
        {
            hardware.Add(Item($"VirtIO ethernet adapter on \"{Networks[i]}\"", $"Network adapter {i + 1}", 10, new XElement(Rasd + "AutomaticAllocation", "true"), new XElement(Rasd + "Connection", Networks[i]), new XElement(Rasd + "ResourceSubType", "VmxNet3")));
        }

        var system = new XElement(Ovf + "VirtualSystem", new XAttribute(Ovf + "id", Name), new XElement(Ovf + "Info", "A virtual machine"), new XElement(Ovf + "Name", Name), hardware);
        if (BootImage is not null)
        {
            system.Add(new XElement(
                Hy + "BootSection",
                new XAttribute(Ovf + "required", "false"),
                new XElement(Ovf + "Info", "Hyperion: direct kernel boot of a built-in image"),
                new XElement(Hy + "Image", BootImage),
                KernelArgs is null ? null : new XElement(Hy + "KernelArgs", KernelArgs)));
        }

        var envelope = new XElement(
            Ovf + "Envelope",
            new XAttribute(XNamespace.Xmlns + "ovf", OvfNamespace),
            new XAttribute(XNamespace.Xmlns + "rasd", RasdNamespace),
            new XAttribute(XNamespace.Xmlns + "vssd", VssdNamespace),
            new XAttribute(XNamespace.Xmlns + "hyperion", HyperionNamespace),
            new XAttribute(Ovf + "version", "1.0"),
            new XElement(Ovf + "References", Disks.Select((d, i) => new XElement(Ovf + "File", new XAttribute(Ovf + "href", d.File), new XAttribute(Ovf + "id", $"file{i + 1}")))),
            new XElement(
                Ovf + "DiskSection",
                new XElement(Ovf + "Info", "Virtual disk information"),
                Disks.Select((d, i) => new XElement(
                    Ovf + "Disk",
                    new XAttribute(Ovf + "capacity", d.CapacityBytes),
                    new XAttribute(Ovf + "capacityAllocationUnits", "byte"),
                    new XAttribute(Ovf + "diskId", $"vmdisk{i + 1}"),
                    new XAttribute(Ovf + "fileRef", $"file{i + 1}"),
                    new XAttribute(Ovf + "format", "http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized")))),
            new XElement(Ovf + "NetworkSection", new XElement(Ovf + "Info", "The logical networks"), Networks.Distinct(StringComparer.Ordinal).Select(n => new XElement(Ovf + "Network", new XAttribute(Ovf + "name", n), new XElement(Ovf + "Description", $"The {n} network")))),
            system);
        return new XDocument(new XDeclaration("1.0", "UTF-8", null), envelope).Declaration + "\n" + envelope.ToString();
    }

    private static string? Attribute(XElement element, XNamespace ovf, string name) =>
        element.Attribute(ovf + name)?.Value ?? element.Attribute(name)?.Value;

    private static long ParseLong(string? text, string what) =>
        long.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new InvalidDataException($"{what} is not a number: '{text}'");

    /// <summary>DMTF programmatic units: <c>byte</c>, <c>byte * 2^20</c>, <c>KB</c>/<c>MB</c>/<c>GB</c> (as VMware writes them).</summary>
    private static long UnitMultiplier(string units, string what)
    {
        var text = units.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        switch (text)
        {
            case "byte" or "bytes":
                return 1;
            case "kb" or "kilobytes":
                return 1024;
            case "mb" or "megabytes":
                return 1024 * 1024;
            case "gb" or "gigabytes":
                return 1024L * 1024 * 1024;
        }

        if (text.StartsWith("byte*2^", StringComparison.Ordinal) && int.TryParse(text["byte*2^".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var power) && power is >= 0 and <= 50)
        {
            return 1L << power;
        }

        throw new InvalidDataException($"{what} '{units}' are not understood");
    }
}

/// <summary>A disk of an OVF package: its file in the package and its virtual size.</summary>
public sealed record OvfDisk(string File, long CapacityBytes);
