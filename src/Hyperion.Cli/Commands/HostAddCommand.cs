using System.CommandLine;
using System.Text.RegularExpressions;
using Hyperion.Cli.Api;
using Hyperion.Contracts;
using Hyperion.Contracts.Center;

namespace Hyperion.Cli.Commands;

/// <summary>
/// <c>host add ADDRESS [--cluster C] [--datacenter D] [--fingerprint F]</c> on a Center. As with ssh host keys, the
/// host's certificate must be confirmed: without <c>--fingerprint</c> the Center answers with the fingerprint it saw,
/// which the CLI shows and, at a terminal, offers to accept. Here <c>--fingerprint</c> is the new host's; the Center's
/// own pin comes from HYPERION_FINGERPRINT or a <c>--fingerprint</c> placed before the verb.
/// </summary>
internal static partial class HostAddCommand
{
    public const string HostPasswordVariable = "HYPERION_HOST_PASSWORD";
    private const string UnconfirmedCode = "host.fingerprint-unconfirmed";

    /// <summary>The host agent's default port, used when ADDRESS has none.</summary>
    private const int DefaultAgentPort = 8443;

    public static Command Create(CommandContext context)
    {
        var address = new Argument<string>("address") { Description = $"The host agent: HOST[:PORT] (port {DefaultAgentPort} when omitted) or https://HOST:PORT" };
        var cluster = new Option<string?>("--cluster") { Description = "Put the host in this cluster (name or id); standalone when omitted", HelpName = "CLUSTER" };
        var datacenter = new Option<string?>("--datacenter")
        {
            Description = "Datacenter (name or id); defaults to the cluster's, or to the only one",
            HelpName = "DATACENTER",
        };
        var fingerprint = new Option<string?>("--fingerprint")
        {
            Description = "The SHA-256 fingerprint of the host's certificate, as confirmed out of band (pin the Center itself with HYPERION_FINGERPRINT or --fingerprint before 'host')",
            HelpName = "SHA256",
        };
        fingerprint.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string?>();
            if (value is not null && CertificateFingerprints.Normalize(value) is null)
            {
                result.AddError($"--fingerprint '{value}' is not a SHA-256 fingerprint (64 hex digits, colons optional).");
            }
        });
        var hostUser = new Option<string?>("--host-user") { Description = "The host's administrator account [default: root]", HelpName = "USER" };
        var hostPassword = new Option<string?>("--host-password")
        {
            Description = $"Its password [env: {HostPasswordVariable}; asked for at a terminal]",
            HelpName = "PASSWORD",
        };
        var noWait = CommandContext.CreateNoWaitOption();
        var json = CommandContext.CreateJsonOption();
        var command = new Command("add", "Add a host agent to the Center, confirming its certificate fingerprint")
        {
            address, cluster, datacenter, fingerprint, hostUser, hostPassword, noWait, json,
        };

        context.SetApiAction(command, async (parseResult, client, output, ct) =>
        {
            await CommandContext.RequireCenterAsync(parseResult, client, ct);
            var console = context.Console;
            var password = parseResult.GetValue(hostPassword)
                ?? (console.GetEnvironmentVariable(HostPasswordVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null)
                ?? console.Prompt?.Invoke("The host's root password:", true)
                ?? throw new CliUsageException($"give the host's password with --host-password or {HostPasswordVariable}.");
            var clusterName = parseResult.GetValue(cluster);
            var request = new HostAddRequest(
                NormalizeAddress(parseResult.GetRequiredValue(address)),
                parseResult.GetValue(hostUser) ?? "root",
                password,
                CertificateFingerprints.Normalize(parseResult.GetValue(fingerprint)) is { } given ? CertificateFingerprints.Format(given) : null,
                clusterName,
                await CenterLookup.DatacenterAsync(client, parseResult.GetValue(datacenter), clusterName, ct));

            OperationResponse<HostDto> response;
            try
            {
                response = await client.AddHostAsync(request, ct);
            }
            catch (HyperionApiException ex) when (ex.Problem.Code == UnconfirmedCode && FindFingerprint(ex.Problem) is { } presented)
            {
                if (request.Fingerprint is not null)
                {
                    console.Error.WriteLine(
                        $"error: the certificate of {request.Address} does not match --fingerprint {request.Fingerprint}: its SHA-256 fingerprint is {presented}. "
                        + "Someone may be intercepting the connection, or the host's certificate was replaced; nothing was added.");
                    return CliExitCodes.ServerRefused;
                }

                var question = $"The host's certificate SHA-256 fingerprint is {presented}.\nAre you sure this is the host you expect (yes/no)?";
                if (console.Prompt is not { } prompt)
                {
                    console.Error.WriteLine(
                        $"error: The host's certificate SHA-256 fingerprint is {presented}; re-run with --fingerprint {presented} if this is the host you expect.");
                    return CliExitCodes.ServerRefused;
                }

                if (prompt(question, false)?.Trim().ToUpperInvariant() is not ("YES" or "Y"))
                {
                    console.Error.WriteLine("Host not added.");
                    return CliExitCodes.ServerRefused;
                }

                response = await client.AddHostAsync(request with { Fingerprint = presented }, ct);
            }

            var asJson = parseResult.GetValue(json);
            return await context.CompleteAsync(client, output, response, parseResult.GetValue(noWait), asJson, host => HostCommands.WriteHost(output, host, asJson), ct);
        });

        return command;
    }

    /// <summary><c>esx1</c> → <c>https://esx1:8443</c>; <c>esx1:9443</c> → <c>https://esx1:9443</c>; a URL is kept.</summary>
    public static string NormalizeAddress(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Contains("://", StringComparison.Ordinal))
        {
            return address;
        }

        return Uri.TryCreate("https://" + address, UriKind.Absolute, out var uri) && uri.IsDefaultPort && !address.EndsWith(":443", StringComparison.Ordinal)
            ? new UriBuilder(Uri.UriSchemeHttps, uri.Host, DefaultAgentPort).Uri.GetLeftPart(UriPartial.Authority)
            : "https://" + address;
    }

    /// <summary>The fingerprint the Center saw, from the problem's detail or its field error: <c>AB:CD:…</c>.</summary>
    public static string? FindFingerprint(ProblemDto problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        foreach (var text in (problem.Errors ?? []).Select(e => e.Message).Prepend(problem.Detail))
        {
            if (text is not null && FingerprintPattern().Match(text) is { Success: true } match)
            {
                return CertificateFingerprints.Format(CertificateFingerprints.Normalize(match.Value)!);
            }
        }

        return null;
    }

    [GeneratedRegex("(?<![0-9A-Fa-f:])[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){31}(?![0-9A-Fa-f:])", RegexOptions.CultureInvariant)]
    private static partial Regex FingerprintPattern();
}
