using System.Globalization;
using Hyperion.Lab.State;

namespace Hyperion.Lab.Faults;

/// <summary>Resolves a command line's HOST (<c>host-N</c> or <c>N</c>) to one of the lab's hosts.</summary>
public static class LabHostSelector
{
    /// <exception cref="LabException">Not a host name, or no such host in the lab.</exception>
    public static LabHostState Find(LabState state, string? host)
    {
        ArgumentNullException.ThrowIfNull(state);
        var text = host?.Trim() ?? string.Empty;
        var number = text.StartsWith("host-", StringComparison.Ordinal) ? text["host-".Length..] : text;
        var known = string.Join(", ", state.Hosts.OrderBy(h => h.Index).Select(h => h.Name));
        if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            throw new LabException($"'{text}' is not a host: give host-N or N (lab '{state.Name}' has {known})");
        }

        return state.FindHost(index) ?? throw new LabException($"lab '{state.Name}' has no host-{index} (it has {known})");
    }
}
