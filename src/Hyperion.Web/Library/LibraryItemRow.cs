using Hyperion.Contracts.Center;

namespace Hyperion.Web.Library;

/// <summary>
/// One row of the Content Libraries list: a library item as the Center lists it (with the host whose datastore keeps
/// it), with the labels, sizes and the free-text match the list shows and sorts by.
/// </summary>
public sealed record LibraryItemRow(CenterLibraryItemDto Source)
{
    public string Name => Source.Item.Name;

    /// <summary>The item type as the API names it: <c>disk</c>, <c>iso</c> or <c>ovf</c>.</summary>
    public string Type => Source.Item.Type;

    public string TypeLabel => LabelOf(Type);

    /// <summary>The formats of its files, as qemu-img names them (<c>qcow2</c>, <c>iso</c>), each once.</summary>
    public string Format => string.Join(", ", Source.Item.Files.Select(f => f.Format).Distinct(StringComparer.Ordinal));

    /// <summary>Bytes its files take on the datastore.</summary>
    public long SizeBytes => Source.Item.Files.Sum(f => f.SizeBytes);

    public string HostId => Source.HostId;

    public string HostAddress => Source.HostAddress;

    /// <summary>The datastore as the host names it (<c>local</c>, <c>shared</c>).</summary>
    public string Datastore => Source.Item.Datastore;

    public DateTimeOffset CreatedAt => Source.Item.CreatedAt;

    /// <summary>Unique in the list: an item on a datastore two hosts mount is listed once per host.</summary>
    public string Key => $"{HostId}/{Name}";

    /// <summary>Hardware an OVF template brings (<c>2 vCPU, 512 MiB</c>), or null.</summary>
    public string? Hardware => (Source.Item.Cpus, Source.Item.MemoryMiB) switch
    {
        (null, null) => null,
        ({ } cpus, null) => $"{cpus} vCPU",
        (null, { } memory) => $"{memory} MiB",
        ({ } cpus, { } memory) => $"{cpus} vCPU, {memory} MiB",
    };

    /// <summary>The vSphere Client's names of the item types; an unknown type shows as the API names it.</summary>
    public static string LabelOf(string type) => type switch
    {
        "disk" => "Image",
        "iso" => "ISO image",
        "ovf" => "OVF template",
        _ => type,
    };

    /// <summary>True when <paramref name="text"/> (trimmed, case-insensitive) is part of its name, type, format, host, datastore or source.</summary>
    public bool Matches(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var term = text.Trim();
        return new[] { Name, TypeLabel, Format, HostAddress, HostId, Datastore, Source.Item.Source ?? string.Empty }
            .Any(field => field.Contains(term, StringComparison.OrdinalIgnoreCase));
    }
}
