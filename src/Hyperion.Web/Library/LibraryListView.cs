namespace Hyperion.Web.Library;

/// <summary>
/// How the Content Libraries list is filtered and sorted: free text (name, type, format, host, datastore, source),
/// one item type, one host, and a column to sort by (ascending or descending; names break ties).
/// </summary>
public sealed class LibraryListView
{
    public const string NameColumn = "name";
    public const string TypeColumn = "type";
    public const string FormatColumn = "format";
    public const string SizeColumn = "size";
    public const string HostColumn = "host";
    public const string DatastoreColumn = "datastore";
    public const string CreatedColumn = "created";

    public string? Text { get; set; }

    /// <summary>The API's item type (<c>disk</c>, <c>iso</c>, <c>ovf</c>); null for all.</summary>
    public string? Type { get; set; }

    public string? HostId { get; set; }

    public string SortColumn { get; private set; } = NameColumn;

    public bool Descending { get; private set; }

    /// <summary>Sorts by <paramref name="column"/>; the column sorted by already turns around.</summary>
    public void SortBy(string column)
    {
        Descending = column == SortColumn && !Descending;
        SortColumn = column;
    }

    /// <summary><c>ascending</c>, <c>descending</c> or <c>none</c> for a column header (aria-sort).</summary>
    public string SortState(string column) => column != SortColumn ? "none" : Descending ? "descending" : "ascending";

    public IReadOnlyList<LibraryItemRow> Apply(IEnumerable<LibraryItemRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var shown = rows.Where(r => r.Matches(Text) && (Type is null || r.Type == Type) && (HostId is null || r.HostId == HostId));
        var ordered = SortColumn switch
        {
            SizeColumn => Order(shown, r => r.SizeBytes),
            CreatedColumn => Order(shown, r => r.CreatedAt),
            TypeColumn => Order(shown, r => r.TypeLabel),
            FormatColumn => Order(shown, r => r.Format),
            HostColumn => Order(shown, r => r.HostAddress),
            DatastoreColumn => Order(shown, r => r.Datastore),
            _ => Order(shown, r => r.Name),
        };
        return ordered.ThenBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.HostId, StringComparer.Ordinal).ToList();
    }

    private IOrderedEnumerable<LibraryItemRow> Order<TKey>(IEnumerable<LibraryItemRow> rows, Func<LibraryItemRow, TKey> key) =>
        Descending ? rows.OrderByDescending(key, Comparer<TKey>.Default) : rows.OrderBy(key, Comparer<TKey>.Default);
}
