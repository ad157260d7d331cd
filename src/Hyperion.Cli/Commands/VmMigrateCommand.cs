using System.CommandLine;
using System.Globalization;
using Hyperion.Cli.Api;
using Hyperion.Contracts.Center;

namespace Hyperion.Cli.Commands;

/// <summary>
/// <c>vm migrate NAME --host H [--datastore D] [--priority high|normal]</c>: vMotion of a running VM (a cold
/// migration of a powered-off one) through a Center, waiting for the task and printing what was measured;
/// <c>vm migrate NAME --datastore D</c> alone is Storage vMotion (the VM's files to another datastore of its host);
/// with a host whose datastores do not include the VM's, it is a shared-nothing migration (memory and disks copied).
/// </summary>
internal static class VmMigrateCommand
{
    public static Command Create(CommandContext context)
    {
        var name = VmCommands.CreateNameArgument();
        var host = new Option<string?>("--host") { Description = "Destination host: its id (host-2) or address (default: the VM's host; then --datastore is required)" };
        var datastore = new Option<string?>("--datastore") { Description = "Datastore for the VM's files (default: where they are now, which the destination must mount); alone: Storage vMotion on the VM's host" };
        var priority = new Option<string>("--priority") { Description = "high (default) or normal: high-priority migrations get their slots first", DefaultValueFactory = _ => "high" };
        priority.AcceptOnlyFromAmong("high", "normal");
        var downtime = new Option<int?>("--downtime-ms") { Description = "Longest switch-over pause allowed (default 300 ms)", HelpName = "MS" }.AtLeast(1);
        var bandwidth = new Option<int?>("--bandwidth") { Description = "Cap in MiB/s (default: not throttled)", HelpName = "MIBPS" }.AtLeast(0);
        var postcopy = new Option<bool>("--postcopy") { Description = "Allow switching to post-copy when pre-copy does not converge (the VM is lost if a host dies during post-copy)" };
        var tls = new Option<bool>("--tls") { Description = "Encrypt the memory stream (TLS with certificates the Center issues to both hosts)" };
        var postcopyAfter = new Option<int?>("--postcopy-after") { Description = "With --postcopy: seconds of pre-copy before switching to post-copy (default 20)", HelpName = "SECONDS" }.AtLeast(0);
        var timeLimit = new Option<int?>("--time-limit") { Description = "Cancel (the VM stays on its host) when not switched over within this many seconds (default 600)", HelpName = "SECONDS" }.AtLeast(1);
        var stall = new Option<int?>("--stall-timeout") { Description = "Cancel (the VM stays on its host) when the stream moves no data for this many seconds: a cut network (default 15)", HelpName = "SECONDS" }.AtLeast(1);
        var noWait = CommandContext.CreateNoWaitOption();
        var json = CommandContext.CreateJsonOption();
        var command = new Command("migrate", "Move a VM to another host (vMotion when it runs, cold when powered off) or its files to another datastore (Storage vMotion)")
        {
            name, host, datastore, priority, downtime, bandwidth, postcopy, postcopyAfter, tls, timeLimit, stall, noWait, json,
        };
        context.SetApiAction(command, async (parseResult, client, output, ct) =>
        {
            if (await client.GetProductAsync(ct) != ServerProduct.Center)
            {
                throw new CliWrongServerException("vm migrate needs a Center: a host agent alone cannot move VMs to another host");
            }

            if (parseResult.GetValue(host) is null && parseResult.GetValue(datastore) is null)
            {
                throw new CliUsageException("vm migrate needs --host (vMotion), --datastore (Storage vMotion), or both");
            }

            var asJson = parseResult.GetValue(json);
            var vm = parseResult.GetRequiredValue(name);
            var id = await CenterLookup.VmIdAsync(client, vm, ct);
            var request = new VmMigrateRequest(parseResult.GetValue(host), parseResult.GetValue(datastore), parseResult.GetValue(priority))
            {
                DowntimeLimitMs = parseResult.GetValue(downtime),
                BandwidthMiBps = parseResult.GetValue(bandwidth),
                Postcopy = parseResult.GetValue(postcopy) ? true : null,
                TimeLimitSeconds = parseResult.GetValue(timeLimit),
                StallSeconds = parseResult.GetValue(stall),
                Tls = parseResult.GetValue(tls) ? true : null,
                PostcopyAfterSeconds = parseResult.GetValue(postcopyAfter),
            };
            var response = await client.MigrateCenterVmAsync(id, request, ct);
            return await context.CompleteAsync(client, output, response, parseResult.GetValue(noWait), asJson, result =>
            {
                if (result is null)
                {
                    return;
                }

                if (asJson)
                {
                    output.WriteJson(result);
                    return;
                }

                output.WriteLine(Summary(vm, result));
            }, ct);
        });
        return command;
    }

    internal static string Summary(string vm, VmMigrationResultDto result) => result.Mode switch
    {
        "storage" => string.Create(CultureInfo.InvariantCulture, $"{vm}'s files moved to datastore {result.Vm.DatastoreId}: {result.BytesTransferred / (1024 * 1024)} MiB in {result.TotalTimeMs} ms{(result.DowntimeMs is { } stun ? $", guest paused {stun} ms" : " (powered off)")}"),
        "live" => string.Create(CultureInfo.InvariantCulture, $"{vm} migrated live from {result.SourceHostId} to {result.DestinationHostId}: downtime {result.DowntimeMs} ms, total {result.TotalTimeMs} ms, {result.BytesTransferred / (1024 * 1024)} MiB in {result.Passes} passes{(result.Postcopy ? " (post-copy)" : string.Empty)}{(result.Tls ? " over TLS" : string.Empty)}"),
        "shared-nothing" => string.Create(CultureInfo.InvariantCulture, $"{vm} migrated live from {result.SourceHostId} to {result.DestinationHostId} with its disks (now on datastore {result.Vm.DatastoreId}): downtime {result.DowntimeMs} ms, total {result.TotalTimeMs} ms, {result.BytesTransferred / (1024 * 1024)} MiB of memory and disk"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{vm} moved (powered off) from {result.SourceHostId} to {result.DestinationHostId} in {result.TotalTimeMs} ms"),
    };
}
