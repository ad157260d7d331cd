using System.Text;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Vms;
using Microsoft.AspNetCore.Http;

namespace Hyperion.Web.Library;

/// <summary>
/// The Import Library Item form: the chosen local file, the item's name (by default the file's, made a valid name),
/// its type (by default from the file's extension, as the host decides it), the host (needed when more than one is
/// connected) and its datastore (default: the host's default datastore). Checked as the host checks it before the
/// upload starts; the content itself only the host can judge.
/// </summary>
public sealed class LibraryImportModel
{
    public const string FileField = "file";
    public const string NameField = "name";
    public const string TypeField = "type";
    public const string HostField = "host";
    public const string DatastoreField = "datastore";

    /// <summary>The types the host imports: a disk image (qcow2, raw, vmdk, vdi, vhdx, vpc), an ISO, an OVA package.</summary>
    public static IReadOnlyList<string> Types { get; } = ["disk", "iso", "ova"];

    /// <summary>What the file picker proposes (any file may still be chosen: the host checks the content).</summary>
    public const string Accept = ".qcow2,.qcow,.img,.raw,.vmdk,.vdi,.vhdx,.vhd,.vpc,.iso,.ova";

    public string? FileName { get; private set; }

    public long FileSize { get; private set; }

    public string Name { get; set; } = string.Empty;

    /// <summary>null: from the file's extension.</summary>
    public string? Type { get; set; }

    public string? HostId { get; set; }

    /// <summary>The host's name of the datastore; null for the host's default.</summary>
    public string? Datastore { get; set; }

    /// <summary>Takes a newly chosen file; the name follows the file unless the user typed one.</summary>
    public void ChooseFile(string fileName, long size)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        if (Name.Length == 0 || Name == DefaultName(FileName))
        {
            Name = DefaultName(fileName);
        }

        FileName = fileName;
        FileSize = size;
    }

    /// <summary>The type the host will import the file as.</summary>
    public string EffectiveType => Type ?? TypeOf(FileName);

    /// <summary>As the host decides it without a type: <c>.iso</c> an ISO, <c>.ova</c> an OVA package, anything else a disk image.</summary>
    public static string TypeOf(string? fileName) => Path.GetExtension(fileName ?? string.Empty).ToLowerInvariant() switch
    {
        ".iso" => "iso",
        ".ova" => "ova",
        _ => "disk",
    };

    /// <summary>The file's name without its extension, with every character a name may not have replaced by <c>-</c>.</summary>
    public static string DefaultName(string? fileName)
    {
        var stem = Path.GetFileNameWithoutExtension(fileName ?? string.Empty);
        var name = new StringBuilder(stem.Length);
        foreach (var c in stem)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-');
        }

        var text = name.ToString().TrimStart('-', '_', '.');
        return text.Length > VmSpecRules.MaxNameLength ? text[..VmSpecRules.MaxNameLength] : text;
    }

    /// <summary>The fields' problems (empty when the upload may start). <paramref name="itemsOnHosts"/>: the listed items, to catch a taken name.</summary>
    public IReadOnlyList<(string Field, string Message)> Validate(IReadOnlyList<LibraryHost> hosts, IEnumerable<LibraryItemRow> itemsOnHosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(itemsOnHosts);
        var errors = new List<(string, string)>();
        if (FileName is null)
        {
            errors.Add((FileField, "choose the file to import"));
        }
        else if (FileSize == 0)
        {
            errors.Add((FileField, $"{FileName} is empty"));
        }

        var name = Name.Trim();
        if (VmSpecRules.ValidateName(name) is { } invalid)
        {
            errors.Add((NameField, $"item name: {invalid.Message.Replace("VM name", "the name", StringComparison.Ordinal)}"));
        }

        if (Type is not null && !Types.Contains(Type))
        {
            errors.Add((TypeField, $"type '{Type}' is not one of {string.Join(", ", Types)}"));
        }

        var host = Host(hosts);
        if (host is null)
        {
            errors.Add((HostField, HostId is null ? $"{hosts.Count} hosts are connected: choose the one to keep the item" : $"no host '{HostId}' to choose"));
        }
        else if (host.ImportReason is { } why)
        {
            errors.Add((HostField, why));
        }
        else
        {
            if (Datastore is not null && host.Datastores.All(d => d.HostName != Datastore))
            {
                errors.Add((DatastoreField, $"{host.Label} has no datastore '{Datastore}'"));
            }

            if (itemsOnHosts.Any(i => i.HostId == host.Id && i.Name == name))
            {
                errors.Add((NameField, $"the content library of {host.Label} already has an item '{name}'"));
            }
        }

        return errors;
    }

    /// <summary>The chosen host: the one named, or the only one there is.</summary>
    public LibraryHost? Host(IReadOnlyList<LibraryHost> hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        return HostId is null ? (hosts.Count == 1 ? hosts[0] : null) : hosts.FirstOrDefault(h => h.Id == HostId);
    }

    /// <summary>The host agent's query (<c>?name=…&amp;type=…&amp;datastore=…&amp;fileName=…</c>), relayed by the Center.</summary>
    public string ToQuery()
    {
        var parameters = new List<KeyValuePair<string, string?>> { new("name", Name.Trim()), new("type", EffectiveType) };
        if (Datastore is not null)
        {
            parameters.Add(new("datastore", Datastore));
        }

        if (FileName is not null)
        {
            parameters.Add(new("fileName", FileName));
        }

        return QueryString.Create(parameters).Value ?? string.Empty;
    }

    /// <summary>The form field a refusal of the host or the Center belongs to (by its field, else by its code), or null for a general one.</summary>
    public static string? FieldOf(DomainError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Field switch
        {
            NameField or "item" => NameField,
            TypeField => TypeField,
            HostField => HostField,
            DatastoreField => DatastoreField,
            _ => error.Code switch
            {
                ErrorCodes.LibraryDuplicateName => NameField,
                ErrorCodes.DatastoreNoSpace or ErrorCodes.DatastoreNotFound => DatastoreField,
                ErrorCodes.HostNotConnected or ErrorCodes.HostNotFound => HostField,
                _ => null,
            },
        };
    }
}
