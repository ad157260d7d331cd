namespace Hyperion.Domain.Vms;

/// <summary>A host-local VM id such as <c>vm-7</c>; stable for the VM's life on the host.</summary>
public readonly record struct VmId(string Value)
{
    public static VmId FromNumber(long number) => new($"vm-{number}");

    public static bool TryParse(string? text, out VmId id)
    {
        id = default;
        if (text is null || !text.StartsWith("vm-", StringComparison.Ordinal) || text.Length > 24)
        {
            return false;
        }

        if (!long.TryParse(text.AsSpan(3), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            return false;
        }

        id = new VmId(text);
        return true;
    }

    public override string ToString() => Value;
}
