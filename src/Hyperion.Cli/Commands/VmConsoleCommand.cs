using System.CommandLine;
using System.Net;
using System.Text;
using Hyperion.Cli.Api;

namespace Hyperion.Cli.Commands;

/// <summary><c>vm console NAME --serial [--follow]</c>: the serial log, optionally followed like <c>tail -f</c>.</summary>
internal static class VmConsoleCommand
{
    /// <summary>How often <c>--follow</c> asks for new output.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>The problem code of a route the server does not have.</summary>
    private const string NoRouteCode = "request.not-found";

    public static Command Create(CommandContext context)
    {
        var name = VmCommands.CreateNameArgument();
        var serial = new Option<bool>("--serial") { Description = "Print the serial console log (the only console the CLI offers)" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new output until Ctrl-C or the VM is gone" };
        var command = new Command("console", "Print a VM's serial console output") { name, serial, follow };
        context.SetApiAction(command, async (parseResult, client, output, ct) =>
        {
            if (!parseResult.GetValue(serial))
            {
                context.Console.Error.WriteLine(
                    "error: only the serial console is available from the CLI (use --serial); the graphical console comes with the web client.");
                return CliExitCodes.Usage;
            }

            var vm = parseResult.GetRequiredValue(name);
            if (await client.GetProductAsync(ct) == ServerProduct.Center)
            {
                vm = await CenterLookup.VmIdAsync(client, vm, ct);
                try
                {
                    await CopySerialAsync(context.Console, client, vm, parseResult.GetValue(follow), ct);
                }
                catch (HyperionApiException ex) when (ex.Problem.Code == NoRouteCode)
                {
                    // A Center without the serial relay (older than this CLI): point at the host, which serves the serial log.
                    var centerVm = await client.GetCenterVmAsync(vm, ct);
                    var hostAddress = centerVm.HostId is { } hostId ? (await client.GetCenterHostAsync(hostId, ct)).Address : "its host";
                    throw new CliWrongServerException(
                        $"the Center does not relay serial consoles; read it from the VM's host: hyperion --server {hostAddress} vm console {centerVm.HostLocalId ?? centerVm.Name} --serial");
                }

                return CliExitCodes.Success;
            }

            await CopySerialAsync(context.Console, client, vm, parseResult.GetValue(follow), ct);
            return CliExitCodes.Success;
        });
        return command;
    }

    private static async Task CopySerialAsync(CliConsole console, HyperionApiClient client, string vm, bool follow, CancellationToken ct)
    {
        var decoder = Encoding.UTF8.GetDecoder();
        var offset = 0L;
        var first = true;
        try
        {
            while (true)
            {
                SerialConsoleChunk chunk;
                try
                {
                    chunk = await client.GetSerialConsoleAsync(vm, offset, ct);
                }
                catch (HyperionApiException ex) when (follow && !first && ex.StatusCode == HttpStatusCode.NotFound)
                {
                    // The VM was deleted or unregistered while we followed it: the log is complete.
                    break;
                }

                await WriteAsync(console, decoder, chunk.Data, ct);
                offset = chunk.NextOffset;
                first = false;
                if (!follow)
                {
                    break;
                }

                await Task.Delay(PollInterval, console.TimeProvider, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl-C is how a follow ends.
        }

        await WriteAsync(console, decoder, ReadOnlyMemory<byte>.Empty, CancellationToken.None, flush: true);
    }

    private static async Task WriteAsync(CliConsole console, Decoder decoder, ReadOnlyMemory<byte> data, CancellationToken ct, bool flush = false)
    {
        if (console.RawOutput is { } raw)
        {
            if (!data.IsEmpty)
            {
                await console.Out.FlushAsync(ct);
                await raw.WriteAsync(data, ct);
                await raw.FlushAsync(ct);
            }

            return;
        }

        // The decoder keeps a multi-byte character split across two chunks whole.
        var chars = new char[decoder.GetCharCount(data.Span, flush)];
        var count = decoder.GetChars(data.Span, chars, flush);
        if (count > 0)
        {
            await console.Out.WriteAsync(chars.AsMemory(0, count), ct);
            await console.Out.FlushAsync(ct);
        }
    }
}
