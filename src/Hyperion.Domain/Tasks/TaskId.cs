using System.Globalization;

namespace Hyperion.Domain.Tasks;

/// <summary>A Center task id such as <c>task-77</c>, numbered from the Center-wide id sequence (never reused).</summary>
public readonly record struct TaskId(string Value)
{
    private const string Prefix = "task-";

    public const int MaxLength = 40;

    public long Number => TryParse(Value, out _) ? long.Parse(Value.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture) : throw new InvalidOperationException($"'{Value}' is not a task id");

    public static TaskId FromNumber(long number)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(number);
        return new TaskId(Prefix + number.ToString(CultureInfo.InvariantCulture));
    }

    public static bool TryParse(string? text, out TaskId id)
    {
        id = default;
        if (text is null || text.Length > MaxLength || !text.StartsWith(Prefix, StringComparison.Ordinal)
            || !long.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || number <= 0 || text.Length - Prefix.Length != number.ToString(CultureInfo.InvariantCulture).Length)
        {
            return false;
        }

        id = new TaskId(text);
        return true;
    }

    public override string ToString() => Value;
}
