using System.Globalization;
using Hyperion.Contracts.Center;
using MudBlazor;

namespace Hyperion.Web.Live;

/// <summary>How Center events read in the web client, and the time ranges of the events list.</summary>
public static class EventText
{
    /// <summary>Filters for the type field's suggestions: every event type, and the prefix of each family.</summary>
    public static IReadOnlyList<string> KnownTypes { get; } = typeof(CenterEventTypes)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>The families of <see cref="KnownTypes"/> as prefix filters (<c>vm.</c>, <c>host.</c>, …).</summary>
    public static IReadOnlyList<string> Families { get; } = KnownTypes.Select(t => t[..(t.IndexOf('.') + 1)]).Where(p => p.Length > 1).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>How serious an event is, from its type: failures are errors, lost hosts warnings, the rest information.</summary>
    public static Severity SeverityOf(string type) => type switch
    {
        CenterEventTypes.TaskFailed => Severity.Error,
        CenterEventTypes.HostNotResponding or CenterEventTypes.HostDisconnected or CenterEventTypes.VmRemoved => Severity.Warning,
        _ => Severity.Info,
    };

    public static string Icon(string type) => SeverityOf(type) switch
    {
        Severity.Error => Icons.Material.Filled.Error,
        Severity.Warning => Icons.Material.Filled.Warning,
        _ => Icons.Material.Filled.Info,
    };

    public static Color IconColor(string type) => SeverityOf(type) switch
    {
        Severity.Error => Color.Error,
        Severity.Warning => Color.Warning,
        _ => Color.Info,
    };

    /// <summary>A quick time range of the events list ("" = any time, "custom" = the from/to fields).</summary>
    public static IReadOnlyList<(string Key, string Label, TimeSpan? Span)> Ranges { get; } =
    [
        ("", "Any time", null),
        ("1h", "Last hour", TimeSpan.FromHours(1)),
        ("24h", "Last 24 hours", TimeSpan.FromDays(1)),
        ("7d", "Last 7 days", TimeSpan.FromDays(7)),
        ("custom", "Custom (UTC)", null),
    ];

    /// <summary>The ISO 8601 text the Center's <c>from</c>/<c>to</c> filters take.</summary>
    public static string Iso(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// A browser <c>datetime-local</c> value (<c>2026-11-23T10:00</c>), read as UTC, as ISO 8601; blank is null.
    /// Other text is passed through so the Center's own validation message explains what is wrong with it.
    /// </summary>
    public static string? FromLocalInput(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return DateTime.TryParseExact(text.Trim(), ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? Iso(new DateTimeOffset(time, TimeSpan.Zero))
            : text.Trim();
    }
}
