using System.Globalization;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Hyperion.Domain.Inventory;

namespace Hyperion.Center.Paging;

/// <summary>
/// A list's sort order for keyset pagination: one or more keys (the last one unique, so the order is total), each
/// ascending or descending. A page is "the rows after the cursor's key, in this order, limit N+1" — the database seeks
/// in the index serving the order instead of skipping rows, so page N costs what page 1 costs.
/// Key types: <see cref="string"/>, <see cref="long"/>, <see cref="int"/>, <see cref="InventoryId"/>, <see cref="DateTimeOffset"/>.
/// </summary>
public sealed class KeysetOrder<T>
{
    private readonly IReadOnlyList<Key> _keys;

    private KeysetOrder(IReadOnlyList<Key> keys) => _keys = keys;

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "The row type is the order's identity: KeysetOrder<VmRecord>.By(v => v.Name) reads best, and T cannot be inferred from the key lambda anyway.")]
    public static KeysetOrder<T> By<TKey>(Expression<Func<T, TKey>> key, bool descending = false) => new([Key.Create(key, descending)]);

    public KeysetOrder<T> ThenBy<TKey>(Expression<Func<T, TKey>> key, bool descending = false) => new([.. _keys, Key.Create(key, descending)]);

    public IOrderedQueryable<T> Sort(IQueryable<T> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var expression = query.Expression;
        for (var i = 0; i < _keys.Count; i++)
        {
            var key = _keys[i];
            var method = (i, key.Descending) switch
            {
                (0, false) => nameof(Queryable.OrderBy),
                (0, true) => nameof(Queryable.OrderByDescending),
                (_, false) => nameof(Queryable.ThenBy),
                (_, true) => nameof(Queryable.ThenByDescending),
            };
            expression = Expression.Call(typeof(Queryable), method, [typeof(T), key.Type], expression, Expression.Quote(key.Selector));
        }

        return (IOrderedQueryable<T>)query.Provider.CreateQuery<T>(expression);
    }

    /// <summary>The rows after <paramref name="cursor"/> in this order.</summary>
    /// <exception cref="Domain.Errors.DomainException"><c>request.invalid</c> for a cursor this order did not make.</exception>
    public IQueryable<T> After(IQueryable<T> query, string cursor)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parts = PageCursor.Decode(cursor, _keys.Count);
        var values = new Expression[_keys.Count];
        for (var i = 0; i < _keys.Count; i++)
        {
            values[i] = _keys[i].Parameter(parts[i]);
        }

        // Rows strictly after the cursor's key: k0 ≥ c0 AND (k0 > c0 OR (k0 = c0 AND (k1 > c1 OR …))). The leading
        // k0 ≥ c0 is implied by the rest but is what lets the database seek in the index on k0 instead of filtering
        // every row before the cursor (PostgreSQL and SQLite do not derive a range from the OR).
        var row = Expression.Parameter(typeof(T), "row");
        Expression after = _keys[^1].Beyond(_keys[^1].On(row), values[^1]);
        for (var i = _keys.Count - 2; i >= 0; i--)
        {
            after = Expression.OrElse(
                _keys[i].Beyond(_keys[i].On(row), values[i]),
                Expression.AndAlso(Expression.Equal(_keys[i].On(row), values[i]), after));
        }

        var predicate = _keys.Count == 1 ? after : Expression.AndAlso(_keys[0].AtOrBeyond(_keys[0].On(row), values[0]), after);
        return query.Where(Expression.Lambda<Func<T, bool>>(predicate, row));
    }

    /// <summary>The cursor naming <paramref name="item"/>'s position: the next page starts after it.</summary>
    public string CursorOf(T item) => PageCursor.Encode(_keys.Select(k => k.Format(item)).ToArray());

    private sealed class Key
    {
        private Func<T, object?> _read = null!;

        public required LambdaExpression Selector { get; init; }

        public required Type Type { get; init; }

        public required bool Descending { get; init; }

        public static Key Create<TKey>(Expression<Func<T, TKey>> selector, bool descending)
        {
            ArgumentNullException.ThrowIfNull(selector);
            if (typeof(TKey) != typeof(string) && typeof(TKey) != typeof(long) && typeof(TKey) != typeof(int)
                && typeof(TKey) != typeof(InventoryId) && typeof(TKey) != typeof(DateTimeOffset))
            {
                throw new ArgumentException($"keyset key type {typeof(TKey).Name} is not supported", nameof(selector));
            }

            var compiled = selector.Compile();
            return new Key { Selector = selector, Type = typeof(TKey), Descending = descending, _read = item => compiled(item) };
        }

        public Expression On(ParameterExpression row) => new ParameterSwap(Selector.Parameters[0], row).Visit(Selector.Body);

        /// <summary>The cursor part as a query parameter (a closure field, so the SQL is the same for every page).</summary>
        public MemberExpression Parameter(string text)
        {
            object value = Type == typeof(string) ? text
                : Type == typeof(long) ? ParseLong(text)
                : Type == typeof(int) ? (ParseLong(text) is var n and >= int.MinValue and <= int.MaxValue ? (int)n : throw PageCursor.Invalid())
                : Type == typeof(InventoryId) ? (InventoryId.TryParse(text, out var id) ? id : throw PageCursor.Invalid())
                : (ParseLong(text) is var ticks and >= 0 && ticks <= DateTimeOffset.MaxValue.UtcTicks ? new DateTimeOffset(ticks, TimeSpan.Zero) : throw PageCursor.Invalid());
            var box = Activator.CreateInstance(typeof(StrongBox<>).MakeGenericType(Type), value)!;
            return Expression.Field(Expression.Constant(box), nameof(StrongBox<int>.Value));
        }

        /// <summary>The key strictly beyond the value, in this key's direction.</summary>
        public BinaryExpression Beyond(Expression column, Expression value) =>
            Compare(Descending ? ExpressionType.LessThan : ExpressionType.GreaterThan, column, value);

        /// <summary>The key at or beyond the value, in this key's direction.</summary>
        public BinaryExpression AtOrBeyond(Expression column, Expression value) =>
            Compare(Descending ? ExpressionType.LessThanOrEqual : ExpressionType.GreaterThanOrEqual, column, value);

        /// <summary>Numbers and times have C# operators; strings and ids get a <see cref="SqlComparisons"/> stand-in that EF Core translates to the same SQL operator.</summary>
        private BinaryExpression Compare(ExpressionType comparison, Expression column, Expression value)
        {
            if (Type != typeof(string) && Type != typeof(InventoryId))
            {
                return Expression.MakeBinary(comparison, column, value);
            }

            var name = comparison switch
            {
                ExpressionType.GreaterThan => nameof(SqlComparisons.Greater),
                ExpressionType.LessThan => nameof(SqlComparisons.Less),
                ExpressionType.GreaterThanOrEqual => nameof(SqlComparisons.GreaterOrEqual),
                _ => nameof(SqlComparisons.LessOrEqual),
            };
            return Expression.MakeBinary(comparison, column, value, false, typeof(SqlComparisons).GetMethod(name, [Type, Type])!);
        }

        public string Format(T item) => _read(item) switch
        {
            string s => s,
            long l => l.ToString(CultureInfo.InvariantCulture),
            int n => n.ToString(CultureInfo.InvariantCulture),
            InventoryId id => id.Value,
            DateTimeOffset t => t.UtcTicks.ToString(CultureInfo.InvariantCulture),
            _ => throw new InvalidOperationException("a keyset key is null"),
        };

        private static long ParseLong(string text) =>
            long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : throw PageCursor.Invalid();
    }

    private sealed class ParameterSwap(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
