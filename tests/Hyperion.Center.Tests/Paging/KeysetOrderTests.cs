using Hyperion.Center.Paging;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;

namespace Hyperion.Center.Tests.Paging;

/// <summary>The keyset predicate and cursors, run in memory (the comparison stand-ins compare ordinally there).</summary>
public sealed class KeysetOrderTests
{
    private static readonly KeysetOrder<Row> ByNameThenId = KeysetOrder<Row>.By(r => r.Name).ThenBy(r => r.Id);

    private static readonly Row[] Rows =
    [
        new("b", new InventoryId("vm-2"), 5, T(3)),
        new("a", new InventoryId("vm-9"), 3, T(1)),
        new("b", new InventoryId("vm-10"), 1, T(2)),
        new("c", new InventoryId("vm-1"), 4, T(5)),
        new("a", new InventoryId("vm-3"), 2, T(4)),
    ];

    [Fact]
    public void After_EachRowsCursor_RestOfTheOrder()
    {
        // LINQ to Objects cannot sort InventoryId (the database sorts its text), so the expected order is spelled out.
        var sorted = Rows.OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Id.Value, StringComparer.Ordinal).ToList();

        for (var i = 0; i < sorted.Count; i++)
        {
            var cursor = ByNameThenId.CursorOf(sorted[i]);
            var after = ByNameThenId.After(Rows.AsQueryable(), cursor).ToList();
            Assert.Equal(sorted.Skip(i + 1), after.OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Id.Value, StringComparer.Ordinal));
        }

        Assert.Equal(["a/vm-3", "a/vm-9", "b/vm-10", "b/vm-2", "c/vm-1"], sorted.Select(r => $"{r.Name}/{r.Id}"));
    }

    [Fact]
    public void After_DescendingNumbersAndTimes_RestOfTheOrder()
    {
        var byNumber = KeysetOrder<Row>.By(r => r.Number, descending: true);
        var byTime = KeysetOrder<Row>.By(r => r.Time).ThenBy(r => r.Number);

        var afterFour = byNumber.Sort(byNumber.After(Rows.AsQueryable(), byNumber.CursorOf(Rows[3]))).Select(r => r.Number);
        var afterSecond = byTime.Sort(byTime.After(Rows.AsQueryable(), byTime.CursorOf(Rows[2]))).Select(r => r.Number);

        Assert.Equal([3, 2, 1], afterFour);
        Assert.Equal([5, 2, 4], afterSecond);
    }

    [Theory]
    [InlineData("%%%")]
    [InlineData("bm90IGpzb24")]
    [InlineData("WyJhIl0")]
    [InlineData("WyJhIiwidm0tIl0")]
    [InlineData("WyJhIixudWxsXQ")]
    public void After_ForeignCursor_InvalidArgument(string cursor)
    {
        var ex = Assert.Throws<DomainException>(() => ByNameThenId.After(Rows.AsQueryable(), cursor));

        Assert.Equal(ErrorCodes.InvalidArgument, ex.Code);
        Assert.Equal("cursor", ex.Errors[0].Field);
    }

    private static DateTimeOffset T(int minutes) => new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero).AddMinutes(minutes);

    public sealed record Row(string Name, InventoryId Id, long Number, DateTimeOffset Time);
}
