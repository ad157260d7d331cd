using Hyperion.Domain.Datastores;

namespace Hyperion.Domain.Tests.Datastores;

public sealed class DatastorePathsTests
{
    [Theory]
    [InlineData("/a/ds", "vm1/disk0.qcow2", "/a/ds/vm1/disk0.qcow2")]
    [InlineData("/a/ds/", "vm1/disk0.qcow2", "/a/ds/vm1/disk0.qcow2")]
    [InlineData("/a/ds", "disk.img", "/a/ds/disk.img")]
    [InlineData("/a/ds", "./vm1/./disk0.qcow2", "/a/ds/vm1/disk0.qcow2")]
    [InlineData("/a/ds", "vm1/../vm2/disk0.qcow2", "/a/ds/vm2/disk0.qcow2")]
    [InlineData("/a/ds", "vm1//disk0.qcow2", "/a/ds/vm1/disk0.qcow2")]
    [InlineData("/a/ds", "..disk", "/a/ds/..disk")]
    [InlineData("/a/ds", "~/disk", "/a/ds/~/disk")]
    [InlineData("/a/../a/ds", "vm1/disk", "/a/ds/vm1/disk")]
    public void TryResolveInside_PathInside_ReturnsFullPath(string root, string relative, string expected)
    {
        Assert.True(DatastorePaths.TryResolveInside(root, relative, out var full));
        Assert.Equal(expected, full);
    }

    [Theory]
    [InlineData("/a/ds", "..")]
    [InlineData("/a/ds", "../x")]
    [InlineData("/a/ds", "../../etc/passwd")]
    [InlineData("/a/ds", "vm1/../../x")]
    [InlineData("/a/ds", "vm1/../..")]
    [InlineData("/a/ds", "../ds2/x")]
    [InlineData("/a/ds", "../ds/../ds2/x")]
    [InlineData("/a/ds", "/etc/passwd")]
    [InlineData("/a/ds", "/a/ds/vm1/disk")]
    [InlineData("/a/ds", ".")]
    [InlineData("/a/ds", "vm1/..")]
    [InlineData("/a/ds", "")]
    [InlineData("/a/ds", "   ")]
    [InlineData("/a/ds", "vm1/\0disk")]
    [InlineData("/a/ds", "\0")]
    public void TryResolveInside_EscapingOrInvalid_ReturnsFalseAndEmpty(string root, string relative)
    {
        Assert.False(DatastorePaths.TryResolveInside(root, relative, out var full));
        Assert.Equal(string.Empty, full);
    }

    [Fact]
    public void TryResolveInside_SiblingWithRootAsPrefix_IsNotInside()
    {
        // "/a/ds2/x" starts with the string "/a/ds" but is not under the directory /a/ds.
        Assert.False(DatastorePaths.TryResolveInside("/a/ds", "../ds2/x", out _));
        Assert.False(DatastorePaths.TryResolveInside("/a/ds/", "../ds2/x", out _));
        Assert.False(DatastorePaths.TryResolveInside("/a/ds", "../ds-evil", out _));
    }

    [Fact]
    public void TryResolveInside_RelativeRoot_ResolvesAgainstCurrentDirectory()
    {
        Assert.True(DatastorePaths.TryResolveInside("ds", "vm1/disk", out var full));
        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "ds", "vm1", "disk"), full);
    }

    [Fact]
    public void TryResolveInside_FilesystemRoot_AcceptsChildren()
    {
        Assert.True(DatastorePaths.TryResolveInside("/", "srv/disk", out var full));
        Assert.Equal("/srv/disk", full);
    }
}
