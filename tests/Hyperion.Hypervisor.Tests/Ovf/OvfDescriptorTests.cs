using Hyperion.Hypervisor.Ovf;

namespace Hyperion.Hypervisor.Tests.Ovf;

public sealed class OvfDescriptorTests
{
    /// <summary>Shaped like what vSphere's "Export OVF Template" writes (units as vSphere spells them, a disk in GB).</summary>
    private const string VmwareStyle = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Envelope vmw:buildId="build-1" xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData" xmlns:vmw="http://www.vmware.com/schema/ovf">
          <References>
            <File ovf:href="web-disk1.vmdk" ovf:id="file1" ovf:size="123456"/>
            <File ovf:href="web-disk2.vmdk" ovf:id="file2" ovf:size="654"/>
          </References>
          <DiskSection>
            <Info>Virtual disk information</Info>
            <Disk ovf:capacity="20" ovf:capacityAllocationUnits="byte * 2^30" ovf:diskId="vmdisk1" ovf:fileRef="file1" ovf:format="http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized"/>
            <Disk ovf:capacity="512" ovf:capacityAllocationUnits="MB" ovf:diskId="vmdisk2" ovf:fileRef="file2"/>
          </DiskSection>
          <NetworkSection><Info>net</Info><Network ovf:name="VM Network"/></NetworkSection>
          <VirtualSystem ovf:id="web">
            <Info>A virtual machine</Info>
            <Name>web-01</Name>
            <VirtualHardwareSection>
              <Info>Virtual hardware requirements</Info>
              <Item><rasd:AllocationUnits>hertz * 10^6</rasd:AllocationUnits><rasd:InstanceID>1</rasd:InstanceID><rasd:ResourceType>3</rasd:ResourceType><rasd:VirtualQuantity>4</rasd:VirtualQuantity></Item>
              <Item><rasd:AllocationUnits>byte * 2^30</rasd:AllocationUnits><rasd:InstanceID>2</rasd:InstanceID><rasd:ResourceType>4</rasd:ResourceType><rasd:VirtualQuantity>8</rasd:VirtualQuantity></Item>
              <Item><rasd:HostResource>ovf:/disk/vmdisk2</rasd:HostResource><rasd:InstanceID>4</rasd:InstanceID><rasd:ResourceType>17</rasd:ResourceType></Item>
              <Item><rasd:HostResource>ovf:/disk/vmdisk1</rasd:HostResource><rasd:InstanceID>5</rasd:InstanceID><rasd:ResourceType>17</rasd:ResourceType></Item>
              <Item><rasd:Connection>VM Network</rasd:Connection><rasd:InstanceID>6</rasd:InstanceID><rasd:ResourceType>10</rasd:ResourceType></Item>
            </VirtualHardwareSection>
          </VirtualSystem>
        </Envelope>
        """;

    [Fact]
    public void Parse_VmwareStyleDescriptor_HardwareDisksInHardwareOrderAndNetworks()
    {
        var ovf = OvfDescriptor.Parse(VmwareStyle);

        Assert.Equal(("web-01", 4, 8192L), (ovf.Name, ovf.Cpus, ovf.MemoryMiB));
        Assert.Equal([new OvfDisk("web-disk2.vmdk", 512L * 1024 * 1024), new OvfDisk("web-disk1.vmdk", 20L * 1024 * 1024 * 1024)], ovf.Disks);
        Assert.Equal(["VM Network"], ovf.Networks);
        Assert.Null(ovf.BootImage);
    }

    [Fact]
    public void ToXml_ThenParse_RoundTripsIncludingHyperionsBootSection()
    {
        var original = new OvfDescriptor
        {
            Name = "tiny-vm",
            Cpus = 2,
            MemoryMiB = 192,
            Disks = [new OvfDisk("tiny-vm-disk1.vmdk", 16L * 1024 * 1024), new OvfDisk("tiny-vm-disk2.vmdk", 8L * 1024 * 1024)],
            Networks = ["user", "br0"],
            BootImage = "tiny",
            KernelArgs = "hyperion.write=a&b <c>",
        };

        var xml = original.ToXml();
        var parsed = OvfDescriptor.Parse(xml);

        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", xml, StringComparison.Ordinal);
        Assert.Contains("ovf:required=\"false\"", xml, StringComparison.Ordinal);
        Assert.Equal(original.Name, parsed.Name);
        Assert.Equal((original.Cpus, original.MemoryMiB, original.BootImage, original.KernelArgs), (parsed.Cpus, parsed.MemoryMiB, parsed.BootImage, parsed.KernelArgs));
        Assert.Equal(original.Disks, parsed.Disks);
        Assert.Equal(original.Networks, parsed.Networks);
    }

    [Theory]
    [InlineData("<Envelope", "not well-formed")]
    [InlineData("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><Envelope xmlns=\"http://schemas.dmtf.org/ovf/envelope/1\">&e;</Envelope>", "not well-formed")]
    [InlineData("<Other/>", "no Envelope")]
    [InlineData("<Envelope xmlns=\"http://schemas.dmtf.org/ovf/envelope/1\"/>", "no VirtualSystem")]
    public void Parse_BadDescriptor_SaysWhy(string xml, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => OvfDescriptor.Parse(xml));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DiskWithoutFileOrHardwareWithoutMemory_Refused()
    {
        var noFile = VmwareStyle.Replace("ovf:fileRef=\"file2\"", "ovf:fileRef=\"file9\"", StringComparison.Ordinal);
        Assert.Contains("vmdisk2", Assert.Throws<InvalidDataException>(() => OvfDescriptor.Parse(noFile)).Message, StringComparison.Ordinal);
        var noMemory = VmwareStyle.Replace("<rasd:ResourceType>4</rasd:ResourceType>", "<rasd:ResourceType>5</rasd:ResourceType>", StringComparison.Ordinal);
        Assert.Contains("memory", Assert.Throws<InvalidDataException>(() => OvfDescriptor.Parse(noMemory)).Message, StringComparison.Ordinal);
        var oddUnits = VmwareStyle.Replace("byte * 2^30</rasd:AllocationUnits><rasd:InstanceID>2", "furlongs</rasd:AllocationUnits><rasd:InstanceID>2", StringComparison.Ordinal);
        Assert.Contains("furlongs", Assert.Throws<InvalidDataException>(() => OvfDescriptor.Parse(oddUnits)).Message, StringComparison.Ordinal);
    }
}
