using Hyperion.Domain.Errors;
using Hyperion.Host.Datastores;
using Hyperion.Testing;

namespace Hyperion.Host.Tests.Datastores;

public sealed class DatastoreCatalogTests : IDisposable
{
    private readonly TestDirectory _dir = new("hyds");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Constructor_DataDirectory_CreatesLocalUnderIt()
    {
        var catalog = new DatastoreCatalog(new HostAgentOptions { DataDirectory = _dir.Path });

        var local = catalog.Get("local");
        Assert.Equal(new Datastore("local", _dir.Combine("datastores", "local"), "local"), local);
        Assert.True(Directory.Exists(local.Path));
        Assert.Equal(local, catalog.Get(null));
        Assert.Single(catalog.All);
    }

    [Fact]
    public void Get_UnknownName_DatastoreNotFoundListingKnown()
    {
        var catalog = new DatastoreCatalog(new HostAgentOptions
        {
            DataDirectory = _dir.Path,
            Datastores = new Dictionary<string, string> { ["shared"] = _dir.Combine("shared") },
        });

        var ex = Assert.Throws<DomainException>(() => catalog.Get("nfs1"));

        Assert.Equal(ErrorCodes.DatastoreNotFound, ex.Code);
        Assert.Contains("'nfs1'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("local, shared", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_NameInDifferentCase_NotFound()
    {
        var catalog = new DatastoreCatalog(new HostAgentOptions { DataDirectory = _dir.Path });

        Assert.Equal(ErrorCodes.DatastoreNotFound, Assert.Throws<DomainException>(() => catalog.Get("LOCAL")).Code);
    }

    [Fact]
    public void Constructor_ExtraDatastores_CreatedAsDirectoryTypeWithFullPaths()
    {
        var catalog = new DatastoreCatalog(new HostAgentOptions
        {
            DataDirectory = _dir.Path,
            Datastores = new Dictionary<string, string>
            {
                ["shared"] = _dir.Combine("mnt", "shared"),
                ["scratch"] = _dir.Combine("x", "..", "scratch"),
            },
        });

        Assert.Equal(3, catalog.All.Count);
        Assert.Equal(new Datastore("shared", _dir.Combine("mnt", "shared"), "directory"), catalog.Get("shared"));
        Assert.Equal(new Datastore("scratch", _dir.Combine("scratch"), "directory"), catalog.Get("scratch"));
        Assert.True(Directory.Exists(_dir.Combine("mnt", "shared")));
    }

    [Fact]
    public void Describe_Local_ReportsNameAndSpace()
    {
        var catalog = new DatastoreCatalog(new HostAgentOptions { DataDirectory = _dir.Path });

        var dto = DatastoreCatalog.Describe(catalog.Get("local"));

        Assert.Equal("local", dto.Name);
        Assert.Equal(_dir.Combine("datastores", "local"), dto.Path);
        Assert.True(dto.CapacityBytes > 0);
        Assert.InRange(dto.FreeBytes, 0, dto.CapacityBytes);
    }
}
