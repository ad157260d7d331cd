using System.Text.RegularExpressions;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Vms;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Vms;

namespace Hyperion.Web.Actions;

/// <summary>
/// The Clone / Deploy from Template form: the new VM's name (in the source's folder), its host (default: the
/// source's), the datastore of its files (default: the source's), a linked clone (templates only: overlays on the
/// template's disks, on its datastore), power on, and an optional guest customization (hostname, user, password, SSH
/// keys, DHCP or a static address with gateway and DNS servers) checked with the Domain's
/// <see cref="GuestCustomization"/> rules the host agent applies. What the Center or the host still refuses is mapped
/// back to the fields, whose keys are the API's field names.
/// </summary>
public sealed partial class CloneModel
{
    public const string NameField = "name";
    public const string HostField = "host";
    public const string DatastoreField = "datastore";
    public const string LinkedField = "linked";
    public const string CustomizationField = "customization";
    public const string HostnameField = "customization.hostname";
    public const string UserField = "customization.user";
    public const string PasswordField = "customization.password";
    public const string SshKeysField = "customization.sshAuthorizedKeys";
    public const string AddressField = "customization.network.address";
    public const string GatewayField = "customization.network.gateway";
    public const string DnsField = "customization.network.dnsServers";

    private static readonly HashSet<string> CustomizationFields = [HostnameField, UserField, PasswordField, SshKeysField, AddressField, GatewayField, DnsField];

    public CloneModel(CloneChoices choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        HostId = choices.SourceHostId;
    }

    public string Name { get; set; } = string.Empty;

    /// <summary>The new VM's host (the source's by default).</summary>
    public string? HostId { get; set; }

    /// <summary>The Center datastore for the clone's files; null keeps the source's.</summary>
    public string? Datastore { get; set; }

    public bool Linked { get; set; }

    public bool PowerOn { get; set; }

    public bool Customize { get; set; }

    public string Hostname { get; set; } = string.Empty;

    public string User { get; set; } = string.Empty;

    public string Password { get; set; } = string.Empty;

    /// <summary>OpenSSH public keys, one a line.</summary>
    public string SshKeys { get; set; } = string.Empty;

    /// <summary>A static address instead of DHCP.</summary>
    public bool StaticAddress { get; set; }

    /// <summary>CIDR form: <c>192.0.2.10/24</c>.</summary>
    public string Address { get; set; } = string.Empty;

    public string Gateway { get; set; } = string.Empty;

    /// <summary>DNS servers separated by commas or spaces.</summary>
    public string DnsServers { get; set; } = string.Empty;

    /// <summary>The datastore the clone's files go to: the chosen one, else the source's.</summary>
    public string? EffectiveDatastore(CloneChoices choices) => Datastore ?? choices?.SourceDatastore?.Name;

    /// <summary>The fields' problems (empty when the request may be sent). <paramref name="takenNames"/>: VM names already in the folder or on the host.</summary>
    public IReadOnlyList<(string Field, string Message)> Validate(CloneChoices choices, IEnumerable<string> takenNames)
    {
        ArgumentNullException.ThrowIfNull(choices);
        ArgumentNullException.ThrowIfNull(takenNames);
        var errors = new List<(string, string)>();
        if (VmHardwareRules.Name(Name.Trim(), takenNames, $"folder {choices.FolderPath}") is { } name)
        {
            errors.Add((NameField, name));
        }
        else if (!choices.MayCreateInFolder)
        {
            errors.Add((NameField, $"you lack {Privileges.VmCreateFromExisting} on folder {choices.FolderPath}, where the clone goes"));
        }

        var host = choices.Host(HostId);
        if (host is null)
        {
            errors.Add((HostField, HostId is null ? "choose the host for the new VM" : $"no host '{HostId}' to choose"));
        }
        else if (!host.MayCreate)
        {
            errors.Add((HostField, $"you lack {Privileges.VmCreateFromExisting} on {host.Host.Name}:{host.Host.Port} ({host.Id}): choose another host"));
        }
        else if (host.Unavailable is { } why)
        {
            errors.Add((HostField, $"{host.Host.Name}:{host.Host.Port} ({host.Id}) is {(why == "maintenance" ? "in maintenance mode" : why)}: choose another host"));
        }

        var datastore = EffectiveDatastore(choices);
        if (host is { Usable: true })
        {
            var possible = choices.DatastoresFor(host.Id);
            if (Linked && datastore != choices.SourceDatastore?.Name)
            {
                errors.Add((DatastoreField, $"a linked clone lives on its parent's datastore {choices.SourceDatastore?.Name ?? "(unknown)"}: keep it, or make a full clone"));
            }
            else if (datastore is null)
            {
                errors.Add((DatastoreField, "choose the datastore for the new VM's files"));
            }
            else if (possible.All(d => d.Name != datastore))
            {
                errors.Add((DatastoreField, host.IsSource
                    ? $"{host.Host.Name}:{host.Host.Port} ({host.Id}) does not mount {datastore}"
                    : $"a clone for {host.Host.Name}:{host.Host.Port} ({host.Id}) is made on a datastore both it and the source's host mount; {datastore} is not one"));
            }
        }

        if (Customize)
        {
            if (!choices.MayCustomize)
            {
                errors.Add((CustomizationField, $"you lack {Privileges.VmCustomize} on {choices.VmName}"));
            }

            if (StaticAddress && string.IsNullOrWhiteSpace(Address))
            {
                errors.Add((AddressField, "enter the static address in CIDR form (like 192.0.2.10/24), or choose DHCP"));
            }

            foreach (var error in ToCustomization().Validate(CustomizationField))
            {
                var field = NormalizeField(error.Field) ?? CustomizationField;
                if (!errors.Any(e => e.Item1 == field))
                {
                    errors.Add((field, error.Message));
                }
            }
        }

        return errors;
    }

    public CenterVmCloneRequest ToRequest(CloneChoices choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        var network = ToNetwork();
        return new CenterVmCloneRequest(Name.Trim())
        {
            Host = HostId == choices.SourceHostId ? null : HostId,
            Datastore = Datastore is { } chosen && chosen != choices.SourceDatastore?.Name ? chosen : null,
            Linked = Linked,
            PowerOn = PowerOn,
            Customization = Customize
                ? new GuestCustomizationDto(Hostname.Trim())
                {
                    User = Blank(User),
                    Password = Password.Length == 0 ? null : Password,
                    SshAuthorizedKeys = Keys() is { Count: > 0 } keys ? keys : null,
                    Network = network.IsDhcp && network.DnsServers.Count == 0
                        ? null
                        : new GuestNetworkDto { Address = network.Address, Gateway = network.Gateway, DnsServers = network.DnsServers.Count > 0 ? network.DnsServers : null },
                }
                : null,
        };
    }

    /// <summary>The dialog field an error the Center returned belongs to (by its field, else by its code), or null for a general one.</summary>
    public static string? FieldOf(DomainError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Field switch
        {
            NameField => NameField,
            HostField => HostField,
            DatastoreField => DatastoreField,
            { } field when NormalizeField(field) is { } customization => customization,
            _ => FieldOfTaskError(error.Code, error.Message),
        };
    }

    /// <summary>
    /// The field a failed clone task's error concerns: the task keeps only the code and message of what the host
    /// refused, and the host's customization messages begin with the field they name.
    /// </summary>
    public static string? FieldOfTaskError(string code, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return code switch
        {
            ErrorCodes.VmDuplicateName => NameField,
            ErrorCodes.HostNotFound or ErrorCodes.HostNotConnected or ErrorCodes.HostInMaintenance or ErrorCodes.HostNoCapacity => HostField,
            ErrorCodes.DatastoreNotFound or ErrorCodes.DatastoreNoSpace => DatastoreField,
            ErrorCodes.InvalidArgument when message.Contains("datastore", StringComparison.Ordinal) => DatastoreField,
            ErrorCodes.VmInvalidState when message.Contains("linked clone", StringComparison.Ordinal) => LinkedField,
            ErrorCodes.CustomizationInvalid => NormalizeField(message.Split(' ', 2)[0]) ?? CustomizationField,
            _ => null,
        };
    }

    /// <summary>A customization field of the API (<c>customization.sshAuthorizedKeys[1]</c>) as the dialog's field, or null.</summary>
    public static string? NormalizeField(string? field)
    {
        if (field is null || !field.StartsWith(CustomizationField, StringComparison.Ordinal))
        {
            return null;
        }

        var plain = IndexPattern().Replace(field, string.Empty);
        return CustomizationFields.Contains(plain) ? plain : CustomizationField;
    }

    /// <summary>The keys one a line, blank lines left out.</summary>
    public IReadOnlyList<string> Keys() =>
        SshKeys.Split('\n').Select(k => k.Trim()).Where(k => k.Length > 0).ToList();

    private GuestCustomization ToCustomization() => new()
    {
        Hostname = Hostname.Trim(),
        User = Blank(User),
        Password = Password.Length == 0 ? null : Password,
        SshAuthorizedKeys = Keys(),
        Network = ToNetwork(),
    };

    private GuestNetwork ToNetwork() => new()
    {
        Address = StaticAddress ? Blank(Address) : null,
        Gateway = StaticAddress ? Blank(Gateway) : null,
        DnsServers = DnsServers.Split([',', ' ', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
    };

    private static string? Blank(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex(@"\[\d+\]")]
    private static partial Regex IndexPattern();
}
