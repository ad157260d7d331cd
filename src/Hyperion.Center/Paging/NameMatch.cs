using System.Linq.Expressions;

namespace Hyperion.Center.Paging;

/// <summary>
/// The <c>?name=</c> filter of the lists: a substring, ASCII case-insensitive (<c>lower(Name)</c> contains the lowered
/// text, which SQLite and PostgreSQL run alike; SQLite's <c>lower</c> folds ASCII only).
/// </summary>
public static class NameMatch
{
    public static IQueryable<T> Containing<T>(IQueryable<T> query, Expression<Func<T, string>> name, string? text)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(name);
        if (text is null)
        {
            return query;
        }

        var part = text.ToLowerInvariant();

        // EF Core translates ToLower().Contains(x) but not the StringComparison overloads CA1862 suggests.
#pragma warning disable CA1862
        Expression<Func<string, bool>> test = n => n.ToLower().Contains(part);
#pragma warning restore CA1862
        var row = name.Parameters[0];
        var body = new Swap(test.Parameters[0], name.Body).Visit(test.Body);
        return query.Where(Expression.Lambda<Func<T, bool>>(body, row));
    }

    private sealed class Swap(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
