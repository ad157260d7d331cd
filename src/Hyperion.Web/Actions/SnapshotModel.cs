using System.Globalization;
using Hyperion.Contracts.Vms;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Vms;

namespace Hyperion.Web.Actions;

/// <summary>
/// The Take Snapshot form: a name (unique among the VM's snapshots, 1–80 printable characters, as the host agent
/// checks), a description, and whether the guest's memory is included (only while its QEMU runs: powered on or
/// suspended). Errors the host returns through the Center's task are mapped back to the fields.
/// </summary>
public sealed class SnapshotModel
{
    public const string NameField = "name";
    public const string MemoryField = "memory";

    /// <summary>The longest snapshot name the host agent keeps.</summary>
    public const int MaxNameLength = 80;

    public string Name { get; set; } = string.Empty;

    public string Description { get; set; } = string.Empty;

    public bool Memory { get; set; }

    /// <summary>vSphere's default name: <c>VM Snapshot 2025-05-14 10:00:00</c> (the Center's local time).</summary>
    public static string DefaultName(DateTimeOffset now) => string.Create(CultureInfo.InvariantCulture, $"VM Snapshot {now:yyyy-MM-dd HH:mm:ss}");

    /// <summary>Memory can be included while the VM's QEMU runs (powered on, or suspended: paused with its memory).</summary>
    public static bool MemoryAvailable(VmPowerState state) => state is VmPowerState.PoweredOn or VmPowerState.Suspended;

    /// <summary>The fields' problems (empty when the request may be sent).</summary>
    public IReadOnlyList<(string Field, string Message)> Validate(string vmName, VmPowerState state, IEnumerable<string> takenNames)
    {
        ArgumentNullException.ThrowIfNull(takenNames);
        var errors = new List<(string, string)>();
        var name = Name.Trim();
        if (name.Length == 0)
        {
            errors.Add((NameField, "enter a name for the snapshot"));
        }
        else if (name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            errors.Add((NameField, $"name must be 1–{MaxNameLength} printable characters"));
        }
        else if (takenNames.Contains(name, StringComparer.Ordinal))
        {
            errors.Add((NameField, $"VM '{vmName}' already has a snapshot '{name}'"));
        }

        if (Memory && !MemoryAvailable(state))
        {
            errors.Add((MemoryField, $"{vmName} is {ActionRules.Describe(state)}: there is no memory to include"));
        }

        return errors;
    }

    public SnapshotCreateRequest ToRequest() => new(Name.Trim())
    {
        Description = string.IsNullOrWhiteSpace(Description) ? null : Description.Trim(),
        Memory = Memory,
    };

    /// <summary>
    /// The field a refusal concerns: by its field when the Center says it, else by what the host said in the task's
    /// error (the task keeps only its code and message). Null for a general one.
    /// </summary>
    public static string? FieldOf(string code, string? field, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return field switch
        {
            NameField => NameField,
            MemoryField => MemoryField,
            _ => code switch
            {
                ErrorCodes.InvalidArgument when message.Contains("snapshot", StringComparison.Ordinal) || message.StartsWith("name ", StringComparison.Ordinal) => NameField,
                ErrorCodes.VmInvalidState when message.Contains("no memory", StringComparison.Ordinal) => MemoryField,
                _ => null,
            },
        };
    }
}
