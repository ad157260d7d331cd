using Hyperion.Contracts.Center;
using Hyperion.Domain.Errors;

namespace Hyperion.Web.Actions;

/// <summary>
/// The Migrate dialog's choices and their checks: a destination host (another connected host out of maintenance
/// mode), where the VM's files go (kept where they are when the destination mounts that datastore, or one of the
/// destination's datastores) and the priority. The Center checks again; what it refuses is mapped back to the fields.
/// </summary>
public sealed class MigrateModel
{
    public const string HostField = "host";
    public const string DatastoreField = "datastore";
    public const string PriorityField = "priority";

    /// <summary>The host choice that keeps the VM on its host and moves only its files (Storage vMotion).</summary>
    public const string CurrentHost = "(current)";

    public const string HighPriority = "high";
    public const string NormalPriority = "normal";

    /// <summary>The destination host's id.</summary>
    public string? HostId { get; set; }

    /// <summary>The Center datastore the files go to; null keeps them where they are.</summary>
    public string? Datastore { get; set; }

    public string Priority { get; set; } = HighPriority;

    /// <summary>The fields' problems (empty when the request may be sent).</summary>
    public IReadOnlyList<(string Field, string Message)> Validate(MigrateChoices choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        var errors = new List<(string, string)>();
        var host = HostId == CurrentHost ? null : choices.Host(HostId);
        if (HostId == CurrentHost)
        {
            // Storage vMotion: another datastore of the VM's own host.
            var own = choices.DatastoresOf(choices.CurrentHostId);
            if (Datastore is null)
            {
                errors.Add((DatastoreField, "choose the datastore to move the VM's files to"));
            }
            else if (own.All(d => d.Name != Datastore))
            {
                errors.Add((DatastoreField, $"{choices.CurrentHostName} ({choices.CurrentHostId}) does not mount {Datastore}"));
            }
            else if (Datastore == choices.CurrentDatastore?.Name)
            {
                errors.Add((DatastoreField, $"the VM's files are already on {Datastore}"));
            }
        }
        else if (host is null)
        {
            errors.Add((HostField, HostId is null ? "choose the host to move the VM to" : $"no host '{HostId}' to choose"));
        }
        else if (host.Unavailable is { } why)
        {
            errors.Add((HostField, $"{host.Name} ({host.Id}) is {(why == "maintenance" ? "in maintenance mode" : why)}: choose another host"));
        }

        // Storage is judged against a host that can take the VM (another host mounts other datastores).
        if (host is { Usable: true })
        {
            var mounted = choices.DatastoresOf(host.Id);
            if (Datastore is null)
            {
                if (choices.CurrentDatastore is { } current && mounted.All(d => d.Id != current.Id))
                {
                    errors.Add((DatastoreField, $"the VM's files are on {current.Name}, which {host.Name} ({host.Id}) does not mount: choose one of its datastores"));
                }
            }
            else if (mounted.All(d => d.Name != Datastore))
            {
                errors.Add((DatastoreField, $"{host.Name} ({host.Id}) does not mount {Datastore}"));
            }
        }

        if (Priority is not (HighPriority or NormalPriority))
        {
            errors.Add((PriorityField, "the priority is high or normal"));
        }

        return errors;
    }

    public VmMigrateRequest ToRequest() => new(HostId == CurrentHost ? null : HostId, Datastore, Priority);

    /// <summary>The dialog field an error the Center returned belongs to (by its field, else by its code), or null for a general one.</summary>
    public static string? FieldOf(DomainError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Field switch
        {
            "host" => HostField,
            "datastore" => DatastoreField,
            "priority" => PriorityField,
            _ => error.Code switch
            {
                ErrorCodes.HostNotFound or ErrorCodes.HostNotConnected or ErrorCodes.HostInMaintenance or ErrorCodes.HostNoCapacity
                    or ErrorCodes.MigrationSameHost or ErrorCodes.MigrationIncompatible => HostField,
                ErrorCodes.DatastoreNotFound or ErrorCodes.DatastoreNoSpace => DatastoreField,
                _ => null,
            },
        };
    }
}
