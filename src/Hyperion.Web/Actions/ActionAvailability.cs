namespace Hyperion.Web.Actions;

/// <summary>An action shown for an object: enabled, or disabled with the reason the tooltip gives.</summary>
public sealed record ActionAvailability(ObjectAction Action, bool Enabled, string? Reason)
{
    public string ElementId => ActionNames.ElementId(Action);

    public string Label => ActionNames.Label(Action);
}
