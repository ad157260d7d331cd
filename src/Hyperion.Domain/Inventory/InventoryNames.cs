using Hyperion.Domain.Errors;

namespace Hyperion.Domain.Inventory;

/// <summary>
/// Names of inventory objects (datacenters, folders, clusters, VMs, datastores, networks, tags, roles, users):
/// 1–80 characters as in vSphere, no control characters, no '/' (it separates inventory path segments), no
/// leading or trailing blanks.
/// </summary>
public static class InventoryNames
{
    public const int MaxLength = 80;

    public static DomainError? Validate(string? name, string field = "name")
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return new DomainError(ErrorCodes.InvalidArgument, $"{field} is required", field);
        }

        if (name.Length > MaxLength)
        {
            return new DomainError(ErrorCodes.InvalidArgument, $"{field} is longer than {MaxLength} characters", field);
        }

        if (name.Trim().Length != name.Length)
        {
            return new DomainError(ErrorCodes.InvalidArgument, $"{field} starts or ends with a blank", field);
        }

        foreach (var c in name)
        {
            if (c == '/' || char.IsControl(c))
            {
                return new DomainError(ErrorCodes.InvalidArgument, $"{field} contains '/' or a control character", field);
            }
        }

        return null;
    }
}
