using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Hyperion.Center.Persistence.Conversions;

/// <summary>
/// SQLite only: stores a <see cref="DateTimeOffset"/> as UTC ticks (an INTEGER). EF Core's default for SQLite is
/// text, which it cannot compare or sort in SQL; every Center time is UTC, so nothing is lost.
/// </summary>
public sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(t => t.UtcTicks, ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
